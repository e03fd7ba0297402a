-- Drives a real Neovim (0.7+) as nixguard's LSP client for test/editors/neovim.test.ts.
--
-- Started as `nvim --headless --clean -u NONE -S run.lua` with NIXGUARD_NVIM_SPEC naming a JSON
-- file that says what to open and probe (see `NeovimSpec` in the test). The server is attached the
-- way nvim-lspconfig does on Neovim 0.7 (`vim.lsp.start_client` + `vim.lsp.buf_attach_client`,
-- settings sent with `workspace/didChangeConfiguration` from `on_init`), from the fields of the
-- repository's lsp/nixguard.lua. Everything is observed through Neovim's own API, recorded raw,
-- and written as one JSON file: the test asserts on it. Every wait is bounded; the client is
-- always stopped (and the server killed if it does not exit) and Neovim always quits.

local uv = vim.loop
local started = uv.hrtime()

local result = { steps = {}, publishes = {}, logs = {} }

local function elapsed_ms()
  return math.floor((uv.hrtime() - started) / 1e6)
end

local function step(name, fields)
  fields = fields or {}
  fields.name = name
  fields.at_ms = elapsed_ms()
  table.insert(result.steps, fields)
end

local function read_file(path)
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

local function write_file(path, text)
  local file = assert(io.open(path, 'wb'))
  file:write(text)
  file:close()
end

local spec = vim.json.decode(read_file(assert(os.getenv('NIXGUARD_NVIM_SPEC'), 'NIXGUARD_NVIM_SPEC is not set')))
local timeout = spec.timeout_ms

--- Waits until `condition()` holds, at most `timeout` ms; says whether it did.
local function wait_for(what, condition)
  local ok = vim.wait(timeout, condition, 20)
  if not ok then error('timed out after ' .. timeout .. ' ms waiting for ' .. what, 2) end
end

--- lspconfig's `util.root_pattern(...)`: the nearest folder upwards that holds one of `markers`.
local function root_pattern(markers, start)
  local folder = vim.fn.fnamemodify(start, ':p:h')
  while true do
    for _, marker in ipairs(markers) do
      if vim.fn.glob(folder .. '/' .. marker) ~= '' then return folder end
    end
    local parent = vim.fn.fnamemodify(folder, ':h')
    if parent == folder then return nil end
    folder = parent
  end
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n') .. '\n'
end

local function diagnostics_of(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source, code = d.code,
    })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return list
end

--- One request through `vim.lsp.buf_request_sync`; gives the nixguard client's answer.
local function request(bufnr, client_id, method, params)
  local client = vim.lsp.get_client_by_id(client_id)
  if not client.supports_method(method) then error(method .. ': the server does not advertise it', 0) end
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if not responses then error(method .. ' failed: ' .. tostring(err)) end
  local response = responses[client_id]
  if not response then error(method .. ': no answer from nixguard within ' .. timeout .. ' ms') end
  if response.err then error(method .. ' answered an error: ' .. vim.inspect(response.err)) end
  return response.result
end

local client_id
local exit_info = nil

