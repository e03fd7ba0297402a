// The walk behind mirror.cc, over tree-sitter's subtrees directly. It visits exactly the nodes a
// TSTreeCursor visits, in the same order, and reads what the cursor would report (symbol after
// aliasing, byte extent, field, MISSING), at a fraction of the cursor's cost (the cursor
// re-derives its iteration state on every step, about 900 instructions a node here).
//
// The rules it copies from the runtime's tree_cursor.c (ts_tree_cursor_child_iterator_next,
// ts_tree_cursor_goto_first_child_internal, ts_tree_cursor_current_field_id):
// - A child is visible when its subtree is, or when the parent's production aliases it (extras
//   are never aliased). A hidden child is walked through when it has visible children, and
//   skipped otherwise; its visible children count as children of the nearest visible ancestor.
// - Only non-extra children advance the structural child index that aliases and fields use.
// - A node's field is the parent production's non-inherited field for its structural index;
//   failing that, a hidden parent passes on its own field. Extras have no field.
// It is compiled with the runtime sources of the installed tree-sitter package (binding.gyp),
// whose internal headers it reads; test/syntax/syntax-table.test.ts holds it against the cursor.
#include <stdlib.h>

#include "language.h"
#include "subtree.h"
#include "tree.h"
#include "mirror_walk.h"

typedef struct {
  Subtree subtree;
  const Subtree *children;
  const TSSymbol *aliases;
  const TSFieldMapEntry *fields;
  const TSFieldMapEntry *fields_end;
  uint32_t child_count;
  uint32_t child_index;
  uint32_t structural_index;
  // Byte offset where the next child starts (after its padding).
  uint32_t position;
  // Row of the nearest visible node at or above this one; -1 above the walk's first rows.
  int32_t visible_row;
  // For a hidden node: the field it has itself, which its children inherit.
  TSFieldId hidden_field;
  bool hidden;
} Frame;

typedef struct {
  Frame *items;
  uint32_t size;
  uint32_t capacity;
} FrameStack;

// Pushes a frame for the children of `subtree` (which has some) and returns it, or NULL when
// memory runs out.
static Frame *push(FrameStack *stack, const TSLanguage *language, Subtree subtree, uint32_t position, int32_t visible_row, bool hidden, TSFieldId hidden_field) {
  if (stack->size == stack->capacity) {
    uint32_t capacity = stack->capacity ? stack->capacity * 2 : 64;
    Frame *items = realloc(stack->items, capacity * sizeof(Frame));
    if (!items) return NULL;
    stack->items = items;
    stack->capacity = capacity;
  }
  Frame *frame = &stack->items[stack->size++];
  const uint16_t production = subtree.ptr->production_id;
  frame->subtree = subtree;
  frame->children = ts_subtree_children(subtree);
  frame->aliases = ts_language_alias_sequence(language, production);
  ts_language_field_map(language, production, &frame->fields, &frame->fields_end);
  frame->child_count = subtree.ptr->child_count;
  frame->child_index = 0;
  frame->structural_index = 0;
  frame->position = position;
  frame->visible_row = visible_row;
  frame->hidden_field = hidden_field;
  frame->hidden = hidden;
  return frame;
}

static inline TSFieldId field_for(const Frame *frame, uint32_t structural_index) {
  for (const TSFieldMapEntry *entry = frame->fields; entry < frame->fields_end; entry++) {
    if (!entry->inherited && entry->child_index == structural_index) return entry->field_id;
  }
  return frame->hidden ? frame->hidden_field : 0;
}

// The dense kind of an internal symbol (before the public-symbol mapping).
static inline uint16_t kind_of(const TSLanguage *language, const NixguardKinds *kinds, TSSymbol symbol) {
  if (symbol == ts_builtin_sym_error) return kinds->error_kind;
  const TSSymbol public_symbol = language->public_symbol_map[symbol];
  return public_symbol < kinds->length ? kinds->of_symbol[public_symbol] : 0;
}

