{
  "targets": [
    {
      "target_name": "tree_sitter_nix_binding",
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "include_dirs": ["src"],
      # Sources are named relative to this folder: gyp mis-places object files for absolute paths.
      # scripts/copy-grammar-sources.js copies them from the tree-sitter-nix package at install time.
      "sources": ["binding.cc", "src/parser.c", "src/scanner.c"],
      "cflags_c": ["-std=c11"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
