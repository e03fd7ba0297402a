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

#include "addon_state.h"
#include "mirror_walk.h"

namespace {

bool NodeFromJs(const Napi::Value &value, TSNode *out) {
  const AddonState &state = StateOf(value.Env());
  if (state.language_tree == nullptr) return false;
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
  out->tree = state.language_tree;
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
  AddonState &state = StateOf(env);
  state.kind_of_symbol.assign(table.Data(), table.Data() + table.ElementLength());
  state.kinds.of_symbol = state.kind_of_symbol.data();
  state.kinds.length = static_cast<uint32_t>(state.kind_of_symbol.size());
  state.kinds.error_kind = static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value());
  return env.Undefined();
}

// Mirrors `node` (or a run of its children) into freshly allocated columns; undefined if the
// walk fails (see nixguard_mirror).
Napi::Value Mirror(Napi::Env env, TSNode node, const NixguardRun *run) {
  const AddonState &state = StateOf(env);
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
  if (!NodeFromJs(info[0], &node)) return env.Undefined();
  return Mirror(env, node, nullptr);
}

// mirrorChildren(parent: SyntaxNode, firstStart: number, count: number): the rows of `count`
// consecutive children of `parent`, the first one starting at UTF-16 offset `firstStart`; or
// undefined when no child starts there.
Napi::Value MirrorChildren(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  TSNode parent;
  if (!NodeFromJs(info[0], &parent) || !info[1].IsNumber() || !info[2].IsNumber()) return env.Undefined();
  NixguardRun run = {info[1].As<Napi::Number>().Uint32Value() * 2, info[2].As<Napi::Number>().Uint32Value()};
  if (run.count == 0) return env.Undefined();
  return Mirror(env, parent, &run);
}

// The dense kind of a node's (public) symbol.
uint16_t KindOfNode(const NixguardKinds &kinds, TSNode node) {
  const TSSymbol symbol = ts_node_symbol(node);
  if (symbol == static_cast<TSSymbol>(-1)) return kinds.error_kind;
  return symbol < kinds.length ? kinds.of_symbol[symbol] : 0;
}


}  // namespace

void WritePathRow(const NixguardKinds &kinds, TSNode node, uint32_t *out) {
  out[0] = KindOfNode(kinds, node);
  out[1] = ts_node_start_byte(node) / 2;
  out[2] = ts_node_end_byte(node) / 2;
  out[3] = ts_node_child_count(node);
  out[4] = ts_node_has_error(node) ? PATH_FLAG_ERROR : 0;
  uint64_t id_bits = 0;
  std::memcpy(&id_bits, &node.id, sizeof(node.id));
  out[5] = static_cast<uint32_t>(id_bits);
  out[6] = static_cast<uint32_t>(id_bits >> 32);
  out[7] = node.context[0];
  out[8] = node.context[1];
  out[9] = node.context[2];
  out[10] = node.context[3];
}

namespace {

// nodePath(root: SyntaxNode, start: number, end: number): the nodes from `root` down to the
// smallest one that contains [start, end] (UTF-16 offsets), as SyntaxNode.descendantForIndex
// picks it, one row of PATH_ROW words each: kind, start, end, child count, flags, and the node
// in the layout node tree-sitter gives SyntaxNode (id low, id high, four context words), so that
// a row's last six words can stand in for the node in the other functions. One call instead of
// a SyntaxNode object per ancestor.
Napi::Value NodePath(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  TSNode node;
  const NixguardKinds &kinds = StateOf(env).kinds;
  if (kinds.of_symbol == nullptr || !NodeFromJs(info[0], &node) || !info[1].IsNumber() || !info[2].IsNumber()) {
    return env.Undefined();
  }
  const uint32_t start = info[1].As<Napi::Number>().Uint32Value() * 2;
  const uint32_t end = info[2].As<Napi::Number>().Uint32Value() * 2;
  std::vector<TSNode> path = {node};
  for (;;) {
    // The first child that ends after `start`; it contains the range or nothing does.
    TSNode child = ts_node_first_child_for_byte(node, start);
    if (ts_node_is_null(child) || ts_node_start_byte(child) > start || ts_node_end_byte(child) < end) break;
    path.push_back(child);
    node = child;
  }
  Napi::Uint32Array rows = Napi::Uint32Array::New(env, path.size() * PATH_ROW);
  uint32_t *out = rows.Data();
  for (const TSNode &step : path) {
    WritePathRow(kinds, step, out);
    out += PATH_ROW;
  }
  return rows;
}

// runBounds(parent, from: number, to: number): the run of `parent`'s children that an edit of
// [from, to] (UTF-16 offsets) touches: the child under `from` (and the one before it when that
// one reaches `from`) through the last child starting at or before `to`. Returns [run start,
// run end, child count], or undefined when no child reaches `from`.
Napi::Value RunBounds(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  TSNode parent;
  if (!NodeFromJs(info[0], &parent) || !info[1].IsNumber() || !info[2].IsNumber()) return env.Undefined();
  const uint32_t from = info[1].As<Napi::Number>().Uint32Value() * 2;
  const uint32_t to = info[2].As<Napi::Number>().Uint32Value() * 2;
  TSTreeCursor cursor = ts_tree_cursor_new(parent);
  Napi::Value result = env.Undefined();
  if (ts_tree_cursor_goto_first_child_for_byte(&cursor, from) >= 0) {
    uint32_t run_start = ts_node_start_byte(ts_tree_cursor_current_node(&cursor));
    if (run_start > from && ts_tree_cursor_goto_previous_sibling(&cursor)) {
      const TSNode previous = ts_tree_cursor_current_node(&cursor);
      if (ts_node_end_byte(previous) >= from) run_start = ts_node_start_byte(previous);
      else ts_tree_cursor_goto_next_sibling(&cursor);
    }
    uint32_t run_end = ts_node_end_byte(ts_tree_cursor_current_node(&cursor));
    uint32_t count = 1;
    while (ts_tree_cursor_goto_next_sibling(&cursor)) {
      const TSNode next = ts_tree_cursor_current_node(&cursor);
      if (ts_node_start_byte(next) > to) break;
      run_end = ts_node_end_byte(next);
      count++;
    }
    Napi::Uint32Array bounds = Napi::Uint32Array::New(env, 3);
    bounds[0] = run_start / 2;
    bounds[1] = run_end / 2;
    bounds[2] = count;
    result = bounds;
  }
  ts_tree_cursor_delete(&cursor);
  return result;
}

}  // namespace

void InitMirror(Napi::Env env, Napi::Object exports) {
  exports["configureMirror"] = Napi::Function::New(env, ConfigureMirror, "configureMirror");
  exports["mirrorNode"] = Napi::Function::New(env, MirrorNode, "mirrorNode");
  exports["mirrorChildren"] = Napi::Function::New(env, MirrorChildren, "mirrorChildren");
  exports["nodePath"] = Napi::Function::New(env, NodePath, "nodePath");
  exports["runBounds"] = Napi::Function::New(env, RunBounds, "runBounds");
}
