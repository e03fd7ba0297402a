// Exposes the tree-sitter-nix grammar to node tree-sitter 0.25, which only accepts a
// `Language` external carrying its own N-API type tag, plus the symbol and field tables so
// that analysis code can compare numeric ids from a TreeCursor instead of strings.
#include <napi.h>

extern "C" {
#include "tree_sitter/parser.h"
const TSLanguage *tree_sitter_nix();
}

// Must equal LANGUAGE_TYPE_TAG in tree-sitter's src/language.cc (b2sum of "tree-sitter", "language").
void InitMirror(Napi::Env env, Napi::Object exports);      // mirror.cc
void InitNativeTree(Napi::Env env, Napi::Object exports);  // native_tree.cc

static const napi_type_tag LANGUAGE_TYPE_TAG = {0x8AF2E5212AD58ABF, 0xD5006CAD83ABBA16};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  const TSLanguage *nix = tree_sitter_nix();
  auto language = Napi::External<TSLanguage>::New(env, const_cast<TSLanguage *>(nix));
  language.TypeTag(&LANGUAGE_TYPE_TAG);
  exports["language"] = language;
  exports["name"] = Napi::String::New(env, "nix");

  // Index = symbol id as TreeCursor.nodeTypeId reports it; null for hidden/auxiliary symbols.
  auto symbols = Napi::Array::New(env, nix->symbol_count);
  for (uint32_t id = 0; id < nix->symbol_count; id++) {
    TSSymbolMetadata metadata = nix->symbol_metadata[id];
    if (metadata.visible) {
      auto entry = Napi::Object::New(env);
      entry["name"] = Napi::String::New(env, nix->symbol_names[id]);
      entry["named"] = Napi::Boolean::New(env, metadata.named);
      symbols[id] = entry;
    } else {
      symbols[id] = env.Null();
    }
  }
  exports["symbols"] = symbols;
  // Symbols below this id are terminals (tokens): nodes of those kinds never have children.
  exports["tokenCount"] = Napi::Number::New(env, nix->token_count);

  // Index = field id as TreeCursor.currentFieldId reports it; index 0 means "no field".
  auto fields = Napi::Array::New(env, nix->field_count + 1);
  fields[uint32_t(0)] = env.Null();
  for (uint32_t id = 1; id <= nix->field_count; id++) {
    fields[id] = Napi::String::New(env, nix->field_names[id]);
  }
  exports["fields"] = fields;
  InitMirror(env, exports);
  InitNativeTree(env, exports);
  return exports;
}

NODE_API_MODULE(tree_sitter_nix_binding, Init)
