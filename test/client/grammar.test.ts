// The extension's TextMate grammar (client/syntaxes/nix.tmLanguage.json), tokenized by the
// engine VS Code itself uses (vscode-textmate with the Oniguruma WebAssembly build): each case
// names a piece of text and the scope it must carry, and where a string or comment must end.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GLOBAL_BUILTINS } from 'nixguard/out/analysis/builtins';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { REPOSITORY_ROOT } from '../helpers/paths';

const GRAMMAR_FILE = path.join(REPOSITORY_ROOT, 'client', 'syntaxes', 'nix.tmLanguage.json');
const SCOPE_NAME = 'source.nix.nixguard';

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammar: textmate.IGrammar;

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns), createOnigString: (text) => new oniguruma.OnigString(text) }),
    loadGrammar: async (scopeName) => (scopeName === SCOPE_NAME ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null),
  });
  const loaded = await registry.loadGrammar(SCOPE_NAME);
  if (!loaded) throw new Error(`${GRAMMAR_FILE} did not load`);
  return loaded;
}

/** Every token of a (possibly multi-line) text, lines tokenized in order as the editor does. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    state = result.ruleStack;
  }
  return tokens;
}

/** The scopes of the token that is exactly `piece` (the `occurrence`-th such token). */
function scopesOf(text: string, piece: string, occurrence = 0): readonly string[] {
  const matching = tokenize(text).filter((token) => token.text === piece);
  const token = matching[occurrence];
  if (!token) assert.fail(`no token ${JSON.stringify(piece)} in ${JSON.stringify(text)}; tokens: ${JSON.stringify(tokenize(text).map((t) => t.text))}`);
  return token.scopes;
}

function assertScope(text: string, piece: string, scope: string, occurrence = 0): void {
  const scopes = scopesOf(text, piece, occurrence);
  assert.ok(
    scopes.some((s) => s === scope || s.startsWith(`${scope}.`)),
    `${JSON.stringify(piece)} in ${JSON.stringify(text)} has scopes ${scopes.join(' ')}, expected ${scope}`,
  );
}

function assertNoScope(text: string, piece: string, scope: string, occurrence = 0): void {
  const scopes = scopesOf(text, piece, occurrence);
  assert.ok(!scopes.some((s) => s === scope || s.startsWith(`${scope}.`)), `${JSON.stringify(piece)} in ${JSON.stringify(text)} has ${scope}: ${scopes.join(' ')}`);
}

