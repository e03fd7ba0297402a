// Completion: what may be typed at the cursor, on the real parser, including the broken text of
// a user in mid-word (`foo.` then the end of the file, unclosed brackets and strings).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkFile } from 'nixguard';
import { BUILTINS } from 'nixguard/out/analysis/builtins';
import { completionsAt, CompletionItem, CompletionList, CompletionOptions } from 'nixguard/out/features/completion';
import { hoverAt } from 'nixguard/out/features/hover';
import { analyze, markRanges, withCursor } from '../helpers/cursor';
import { REPOSITORY_ROOT } from '../helpers/paths';

/** Group digit of `sortText` for builtins (see completion.ts). */
const BUILTIN_GROUP = '3';

function complete(textWith$0: string, options: CompletionOptions = {}): { list: CompletionList | undefined; text: string } {
  const { text, offset, file } = withCursor(textWith$0);
  return { list: completionsAt(file, offset, options), text };
}

/** The labels offered at `$0`, builtins left out (they are checked separately), in order. */
function labels(textWith$0: string, options: CompletionOptions = {}): string[] | undefined {
  const { list } = complete(textWith$0, options);
  return list?.items.filter((item) => item.sortText[0] !== BUILTIN_GROUP).map((item) => item.label);
}

function check(textWith$0: string, expected: string[] | undefined): void {
  assert.deepStrictEqual(labels(textWith$0), expected, textWith$0);
}

function item(textWith$0: string, label: string, options: CompletionOptions = {}): CompletionItem {
  const found = complete(textWith$0, options).list?.items.find((candidate) => candidate.label === label);
  assert.ok(found, `${label} is offered in ${textWith$0}`);
  return found;
}

const EXPRESSION_KEYWORDS = ['if', 'let', 'with', 'assert', 'rec'];

