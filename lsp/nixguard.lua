-- nixguard, the Nix language server and linter, for Neovim 0.11+.
--
-- Neovim reads `lsp/<name>.lua` from every runtimepath entry, so either add this repository to
-- the runtimepath (`vim.opt.runtimepath:append('/path/to/nixguard')`) or copy this file into
-- `~/.config/nvim/lsp/`, then call `vim.lsp.enable('nixguard')`. Fields given to
-- `vim.lsp.config('nixguard', {...})` are merged over these.
--
-- `nixguard` must be on PATH (`npm install -g nixguard`, or the repository's `server/bin/nixguard`);
-- otherwise set `cmd` to its absolute path, e.g. `{ '/path/to/nixguard/server/bin/nixguard', 'lsp' }`.
return {
  cmd = { 'nixguard', 'lsp', '--stdio' },
  filetypes = { 'nix' },
  root_markers = { 'flake.nix', '.git' },
  -- `nixguard.rules` overrides `.nixguard.json`, e.g. `rules = { ['bool-comparison'] = 'off' }`.
  settings = {
    nixguard = {
      rules = {},
    },
  },
}