local function main()
  local config = dofile(spec.config_path)
  step('config loaded', { cmd = config.cmd, filetypes = config.filetypes, root_markers = config.root_markers })

  vim.o.swapfile = false
  vim.cmd('edit ' .. vim.fn.fnameescape(spec.file))
  local bufnr = vim.api.nvim_get_current_buf()
  -- `-u NONE` turns filetype detection off (a normal setup maps `*.nix` to `nix`).
  vim.bo[bufnr].filetype = 'nix'
  if not vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then error('lsp/nixguard.lua does not cover filetype nix') end

  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.textDocument.completion.completionItem.snippetSupport = spec.snippet_support
  local settings = spec.settings or config.settings
  local root_dir = root_pattern(config.root_markers, spec.file)
  step('root found', { root_dir = root_dir })

  local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  client_id = vim.lsp.start_client({
    name = 'nixguard',
    cmd = config.cmd,
    root_dir = root_dir,
    capabilities = capabilities,
    settings = settings,
    flags = { debounce_text_changes = 150 },
    -- What nvim-lspconfig does: Neovim 0.7 itself never sends the settings.
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
    on_exit = function(code, signal)
      exit_info = { code = code, signal = signal }
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, params, ctx, handler_config)
        local codes = {}
        for _, d in ipairs(params.diagnostics) do table.insert(codes, d.code or vim.NIL) end
        table.insert(result.publishes, { uri = params.uri, version = params.version or vim.NIL, codes = codes, at_ms = elapsed_ms() })
        return publish(err, params, ctx, handler_config)
      end,
      ['window/logMessage'] = function(_, params)
        table.insert(result.logs, { type = params.type, message = params.message })
      end,
    },
  })
  if not client_id then error('vim.lsp.start_client failed') end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then error('vim.lsp.buf_attach_client failed') end
  local client = vim.lsp.get_client_by_id(client_id)
  wait_for('initialize', function() return client.initialized == true end)
  local capabilities_seen = client.server_capabilities
  result.server_capabilities = {
    text_document_sync = capabilities_seen.textDocumentSync or vim.NIL,
    hover = capabilities_seen.hoverProvider or vim.NIL,
    completion = capabilities_seen.completionProvider or vim.NIL,
    code_action = capabilities_seen.codeActionProvider or vim.NIL,
    diagnostic = capabilities_seen.diagnosticProvider or vim.NIL,
  }
  step('initialized')

  local uri = vim.uri_from_bufnr(bufnr)
  local function publishes_for_uri()
    local count = 0
    for _, p in ipairs(result.publishes) do
      if p.uri == uri then count = count + 1 end
    end
    return count
  end
  wait_for('the first publishDiagnostics', function() return publishes_for_uri() > 0 end)
  result.diagnostics = diagnostics_of(bufnr)
  step('diagnostics', { count = #result.diagnostics })

  -- A failing hover or completion is recorded on its probe, so the code action still runs.
  result.hovers = {}
  for _, probe in ipairs(spec.hovers) do
    local ok, answer = pcall(request, bufnr, client_id, 'textDocument/hover', {
      textDocument = { uri = uri }, position = { line = probe.line, character = probe.character },
    })
    local record = { name = probe.name }
    if not ok then
      record.error = tostring(answer)
    elseif answer and answer.contents then
      -- What `vim.lsp.buf.hover()` shows in its floating window.
      record.lines = vim.lsp.util.trim_empty_lines(vim.lsp.util.convert_input_to_markdown_lines(answer.contents))
    end
    table.insert(result.hovers, record)
  end
  step('hovers')

  result.completions = {}
  for _, probe in ipairs(spec.completions) do
    local ok, answer = pcall(request, bufnr, client_id, 'textDocument/completion', {
      textDocument = { uri = uri }, position = { line = probe.line, character = probe.character },
      context = { triggerKind = 1 },
    })
    local record = { name = probe.name, items = {}, words = {} }
    if not ok then
      record.error = tostring(answer)
    else
      for _, item in ipairs(answer and (answer.items or answer) or {}) do
        table.insert(record.items, {
          label = item.label,
          kind = item.kind or vim.NIL,
          insert_text_format = item.insertTextFormat or vim.NIL,
          insert_text = item.insertText or vim.NIL,
          new_text = item.textEdit and item.textEdit.newText or vim.NIL,
        })
      end
      -- What the built-in omnifunc (`vim.lsp.omnifunc`) offers for the typed prefix.
      for _, complete_item in ipairs(vim.lsp.util.text_document_completion_list_to_complete_items(answer or {}, probe.prefix)) do
        table.insert(record.words, complete_item.word)
      end
    end
    table.insert(result.completions, record)
  end
  step('completions')

  -- The quick fix, as `vim.lsp.buf.code_action()` asks for it on 0.7: the cursor's line, with
  -- that line's diagnostics in the context.
  local probe = spec.action
  vim.api.nvim_win_set_cursor(0, { probe.line + 1, probe.character })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local actions = request(bufnr, client_id, 'textDocument/codeAction', params) or {}
  result.action_titles = {}
  local chosen
  for _, action in ipairs(actions) do
    table.insert(result.action_titles, action.title)
    if action.title == probe.title then chosen = action end
  end
  step('code actions', { count = #actions })
  if not chosen then error('no code action titled ' .. probe.title) end
  if not chosen.edit and chosen.data ~= nil then chosen = request(bufnr, client_id, 'codeAction/resolve', chosen) end
  result.applied = { title = chosen.title, kind = chosen.kind or vim.NIL }
  local publishes_before = publishes_for_uri()
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  result.text_after_fix = buffer_text(bufnr)
  local version = vim.api.nvim_buf_get_changedtick(bufnr)
  result.version_after_fix = version
  step('fix applied')

  -- Neovim sends the change (incremental sync, after its debounce); the server re-checks and pushes.
  wait_for('publishDiagnostics for the fixed text', function()
    if publishes_for_uri() <= publishes_before then return false end
    local last = result.publishes[#result.publishes]
    result.published_version_after_fix = last.version
    return last.uri == uri and (last.version == vim.NIL or last.version >= version)
  end)
  result.diagnostics_after_fix = diagnostics_of(bufnr)
  step('diagnostics after fix', { count = #result.diagnostics_after_fix })

  -- Fix-all as a user runs it: `vim.lsp.buf.code_action` with `only`, the menu answered through
  -- `vim.ui.select`; Neovim itself resolves the lazy edit (`codeAction/resolve`) and applies it.
  local menu
  local select = vim.ui.select
  vim.ui.select = function(items, _, on_choice)
    menu = {}
    local choice
    for _, item in ipairs(items) do
      table.insert(menu, item[2].title)
      if item[2].kind == 'source.fixAll.nixguard' then
        choice = item
        -- Without an edit, Neovim must resolve the action first.
        result.fix_all_resolved_lazily = item[2].edit == nil
      end
    end
    on_choice(choice)
  end
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local publishes_before_fix_all = publishes_for_uri()
  vim.lsp.buf.code_action({ only = { 'source.fixAll' } })
  wait_for('the code action menu', function() return menu ~= nil end)
  vim.ui.select = select
  result.fix_all_menu = menu
  wait_for('the fix-all edit', function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end)
  result.text_after_fix_all = buffer_text(bufnr)
  local version_after_fix_all = vim.api.nvim_buf_get_changedtick(bufnr)
  wait_for('publishDiagnostics after fix-all', function()
    if publishes_for_uri() <= publishes_before_fix_all then return false end
    local last = result.publishes[#result.publishes]
    result.published_version_after_fix_all = last.version
    return last.uri == uri and (last.version == vim.NIL or last.version >= version_after_fix_all)
  end)
  result.version_after_fix_all = version_after_fix_all
  result.diagnostics_after_fix_all = diagnostics_of(bufnr)
  step('diagnostics after fix-all', { count = #result.diagnostics_after_fix_all })
end

local ok, failure = xpcall(main, debug.traceback)
result.ok = ok
if not ok then result.error = tostring(failure) end

-- Always stop the client: `shutdown` + `exit`, then force (kills the server) if it lingers.
if client_id then
  local client = vim.lsp.get_client_by_id(client_id)
  if client then
    client.stop()
    local stopped = vim.wait(math.min(timeout, 3000), function() return exit_info ~= nil end, 20)
    if not stopped then
      client.stop(true)
      vim.wait(2000, function() return exit_info ~= nil end, 20)
      result.forced_stop = true
    end
  end
end
result.server_exit = exit_info or vim.NIL
result.elapsed_ms = elapsed_ms()
result.nvim_version = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch
write_file(spec.result_path, vim.json.encode(result))
vim.cmd(ok and 'qall!' or 'cquit! 1')
