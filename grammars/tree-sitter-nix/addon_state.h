// State of one instance of the addon. Each JavaScript environment (the main thread and every
// worker thread of `nixguard check`) loads its own instance, so nothing here is shared between
// threads: a parser must never be used by two threads at once, and configureMirror rewrites the
// kind table.
#ifndef NIXGUARD_ADDON_STATE_H_
#define NIXGUARD_ADDON_STATE_H_

#include <napi.h>

#include <vector>

#include "mirror_walk.h"

extern "C" const TSLanguage *tree_sitter_nix();

struct AddonState {
  // Dense kind id per public symbol id (grammar.ts KIND_OF_SYMBOL); ERROR maps to error_kind.
  std::vector<uint16_t> kind_of_symbol;
  NixguardKinds kinds = {nullptr, 0, 0};
  // A tree of this language: the stand-in for TSNode.tree when a node comes from node
  // tree-sitter's binding (see mirror.cc).
  TSTree *language_tree = nullptr;
  // The parser behind parseTree (native_tree.cc).
  TSParser *parser = nullptr;

  AddonState() {
    parser = ts_parser_new();
    if (ts_parser_set_language(parser, tree_sitter_nix())) language_tree = ts_parser_parse_string(parser, nullptr, "", 0);
  }
  ~AddonState() {
    if (language_tree != nullptr) ts_tree_delete(language_tree);
    ts_parser_delete(parser);
  }
  AddonState(const AddonState &) = delete;
  AddonState &operator=(const AddonState &) = delete;
};

inline AddonState &StateOf(Napi::Env env) {
  AddonState *state = env.GetInstanceData<AddonState>();
  if (state == nullptr) {
    state = new AddonState();
    env.SetInstanceData(state);
  }
  return *state;
}

// One row of nodePath's answer: kind, start, end (UTF-16 offsets), child count, flags, then the
// node in node tree-sitter's layout (id low, id high, four context words). mirror.cc.
const uint32_t PATH_ROW = 11;
const uint32_t PATH_FLAG_ERROR = 1;
void WritePathRow(const NixguardKinds &kinds, TSNode node, uint32_t *out);

#endif  // NIXGUARD_ADDON_STATE_H_
