// The table mirror's walk over tree-sitter subtrees (mirror_walk.c), callable from C++.
#ifndef NIXGUARD_MIRROR_WALK_H_
#define NIXGUARD_MIRROR_WALK_H_

#include <stdint.h>

#include "tree_sitter/api.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NIXGUARD_FLAG_MISSING 1

/** The columns of SyntaxTable (server/src/syntax/syntax-table.ts), offsets in UTF-16 units. */
typedef struct {
  uint32_t *start;
  uint32_t *end;
  int32_t *parent;
  int32_t *subtree_end;
  uint16_t *kind;
  uint8_t *field;
  uint8_t *flags;
} NixguardColumns;

/** Dense kind id per public symbol id; ERROR nodes get error_kind. */
typedef struct {
  const uint16_t *of_symbol;
  uint32_t length;
  uint16_t error_kind;
} NixguardKinds;

/** Mirror `count` consecutive children of the node, the first starting at byte `first_start`. */
typedef struct {
  uint32_t first_start;
  uint32_t count;
} NixguardRun;

/**
 * Mirrors `node`'s subtree (or, with `run`, a run of its children) into `out`, which has room for
 * `capacity` rows; with `out` NULL only counts the rows. Returns the number of rows, or -1 when
 * they do not fit, the run's first child is not found, or memory runs out. `node.tree` is only
 * used for its language.
 */
int64_t nixguard_mirror(TSNode node, const NixguardRun *run, const NixguardKinds *kinds, NixguardColumns *out, uint32_t capacity);

#ifdef __cplusplus
}
#endif

#endif  // NIXGUARD_MIRROR_WALK_H_
