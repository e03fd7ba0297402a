{
  "targets": [
    {
      "target_name": "tree_sitter_nix_binding",
      "dependencies": ["tree_sitter_runtime", "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "include_dirs": ["src"],
      # Sources are named relative to this folder: gyp mis-places object files for absolute paths.
      # scripts/copy-grammar-sources.js copies them from the tree-sitter-nix package at install time.
      "sources": ["binding.cc", "mirror.cc", "native_tree.cc", "src/parser.c", "src/scanner.c"],
      "cflags_c": ["-std=c11"],
      "cflags_cc": ["-fvisibility=hidden"],
      "defines": ["NAPI_VERSION=8"],
      "xcode_settings": {"GCC_SYMBOLS_PRIVATE_EXTERN": "YES"}
    },
    {
      # The installed tree-sitter package's own runtime sources (copied to src/runtime), for
      # mirror.cc. Kept in a target of its own so that its include path does not mix with the
      # grammar's older tree_sitter/parser.h.
      "target_name": "tree_sitter_runtime",
      "type": "static_library",
      "sources": ["src/runtime/src/lib.c", "mirror_walk.c"],
      "include_dirs": ["src/runtime/src", "src/runtime/include"],
      # Hidden symbols: tree-sitter's own addon exports the same names.
      "direct_dependent_settings": {"include_dirs": ["src/runtime/include"], "defines": ["TREE_SITTER_HIDE_SYMBOLS", "TREE_SITTER_HIDDEN_SYMBOLS"]},
      "defines": ["_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE", "TREE_SITTER_HIDE_SYMBOLS", "TREE_SITTER_HIDDEN_SYMBOLS"],
      "cflags_c": ["-std=c11", "-fvisibility=hidden"],
      "xcode_settings": {"GCC_SYMBOLS_PRIVATE_EXTERN": "YES"}
    }
  ]
}