int64_t nixguard_mirror(TSNode node, const NixguardRun *run, const NixguardKinds *kinds, NixguardColumns *out, uint32_t capacity) {
  const TSLanguage *language = node.tree->language;
  const Subtree root = *(const Subtree *)node.id;
  const bool counting = out == NULL;
  uint32_t row = 0;
  FrameStack stack = {NULL, 0, 0};
  int64_t result = -1;

  if (run == NULL) {
    // The node itself is the first row; node tree-sitter keeps its alias in the context.
    if (!counting) {
      if (capacity == 0) goto done;
      out->kind[0] = kind_of(language, kinds, node.context[3] ? (TSSymbol)node.context[3] : ts_subtree_symbol(root));
      out->start[0] = ts_node_start_byte(node) / 2;
      out->end[0] = ts_node_end_byte(node) / 2;
      out->parent[0] = -1;
      out->field[0] = 0;
      out->flags[0] = ts_subtree_missing(root) ? NIXGUARD_FLAG_MISSING : 0;
      out->subtree_end[0] = 1;
    }
    row = 1;
    if (ts_subtree_child_count(root) > 0 && !push(&stack, language, root, ts_node_start_byte(node), 0, false, 0)) goto done;
  } else {
    if (ts_subtree_child_count(root) > 0 && !push(&stack, language, root, ts_node_start_byte(node), -1, false, 0)) goto done;
  }

  // Children of the run's parent emitted so far (children mode).
  uint32_t emitted = 0;
  while (stack.size > 0) {
    Frame *frame = &stack.items[stack.size - 1];
    if (frame->child_index == frame->child_count) {
      if (!frame->hidden && frame->visible_row >= 0 && !counting) out->subtree_end[frame->visible_row] = (int32_t)row;
      stack.size--;
      continue;
    }
    const Subtree child = frame->children[frame->child_index];
    const bool extra = ts_subtree_extra(child);
    const TSSymbol alias = (!extra && frame->aliases) ? frame->aliases[frame->structural_index] : 0;
    const uint32_t start = frame->position;
    const uint32_t structural_index = frame->structural_index;
    const uint32_t size = ts_subtree_size(child).bytes;
    // Advance past the child now: the pushes below may move the stack.
    if (!extra) frame->structural_index++;
    frame->position += size;
    frame->child_index++;
    if (frame->child_index < frame->child_count) frame->position += ts_subtree_padding(frame->children[frame->child_index]).bytes;

    if (ts_subtree_visible(child) || alias != 0) {
      if (run && frame->visible_row < 0) {
        // A child of the run's parent: before the run, in it, or after it.
        if (emitted == 0 && start < run->first_start) continue;
        if ((emitted == 0 && start != run->first_start) || emitted == run->count) break;
        emitted++;
      }
      const uint32_t current = row++;
      if (!counting) {
        if (current >= capacity) goto done;
        out->kind[current] = kind_of(language, kinds, alias ? alias : ts_subtree_symbol(child));
        out->start[current] = start / 2;
        out->end[current] = (start + size) / 2;
        out->parent[current] = frame->visible_row;
        out->field[current] = extra ? 0 : (uint8_t)field_for(frame, structural_index);
        out->flags[current] = ts_subtree_missing(child) ? NIXGUARD_FLAG_MISSING : 0;
        out->subtree_end[current] = (int32_t)row;
      }
      if (ts_subtree_child_count(child) > 0 && !push(&stack, language, child, start, (int32_t)current, false, 0)) goto done;
    } else if (ts_subtree_visible_child_count(child) > 0) {
      const TSFieldId field = extra ? 0 : field_for(frame, structural_index);
      if (!push(&stack, language, child, start, frame->visible_row, true, field)) goto done;
    }
  }
  if (run && emitted == 0) goto done;
  result = row;

done:
  free(stack.items);
  return result;
}
