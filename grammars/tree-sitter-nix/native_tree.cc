// Trees parsed and owned by this addon, for the server's documents.
//
// node tree-sitter frees a tree only when the garbage collector finalizes its JavaScript object,
// and does not tell V8 how much native memory the tree holds, so a server that drops the trees
// of idle documents would still hold them until some unrelated collection. Here a tree is an
// External that JavaScript frees explicitly (deleteTree), with the finalizer as a safety net and
// its estimated size reported to V8 so that abandoned trees are collected soon.
//
// The tree's nodes are handed out in node tree-sitter's marshalled layout (see mirror.cc), so the
// mirror functions read them like nodes of that binding's trees. Offsets are UTF-16 code units
// (the text is parsed as UTF-16, two bytes per unit); rows and columns likewise.
#include <napi.h>

#include <cstdlib>
#include <memory>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "addon_state.h"

namespace {

// Tags the Externals made here so that a stray object is never read as a tree.
const napi_type_tag TREE_TYPE_TAG = {0x6E69786775617264, 0x7472656531303030};

// Estimated native bytes per node of a tree, for V8's accounting (a 2.4 MB file of 20,000
// bindings has about 900,000 nodes in a 60 MB tree).
const int64_t BYTES_PER_NODE = 64;

// After dropping a tree at least this large for good (deleteTree with `trim`), glibc is asked to
// hand free memory back to the system: otherwise the process keeps the pages of a big file's
// tree long after closing it. Not done for the old tree after an incremental reparse, which
// shares nearly all its nodes with the new one and frees little.
const int64_t TRIM_AFTER_BYTES = 16 * 1024 * 1024;

struct TreeBox {
  TSTree *tree;
  int64_t reported_bytes;
};

void ReleaseTree(Napi::Env env, TreeBox *box, bool trim) {
  if (box->tree == nullptr) return;
  ts_tree_delete(box->tree);
  box->tree = nullptr;
  Napi::MemoryManagement::AdjustExternalMemory(env, -box->reported_bytes);
#ifdef __GLIBC__
  if (trim && box->reported_bytes >= TRIM_AFTER_BYTES) malloc_trim(0);
#else
  (void)trim;
#endif
  box->reported_bytes = 0;
}

void FinalizeTree(Napi::Env env, TreeBox *box) {
  ReleaseTree(env, box, false);
  delete box;
}

// The box behind a tree argument, or nullptr when the value is not one of our trees (or, with
// `live`, when that tree was already deleted).
TreeBox *BoxOf(const Napi::Value &value, bool live = true) {
  if (!value.IsExternal()) return nullptr;
  Napi::External<TreeBox> external = value.As<Napi::External<TreeBox>>();
  if (!external.CheckTypeTag(&TREE_TYPE_TAG)) return nullptr;
  TreeBox *box = external.Data();
  return live && box->tree == nullptr ? nullptr : box;
}

TreeBox *LiveBox(const Napi::CallbackInfo &info, size_t index, const char *usage) {
  TreeBox *box = BoxOf(info[index]);
  if (box == nullptr) throw Napi::TypeError::New(info.Env(), usage);
  return box;
}

// parseTree(text: string, oldTree?: NativeTree): NativeTree. With `oldTree` (already edited to
// match `text`), tree-sitter reuses its unchanged subtrees.
Napi::Value ParseTree(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const char *usage = "parseTree(text: string, oldTree?: NativeTree)";
  if (!info[0].IsString()) throw Napi::TypeError::New(env, usage);
  const TSTree *old_tree = nullptr;
  if (info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsNull()) old_tree = LiveBox(info, 1, usage)->tree;
  AddonState &state = StateOf(env);
  if (state.language_tree == nullptr) throw Napi::Error::New(env, "the Nix grammar is not compatible with the tree-sitter runtime");

  size_t length = 0;
  napi_status status = napi_get_value_string_utf16(env, info[0], nullptr, 0, &length);
  if (status != napi_ok) throw Napi::Error::New(env, "cannot read the text");
  if (length > UINT32_MAX / 2 - 1) throw Napi::RangeError::New(env, "text too long to parse");
  // Not a std::vector: it would zero the buffer first (4.8 MB for a 2.4 MB file, on every edit).
  std::unique_ptr<char16_t[]> units(new char16_t[length + 1]);
  status = napi_get_value_string_utf16(env, info[0], units.get(), length + 1, &length);
  if (status != napi_ok) throw Napi::Error::New(env, "cannot read the text");

  TSTree *tree = ts_parser_parse_string_encoding(state.parser, old_tree, reinterpret_cast<const char *>(units.get()),
                                                 static_cast<uint32_t>(length * 2), TSInputEncodingUTF16LE);
  if (tree == nullptr) {
    ts_parser_reset(state.parser);
    throw Napi::Error::New(env, "tree-sitter gave up parsing the text");
  }
  TreeBox *box = new TreeBox{tree, static_cast<int64_t>(ts_node_descendant_count(ts_tree_root_node(tree))) * BYTES_PER_NODE};
  Napi::MemoryManagement::AdjustExternalMemory(env, box->reported_bytes);
  Napi::External<TreeBox> external = Napi::External<TreeBox>::New(env, box, FinalizeTree);
  external.TypeTag(&TREE_TYPE_TAG);
  return external;
}

uint32_t Uint32Arg(const Napi::CallbackInfo &info, size_t index, const char *usage) {
  if (!info[index].IsNumber()) throw Napi::TypeError::New(info.Env(), usage);
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 0) || value > UINT32_MAX / 2) throw Napi::RangeError::New(info.Env(), usage);
  return static_cast<uint32_t>(value);
}

