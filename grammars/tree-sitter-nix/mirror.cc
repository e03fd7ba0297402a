// The SyntaxTable mirror in C++: one call walks a subtree (mirror_walk.c) and fills the table's
// typed arrays, where a JavaScript walk with a TreeCursor pays several native calls per node
// (about 0.8x the parse itself on a large file).
//
// Getting at the tree: node tree-sitter keeps a TSNode on each JavaScript SyntaxNode as six
// integers at indexes 0-5 (the node id pointer as low and high 32 bits, then the four context
// words), which is how it passes nodes to and from its own native code. From those we rebuild
// the TSNode. Its `tree` pointer only serves to look up the language (symbol names, aliases,
// field maps), so a tree of the same language parsed here stands in for it. The runtime code
// compiled into this addon is the installed tree-sitter package's own vendored source (copied
// by scripts/copy-grammar-sources.js), so both sides agree on the layout of subtrees; grammar.ts
// turns this path off when the loaded tree-sitter is not the version these sources came from.
#include <napi.h>

#include <cstring>
#include <vector>

#include "mirror_walk.h"

extern "C" const TSLanguage *tree_sitter_nix();

namespace {

struct MirrorState {
  // Dense kind id per public symbol id (grammar.ts KIND_OF_SYMBOL); ERROR maps to error_kind.
  std::vector<uint16_t> kind_of_symbol;
  NixguardKinds kinds = {nullptr, 0, 0};
  // A tree of this language: the stand-in for TSNode.tree (see the header comment).
  TSTree *language_tree = nullptr;
};

MirrorState &State() {
  static MirrorState state;
  return state;
}

bool NodeFromJs(const Napi::Value &value, TSNode *out) {
  if (!value.IsObject()) return false;
  Napi::Object object = value.As<Napi::Object>();
  uint32_t words[6];
  for (uint32_t i = 0; i < 6; i++) {
    Napi::Value word = object.Get(i);
    if (!word.IsNumber()) return false;
    words[i] = word.As<Napi::Number>().Uint32Value();
  }
  const void *id = nullptr;
  uint64_t id_bits = static_cast<uint64_t>(words[0]) | (static_cast<uint64_t>(words[1]) << 32);
  std::memcpy(&id, &id_bits, sizeof(id));
  if (id == nullptr) return false;
  out->context[0] = words[2];
  out->context[1] = words[3];
  out->context[2] = words[4];
  out->context[3] = words[5];
  out->id = id;
  out->tree = State().language_tree;
  return true;
}

// Allocates the columns for `rows` rows in one ArrayBuffer (32-bit columns first, so every view
// is aligned) and returns the JavaScript object holding their views.
Napi::Object AllocateColumns(Napi::Env env, uint32_t rows, NixguardColumns *columns) {
  const size_t n = rows;
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, n * 20);
  uint8_t *base = static_cast<uint8_t *>(buffer.Data());
  columns->start = reinterpret_cast<uint32_t *>(base);
  columns->end = reinterpret_cast<uint32_t *>(base + n * 4);
  columns->parent = reinterpret_cast<int32_t *>(base + n * 8);
  columns->subtree_end = reinterpret_cast<int32_t *>(base + n * 12);
  columns->kind = reinterpret_cast<uint16_t *>(base + n * 16);
  columns->field = base + n * 18;
  columns->flags = base + n * 19;
  Napi::Object result = Napi::Object::New(env);
  result["count"] = Napi::Number::New(env, rows);
  result["start"] = Napi::Uint32Array::New(env, n, buffer, 0);
  result["end"] = Napi::Uint32Array::New(env, n, buffer, n * 4);
  result["parent"] = Napi::Int32Array::New(env, n, buffer, n * 8);
  result["subtreeEnd"] = Napi::Int32Array::New(env, n, buffer, n * 12);
  result["kind"] = Napi::Uint16Array::New(env, n, buffer, n * 16);
  result["field"] = Napi::Uint8Array::New(env, n, buffer, n * 18);
  result["flags"] = Napi::Uint8Array::New(env, n, buffer, n * 19);
  return result;
}

// configureMirror(kindOfSymbol: Uint16Array, errorKind: number)
Napi::Value ConfigureMirror(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "configureMirror(kindOfSymbol: Uint16Array, errorKind: number)");
  }
  Napi::Uint16Array table = info[0].As<Napi::Uint16Array>();
  MirrorState &state = State();
  state.kind_of_symbol.assign(table.Data(), table.Data() + table.ElementLength());
  state.kinds.of_symbol = state.kind_of_symbol.data();
  state.kinds.length = static_cast<uint32_t>(state.kind_of_symbol.size());
  state.kinds.error_kind = static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value());
  return env.Undefined();
}

// Mirrors `node` (or a run of its children) into freshly allocated columns; undefined if the
// walk fails (see nixguard_mirror).
Napi::Value Mirror(Napi::Env env, TSNode node, const NixguardRun *run) {
  const MirrorState &state = State();
  if (state.kinds.of_symbol == nullptr) return env.Undefined();
  // The rows of a whole subtree are known up front: the cursor visits the visible descendants.
  int64_t rows = run ? nixguard_mirror(node, run, &state.kinds, nullptr, 0) : ts_node_descendant_count(node);
  if (rows <= 0) return env.Undefined();
  NixguardColumns columns;
  Napi::Object result = AllocateColumns(env, static_cast<uint32_t>(rows), &columns);
  if (nixguard_mirror(node, run, &state.kinds, &columns, static_cast<uint32_t>(rows)) != rows) return env.Undefined();
  return result;
}

// mirrorNode(node: SyntaxNode): the rows of the node's subtree, or undefined.
Napi::Value MirrorNode(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  TSNode node;
  if (State().language_tree == nullptr || !NodeFromJs(info[0], &node)) return env.Undefined();
  return Mirror(env, node, nullptr);
}

// mirrorChildren(parent: SyntaxNode, firstStart: number, count: number): the rows of `count`
// consecutive children of `parent`, the first one starting at UTF-16 offset `firstStart`; or
// undefined when no child starts there.
Napi::Value MirrorChildren(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  TSNode parent;
  if (State().language_tree == nullptr || !NodeFromJs(info[0], &parent) || !info[1].IsNumber() || !info[2].IsNumber()) return env.Undefined();
  NixguardRun run = {info[1].As<Napi::Number>().Uint32Value() * 2, info[2].As<Napi::Number>().Uint32Value()};
  if (run.count == 0) return env.Undefined();
  return Mirror(env, parent, &run);
}

}  // namespace

void InitMirror(Napi::Env env, Napi::Object exports) {
  MirrorState &state = State();
  if (state.language_tree == nullptr) {
    TSParser *parser = ts_parser_new();
    if (ts_parser_set_language(parser, tree_sitter_nix())) state.language_tree = ts_parser_parse_string(parser, nullptr, "", 0);
    ts_parser_delete(parser);
  }
  exports["configureMirror"] = Napi::Function::New(env, ConfigureMirror, "configureMirror");
  exports["mirrorNode"] = Napi::Function::New(env, MirrorNode, "mirrorNode");
  exports["mirrorChildren"] = Napi::Function::New(env, MirrorChildren, "mirrorChildren");
}