describe('client TextMate grammar', () => {
  before(async () => {
    grammar = await loadGrammar();
  });

  it('colours line and block comments, and ends a block comment at `*/`', () => {
    assertScope('x # a note', ' a note', 'comment.line.number-sign.nix');
    assertScope('/* one\n two */ y', ' two ', 'comment.block.nix');
    assertNoScope('/* one\n two */ y', 'y', 'comment');
  });

  it('ends a string after an interpolation and colours the interpolated expression as code', () => {
    const text = '"a ${b} c"; d';
    assertScope(text, 'a ', 'string.quoted.double.nix');
    // Inside the string scope, as VS Code wants: `meta.embedded` makes the editor treat it as code.
    assertScope(text, 'b', 'meta.embedded.interpolation.nix');
    assertScope(text, 'b', 'variable.other.nix');
    assertScope(text, ' c', 'string.quoted.double.nix');
    assertNoScope(text, 'd', 'string');
  });

  it('keeps a set inside an interpolation from ending it early', () => {
    const text = '"${ { x = 1; }.x } tail"';
    assertScope(text, 'x', 'entity.other.attribute-name.nix');
    assertScope(text, ' tail', 'string.quoted.double.nix');
    assertNoScope(text, ' tail', 'meta.embedded');
  });

  it('colours escapes and treats `$${` as literal text', () => {
    const text = '"\\"q\\" $${x}"';
    assertScope(text, '\\"', 'constant.character.escape.nix');
    assertScope(text, '$$', 'constant.character.escape.nix');
    assertScope(text, '{x}', 'string.quoted.double.nix');
    assertNoScope(text, '{x}', 'meta.embedded');
  });

  it('reads indented strings with their escapes over several lines', () => {
    const text = "x = ''\n  a ''$ b ''' c ''\\n\n  ${d}\n''; e";
    assertScope(text, "''$", 'constant.character.escape.nix');
    assertScope(text, "'''", 'constant.character.escape.nix');
    assertScope(text, "''\\n", 'constant.character.escape.nix');
    assertScope(text, 'd', 'meta.embedded.interpolation.nix');
    assertScope(text, "''", 'punctuation.definition.string.end.nix', 1);
    assertScope(text, 'e', 'variable.other.nix');
    assertNoScope(text, 'e', 'string');
  });

  it('colours paths, search paths and URIs, and interpolations inside paths', () => {
    for (const piece of ['./foo/bar.nix', '../x', '/etc/nixos', '~/config', 'a/b']) assertScope(`import ${piece}`, piece, 'string.unquoted.path.nix');
    assertScope('import <nixpkgs> {}', '<nixpkgs>', 'string.unquoted.path.search.nix');
    assertScope('src = https://example.org/a.tar.gz?x=1;', 'https://example.org/a.tar.gz?x=1', 'string.unquoted.uri.nix');
    const text = './modules/${name}.nix';
    assertScope(text, './modules/', 'string.unquoted.path.nix');
    assertScope(text, 'name', 'meta.embedded.interpolation.nix');
    assertScope(text, '.nix', 'string.unquoted.path.nix');
  });

  it('tells a lambda parameter from a URI and division from a path', () => {
    assertScope('x: x + 1', 'x', 'variable.parameter.nix');
    assertScope('x:x', 'x:x', 'string.unquoted.uri.nix');
    assertScope('a / b', '/', 'keyword.operator.arithmetic.nix');
    assertScope('a // b', '//', 'keyword.operator.update.nix');
    assertScope('args@{ a, ... }: a', 'args', 'variable.parameter.nix');
    assertScope('{ a, ... }@args: a', 'args', 'variable.parameter.nix');
  });

  it('colours numbers but not digits inside names', () => {
    for (const piece of ['42', '1.5', '.5e3']) assertScope(`x = ${piece};`, piece, 'constant.numeric.nix');
    assertScope('x86_64 + 1', 'x86_64', 'variable.other.nix');
  });

  it('colours keywords only as whole names', () => {
    const text = 'let a = rec { }; in if a then with a; b else assert c; d.e or f';
    for (const keyword of ['let', 'rec', 'in', 'if', 'then', 'with', 'else', 'assert', 'or']) assertScope(text, keyword, 'keyword');
    for (const name of ['in-place', 'letter', 'iffy', "then'"]) assertScope(`${name} + 1`, name, 'variable.other.nix');
  });

  it('colours the names an `inherit` brings in and every name of an attribute path before `=`', () => {
    assertScope('inherit (pkgs) hello;', 'inherit', 'keyword.other.inherit.nix');
    assertScope('inherit (pkgs) hello;', 'hello', 'entity.other.attribute-name.nix');
    assertScope('inherit (pkgs) hello;', 'pkgs', 'variable.other.nix');
    const text = 'services.openssh.enable = true;';
    for (const name of ['services', 'openssh', 'enable']) assertScope(text, name, 'entity.other.attribute-name.nix');
    assertScope('x == y', 'x', 'variable.other.nix');
    assertScope('x <= y', 'x', 'variable.other.nix');
  });

  it('colours every global builtin the server knows, and `builtins.<name>`', () => {
    for (const name of GLOBAL_BUILTINS) {
      const scope = ['true', 'false', 'null'].includes(name) ? 'constant.language.nix' : 'support.function.builtin.nix';
      assertScope(`${name} x`, name, scope);
    }
    assertScope('builtins.toJSON x', 'toJSON', 'support.function.builtin.nix');
    assertScope('mapper x', 'mapper', 'variable.other.nix');
  });
});