// editTree(tree, startIndex, oldEndIndex, newEndIndex, startRow, startColumn, oldEndRow,
// oldEndColumn, newEndRow, newEndColumn): tells the tree about one text change.
Napi::Value EditTree(const Napi::CallbackInfo &info) {
  const char *usage = "editTree(tree, startIndex, oldEndIndex, newEndIndex, startRow, startColumn, oldEndRow, oldEndColumn, newEndRow, newEndColumn)";
  TreeBox *box = LiveBox(info, 0, usage);
  uint32_t words[9];
  for (size_t i = 0; i < 9; i++) words[i] = Uint32Arg(info, i + 1, usage);
  TSInputEdit edit;
  edit.start_byte = words[0] * 2;
  edit.old_end_byte = words[1] * 2;
  edit.new_end_byte = words[2] * 2;
  edit.start_point = {words[3], words[4] * 2};
  edit.old_end_point = {words[5], words[6] * 2};
  edit.new_end_point = {words[7], words[8] * 2};
  ts_tree_edit(box->tree, &edit);
  return info.Env().Undefined();
}

// treeRoot(tree): the root node as one nodePath row (kind, start, end, child count, flags, node).
Napi::Value TreeRoot(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  TreeBox *box = LiveBox(info, 0, "treeRoot(tree)");
  const AddonState &state = StateOf(env);
  if (state.kinds.of_symbol == nullptr) throw Napi::Error::New(env, "configureMirror has not been called");
  Napi::Uint32Array row = Napi::Uint32Array::New(env, PATH_ROW);
  WritePathRow(state.kinds, ts_tree_root_node(box->tree), row.Data());
  return row;
}

// changedRanges(oldTree, newTree): [start, end, start, end, ...] in UTF-16 offsets, where the
// syntactic structure of the reparsed tree differs from the edited old one.
Napi::Value ChangedRanges(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const char *usage = "changedRanges(oldTree, newTree)";
  TreeBox *old_box = LiveBox(info, 0, usage);
  TreeBox *new_box = LiveBox(info, 1, usage);
  uint32_t count = 0;
  TSRange *ranges = ts_tree_get_changed_ranges(old_box->tree, new_box->tree, &count);
  Napi::Uint32Array result = Napi::Uint32Array::New(env, static_cast<size_t>(count) * 2);
  for (uint32_t i = 0; i < count; i++) {
    result[2 * i] = ranges[i].start_byte / 2;
    result[2 * i + 1] = ranges[i].end_byte / 2;
  }
  free(ranges);
  return result;
}

// treeString(tree): the tree as an S-expression (node tree-sitter's `rootNode.toString()`).
Napi::Value TreeString(const Napi::CallbackInfo &info) {
  TreeBox *box = LiveBox(info, 0, "treeString(tree)");
  char *text = ts_node_string(ts_tree_root_node(box->tree));
  Napi::String result = Napi::String::New(info.Env(), text);
  free(text);
  return result;
}

// deleteTree(tree, trim?: boolean): frees the tree now; with `trim`, a big tree's memory goes
// back to the system. Its nodes must not be used afterwards; deleting twice is harmless.
Napi::Value DeleteTree(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  TreeBox *box = BoxOf(info[0], false);
  if (box == nullptr) throw Napi::TypeError::New(env, "deleteTree(tree)");
  ReleaseTree(env, box, info[1].ToBoolean().Value());
  return env.Undefined();
}

}  // namespace

void InitNativeTree(Napi::Env env, Napi::Object exports) {
  exports["parseTree"] = Napi::Function::New(env, ParseTree, "parseTree");
  exports["editTree"] = Napi::Function::New(env, EditTree, "editTree");
  exports["treeRoot"] = Napi::Function::New(env, TreeRoot, "treeRoot");
  exports["changedRanges"] = Napi::Function::New(env, ChangedRanges, "changedRanges");
  exports["treeString"] = Napi::Function::New(env, TreeString, "treeString");
  exports["deleteTree"] = Napi::Function::New(env, DeleteTree, "deleteTree");
}