describe('completion', () => {
  describe('names in scope', () => {
    it('offers let bindings, formals and lambda arguments, innermost first, then keywords', () => {
      check('{ pkgs, lib ? null, ... }: x: let a = 1; b = 2; in $0', ['a', 'b', 'x', 'pkgs', 'lib', ...EXPRESSION_KEYWORDS]);
    });

    it('offers a shadowed name once, described by its innermost definition', () => {
      check('a: let a = 1; in $0', ['a', ...EXPRESSION_KEYWORDS]);
      assert.strictEqual(item('a: let a = 1; in $0', 'a').detail, 'let binding');
    });

    it('offers a rec set’s names inside it, and a plain set’s never', () => {
      check('rec { a = 1; b = $0; }', ['a', 'b', ...EXPRESSION_KEYWORDS]);
      check('{ a = 1; b = $0; }', EXPRESSION_KEYWORDS);
    });

    it('follows attribute-set merging: a rec set’s names in a later `a.c = …`, none in a set merged into a plain one', () => {
      check('{ a = rec { b = 1; }; a.c = $0; }', ['b', 'c', ...EXPRESSION_KEYWORDS]);
      check('{ a.x = 1; a = rec { b = 1; c = $0; }; }', EXPRESSION_KEYWORDS);
    });

    it('offers the names of an `@` pattern and of formals inside a default', () => {
      check('args@{ a, b ? $0 }: a', ['a', 'b', 'args', ...EXPRESSION_KEYWORDS]);
    });

    it('describes definitions: kind, functions, and the first line as documentation', () => {
      const text = 'let f = x: x; v = {\n  a = 1;\n}; in { g ? 1 }: $0';
      assert.strictEqual(item(text, 'f').kind, 'function');
      assert.strictEqual(item(text, 'v').kind, 'variable');
      assert.strictEqual(item(text, 'v').documentation, '```nix\nv = { …\n```');
      assert.strictEqual(item(text, 'g').detail, 'formal argument, default `1`');
    });

    it('offers what a `with` certainly provides, after the lexical names', () => {
      check('let a = 1; in with { b = 2; c = 3; }; [ $0 ]', ['a', 'b', 'c', ...EXPRESSION_KEYWORDS]);
      assert.strictEqual(item('with { b = 2; }; $0', 'b').detail, 'from `{ b = 2; }`');
      // An unknown environment adds nothing; the `with` keyword's own environment is not its body.
      check('with pkgs; $0', EXPRESSION_KEYWORDS);
      check('with { b = 2; $0 }; 1', ['inherit']);
      // `map` still means the builtin inside `with { map = …; }`: Nix looks at `with`s last.
      check('with { map = 1; q = 2; }; $0', ['q', ...EXPRESSION_KEYWORDS]);
      assert.strictEqual(item('with { map = 1; q = 2; }; $0', 'map').detail, 'builtins.map f list');
    });
  });

  describe('builtins and keywords', () => {
    it('offers the global builtins with their signatures, not the `__` ones until `__` is typed', () => {
      const { list } = complete('$0');
      const builtins = list?.items.filter((candidate) => candidate.sortText[0] === BUILTIN_GROUP).map((candidate) => candidate.label) ?? [];
      const expected = [...BUILTINS.values()].filter((info) => info.global).map((info) => info.name).concat('__curPos').filter((name) => !name.startsWith('__'));
      assert.deepStrictEqual([...builtins].sort(), expected.sort());
      assert.strictEqual(item('$0', 'map').detail, 'builtins.map f list');
      assert.strictEqual(item('$0', 'builtins').kind, 'module');
      assert.strictEqual(item('$0', 'true').kind, 'constant');
      assert.strictEqual(item('__a$0', '__attrNames').detail, 'builtins.attrNames set');
      assert.strictEqual(item('__a$0', '__curPos').kind, 'constant');
    });

    it('leaves out a builtin that a local name shadows', () => {
      const { list } = complete('let map = 1; in $0');
      const maps = list?.items.filter((candidate) => candidate.label === 'map') ?? [];
      assert.deepStrictEqual(maps.map((candidate) => candidate.detail), ['let binding']);
    });

    it('offers `then` and `else` where an `if` waits for them', () => {
      check('x: if x $0', ['x', 'then', ...EXPRESSION_KEYWORDS]);
      check('x: if x then 1 $0', ['x', 'else', ...EXPRESSION_KEYWORDS]);
      check('x: if x then 1 else $0', ['x', ...EXPRESSION_KEYWORDS]);
    });

    it('offers `inherit` between bindings, and `in` in a let', () => {
      check('{ a = 1; $0 }', ['inherit']);
      check('let a = 1; $0', ['inherit', 'in']);
      check('let a = 1; i$0 in a', ['inherit', 'in']);
    });

    it('inserts keywords as snippets only for clients that support them', () => {
      assert.deepStrictEqual(item('$0', 'if'), { label: 'if', kind: 'keyword', detail: 'keyword', insertText: 'if', snippet: false, sortText: '2000000' });
      const snippet = item('$0', 'if', { snippets: true });
      assert.strictEqual(snippet.snippet, true);
      assert.strictEqual(snippet.insertText, 'if ${1:condition} then ${2:value} else ${0:other}');
      assert.strictEqual(item('{ $0 }', 'inherit', { snippets: true }).insertText, 'inherit $0;');
      assert.strictEqual(item('$0', 'map', { snippets: true }).snippet, false);
    });
  });

  describe('after a dot', () => {
    it('offers every builtin after `builtins.`, with signatures', () => {
      const { list } = complete('builtins.$0');
      assert.strictEqual(list?.items.length, BUILTINS.size);
      assert.strictEqual(item('builtins.$0', 'attrNames').detail, 'builtins.attrNames set');
      // A local `builtins` is not the builtin.
      check('let builtins = { a = 1; }; in builtins.$0', ['a']);
    });

    it('offers the attributes of a set written in the file, through paths and nested sets', () => {
      check('let x = { a = 1; b.c = 2; }; in x.$0', ['a', 'b']);
      check('let x = { a = 1; b.c = 2; b = { d = 3; }; }; in x.b.$0', ['c', 'd']);
      check('let x.a = 1; x.b = 2; in x.$0', ['a', 'b']);
      check('rec { x = { a = 1; }; y = x.$0; }', ['a']);
      check('let x = (let y = { a = 1; }; in y); in x.$0', ['a']);
    });

    it('follows inherits and selections to the set', () => {
      check('let inherit (s) y; s = { y = { z = 1; }; }; in y.$0', ['z']);
      check('let s = { t = { u = 1; }; }; r = s.t; in r.$0', ['u']);
      check('let a = { b = 1; }; in let inherit a; in a.$0', ['b']);
      check('let s = { inherit q; }; q = { r = 1; }; in s.q.$0', ['r']);
    });

    it('offers nothing for values it cannot know, and ends on loops', () => {
      check('{ lib, ... }: lib.$0', []);
      check('let x = import ./x.nix; in x.$0', []);
      check('let x = x; in x.$0', []);
      check('let x = { a = 1; }; in (x).$0', undefined);
      check('let x = { a = 1; }; in x.${"a"}.$0', undefined);
    });

    it('offers the formals for `args.` of `args@{ … }`', () => {
      check('args@{ a, b ? 1, ... }: args.$0', ['a', 'b']);
      assert.strictEqual(item('args@{ a, b ? 1, ... }: args.$0', 'b').kind, 'property');
    });

    it('offers nothing in an attribute path being defined', () => {
      check('{ services.$0 }', undefined);
      check('let a.$0', undefined);
    });
  });

  describe('inherit', () => {
    it('offers the names in scope outside a let, without those already listed', () => {
      check('{ pkgs, lib, ... }: let inherit lib $0; in 1', ['pkgs']);
      check('{ pkgs, lib, ... }: { inherit $0; }', ['pkgs', 'lib']);
      check('{ pkgs, ... }: rec { a = 1; inherit $0; }', ['pkgs']);
    });

    it('offers the attributes of the source of `inherit (x)`', () => {
      check('let s = { a = 1; b = 2; }; in { inherit (s) a $0; }', ['b']);
      assert.strictEqual(complete('{ inherit (builtins) $0; }').list?.items.length, BUILTINS.size);
      check('{ inherit (f x) $0; }', []);
      // Inside the parentheses an expression is typed.
      check('let s = 1; in { inherit ($0); }', ['s', ...EXPRESSION_KEYWORDS]);
    });
  });

  describe('where nothing is completed', () => {
    it('offers nothing in strings and comments, but in `${ }` as usual', () => {
      check('let a = 1; in "a$0"', undefined);
      check("let a = 1; in ''a$0''", undefined);
      check('let a = 1; in # a$0', undefined);
      check('let a = 1; in /* a$0 */ a', undefined);
      check('let a = 1; in "x ${a$0}"', ['a', ...EXPRESSION_KEYWORDS]);
      check("let a = 1; in ''x ${ { b = a$0; } }''", ['a', ...EXPRESSION_KEYWORDS]);
      check('let a = 1; in "$${a$0}"', undefined);
    });

    it('offers nothing in paths, URIs, numbers and formals', () => {
      check('[ ./foo/b$0 ]', undefined);
      check('[ https://example.org/a$0 ]', undefined);
      check('[ 1.$0 ]', undefined);
      check('[ 12$0 ]', undefined);
      check('{ a, $0 }: a', undefined);
    });
  });

  describe('replace range', () => {
    function range(textWith$0: string): string {
      const { list, text } = complete(textWith$0);
      assert.ok(list, textWith$0);
      return markRanges(text, [list.range]);
    }

    it('covers the part of the word before the cursor', () => {
      assert.strictEqual(range('let abc = 1; in ab$0'), 'let abc = 1; in «ab»');
      assert.strictEqual(range('builtins.to$0String'), 'builtins.«to»String');
      assert.strictEqual(range('x: x - y$0'), 'x: x - «y»');
      assert.strictEqual(range('[ $0 ]'), '[ «» ]');
    });
  });

  describe('broken text', () => {
    it('completes after `foo.` at the end of the file', () => {
      check('let foo = { a = 1; }; in foo.$0', ['a']);
      assert.strictEqual(complete('builtins.$0').list?.items.length, BUILTINS.size);
    });

    it('sees through unclosed brackets and a missing `in` body', () => {
      check('{ pkgs, lib, ... }: { x = l$0', ['pkgs', 'lib', ...EXPRESSION_KEYWORDS]);
      check('{ pkgs, ... }: let a = { b = 1; }; in { c = [ (a.$0', ['b']);
      check('{ pkgs, ... }: let a = 1; b = $0', ['a', 'b', 'pkgs', ...EXPRESSION_KEYWORDS]);
      check('let a = 1; in $0', ['a', ...EXPRESSION_KEYWORDS]);
      check('x: $0', ['x', ...EXPRESSION_KEYWORDS]);
    });

    it('completes a dot in the middle of a set that otherwise parses', () => {
      check('let a = { q = 1; }; in { b = a.$0; c = 2; }', ['q']);
      check('let a = { q = 1; }; in {\n  b = a.$0\n  c = 2;\n}', ['q']);
    });

    it('reads strings and comments that are not closed as such', () => {
      check('let a = 1; in "a$0', undefined);
      check('let a = 1; in /* a$0', undefined);
      check('let a = 1; in { b = "x ${a$0', ['a', ...EXPRESSION_KEYWORDS]);
    });

    it('completes in `inherit` lists being typed', () => {
      check('{ pkgs, lib, ... }: { inherit pkgs $0', ['lib']);
      check('let s = { a = 1; b = 2; }; in { inherit (s) b $0', ['a']);
    });
  });

  describe('robustness', () => {
    it('answers at every third offset of the syntax fixtures, broken ones included, without throwing', () => {
      const folder = path.join(REPOSITORY_ROOT, 'fixtures', 'syntax');
      const files = ['ok', 'err'].flatMap((kind) => fs.readdirSync(path.join(folder, kind)).filter((name) => name.endsWith('.nix')).map((name) => path.join(folder, kind, name)));
      assert.ok(files.length > 20, 'the syntax fixtures are there');
      let answered = 0;
      for (const name of files) {
        const text = fs.readFileSync(name, 'utf8');
        const file = analyze(text);
        const findings = checkFile(file).findings;
        // Every third offset keeps the test quick (broken texts are reparsed per request).
        for (let offset = 0; offset <= text.length; offset += 3) {
          const list = completionsAt(file, offset);
          if (list) {
            assert.ok(list.range.start <= offset && list.range.end === offset, `${name}@${offset}: the range ends at the cursor`);
            answered++;
          }
          hoverAt({ file, offset, findings, environment: {} });
        }
      }
      assert.ok(answered > 100, 'completion answers in many places');
    });
  });

  describe('many names', () => {
    it('keeps the items matching the typed word when there are too many, and says so', () => {
      const bindings = Array.from({ length: 50 }, (_, i) => `n${i} = ${i};`).join(' ');
      const full = complete(`let ${bindings} in n4$0`, { maxItems: 1000 }).list;
      assert.strictEqual(full?.incomplete, false);
      const limited = complete(`let ${bindings} in n4$0`, { maxItems: 20 }).list;
      assert.strictEqual(limited?.incomplete, true);
      assert.deepStrictEqual(limited?.items.map((candidate) => candidate.label).filter((label) => label.startsWith('n')), ['n4', 'n14', 'n24', 'n34', 'n40', 'n41', 'n42', 'n43', 'n44', 'n45', 'n46', 'n47', 'n48', 'n49']);
    });
  });
});
