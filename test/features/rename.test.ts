// Rename: the text after renaming the variable at the cursor, or the reason it is refused. A
// rename must never change what a name means.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TextEdit } from 'nixguard';
import { prepareRename, rename } from 'nixguard/out/features/rename';
import { analyze, applyOffsetEdits, markRanges, withCursor } from '../helpers/cursor';
import { repositoryPath, RULE_FIXTURES } from '../helpers/paths';

/** Renames the name at `$0` to `newName`: `expected` is the new text, or `{ refused }` with the message. */
function check(textWith$0: string, newName: string, expected: string | { refused: string }): void {
  const { text, offset, file } = withCursor(textWith$0);
  const result = rename(file, offset, newName);
  assert.ok(result, `nothing to rename at $0 in ${textWith$0}`);
  if (typeof expected !== 'string') {
    assert.deepStrictEqual(result, { kind: 'refused', message: expected.refused });
    return;
  }
  assert.strictEqual(result.kind, 'edits', result.kind === 'refused' ? result.message : '');
  if (result.kind !== 'edits') return;
  const renamed = applyOffsetEdits(text, result.edits);
  assert.strictEqual(renamed, expected);
  // The renamed text still parses.
  assert.strictEqual(analyze(renamed).table.errorNodes().length, 0, `renamed text has syntax errors: ${renamed}`);
}

/** prepareRename at `$0`: the range to edit marked «…» and the placeholder, or the refusal. */
function checkPrepare(textWith$0: string, expected: string | { refused: string } | undefined, placeholder?: string): void {
  const { text, offset, file } = withCursor(textWith$0);
  const result = prepareRename(file, offset);
  if (expected === undefined || typeof expected !== 'string') {
    assert.deepStrictEqual(result, expected && { kind: 'refused', message: expected.refused });
    return;
  }
  assert.ok(result && result.kind === 'renamable', JSON.stringify(result));
  assert.strictEqual(markRanges(text, [result.range]), expected);
  assert.strictEqual(result.placeholder, placeholder);
}

describe('rename', () => {
  describe('prepareRename', () => {
    it('offers the name under the cursor, inside the quotes of a string key', () => {
      checkPrepare('let a = 1; in $0a', 'let a = 1; in «a»', 'a');
      checkPrepare('let "a-b" = 1; in { inherit "$0a-b"; }', 'let "a-b" = 1; in { inherit "«a-b»"; }', 'a-b');
      checkPrepare('args@{ a, ... }: args.$0a', 'args@{ a, ... }: args.«a»', 'a');
    });

    it('refuses builtins, names from `with` and undefined names with a reason', () => {
      checkPrepare('$0map', { refused: '`map` is a Nix builtin and cannot be renamed' });
      checkPrepare('with x; $0y', { refused: '`y` comes from a `with`; rename it where that set defines it' });
      checkPrepare('$0y', { refused: '`y` is not defined in this file' });
    });

    it('offers nothing away from variables', () => {
      checkPrepare('{ $0a = 1; }', undefined);
      checkPrepare('$0[ ]', undefined);
    });
  });

  describe('edits', () => {
    it('renames a let binding and its uses, from either', () => {
      check('let $0a = 1; in a + a', 'b', 'let b = 1; in b + b');
      check('let a = 1; in a + $0a', 'b', 'let b = 1; in b + b');
    });

    it('leaves shadowed names and plain attribute names alone', () => {
      check('let $0a = 1; in { a = a; b = let a = 2; in a; }', 'z', 'let z = 1; in { a = z; b = let a = 2; in a; }');
    });

    it('renames lambda arguments, formals with their defaults, and `@` names', () => {
      check('$0x: x', 'y', 'y: y');
      check('{ $0a, b ? a }: a + b', 'c', '{ c, b ? c }: c + b');
      check('args@{ a }: $0args', 'all', 'all@{ a }: all');
    });

    it('renames `args.a` and `args ? a` with the formal `a` of `args@{ a, ... }`', () => {
      check('args@{ $0a, ... }: args.a + (if args ? a then a else 0)', 'z', 'args@{ z, ... }: args.z + (if args ? z then z else 0)');
      check('{ a, ... }@args: args.$0a or 1', 'z', '{ z, ... }@args: args.z or 1');
    });

    it('keeps the attribute of `inherit a;` in a plain set', () => {
      check('let $0a = 1; in { inherit a; b = a; }', 'z', 'let z = 1; in { a = z; b = z; }');
      check('let $0a = 1; b = 2; in { inherit a b; }', 'z', 'let z = 1; b = 2; in { inherit b; a = z; }');
    });

    it('keeps reading the outer name when renaming the inner name of `inherit a;` in a let or rec', () => {
      check('let a = 1; in let inherit $0a; in a', 'z', 'let a = 1; in let z = a; in z');
      check('a: rec { inherit b $0a; c = a; }', 'z', 'a: rec { inherit b; z = a; c = z; }');
    });

    it('selects from the source when renaming a name of `inherit (e) a;`', () => {
      check('let inherit (x) $0a; in a', 'z', 'let z = x.a; in z');
      check('let inherit (f x) $0a b; in a', 'z', 'let inherit (f x) b; z = (f x).a; in z');
    });

    it('keeps the quotes of a string key', () => {
      check('let "a" = 1; in { inherit $0a; }', 'z', 'let "z" = 1; in { a = z; }');
    });

    it('renames every site of a name defined in parts', () => {
      check('let a.b = 1; a.c = 2; in $0a', 'z', 'let z.b = 1; z.c = 2; in z');
    });

    it('renames a name to itself without edits', () => {
      check('let $0a = 1; in a', 'a', 'let a = 1; in a');
    });
  });

  describe('refusals', () => {
    it('refuses names that are no Nix identifier, and keywords', () => {
      check('let $0a = 1; in a', '1a', { refused: 'Cannot rename: `1a` is not a valid Nix identifier' });
      check('let $0a = 1; in a', 'a.b', { refused: 'Cannot rename: `a.b` is not a valid Nix identifier' });
      check('let $0a = 1; in a', 'in', { refused: 'Cannot rename: `in` is a Nix keyword' });
      check('let $0a = 1; in a', 'or', { refused: 'Cannot rename: `or` is a Nix keyword' });
    });

    it('accepts identifiers with dashes and quotes', () => {
      check("let $0a = 1; in a", "a-b'", "let a-b' = 1; in a-b'");
    });

    it('refuses a name already defined in the same scope', () => {
      check('let $0a = 1; b = 2; in a', 'b', { refused: 'Cannot rename `a`: `b` is already defined in the same scope' });
      check('{ $0a, b }: a', 'b', { refused: 'Cannot rename `a`: `b` is already defined in the same scope' });
      check('let $0a = 1; inherit (x) b; in a', 'b', { refused: 'Cannot rename `a`: `b` is already defined in the same scope' });
    });

    it('refuses when a scope between a use and the definition binds the new name', () => {
      check('let $0a = 1; in let b = 2; in a', 'b', { refused: 'Cannot rename `a`: a use of it would then refer to the `b` bound closer to it' });
      check('$0a: b: a', 'b', { refused: 'Cannot rename `a`: a use of it would then refer to the `b` bound closer to it' });
      check('let $0a = 1; in let b = 2; in { inherit a; }', 'b', { refused: 'Cannot rename `a`: a use of it would then refer to the `b` bound closer to it' });
    });

    it('refuses when the definition would capture a use of the new name in its scope', () => {
      check('b: let $0a = 1; in a + b', 'b', { refused: 'Cannot rename `a`: `b` is already used in its scope and would then refer to it' });
      check('let $0a = 1; in map a', 'map', { refused: 'Cannot rename `a`: `map` is already used in its scope and would then refer to it' });
      check('with x; let $0a = 1; in a + y', 'y', { refused: 'Cannot rename `a`: `y` is already used in its scope and would then refer to it' });
    });

    it('allows a new name that only an unrelated scope uses', () => {
      check('{ x = b: b; y = let $0a = 1; in a; }', 'b', '{ x = b: b; y = let b = 1; in b; }');
      check('let $0a = 1; in [ a (b: b) ]', 'b', 'let b = 1; in [ b (b: b) ]');
    });
  });

  describe('meaning', () => {
    /** Scope-heavy fixtures: their files bind, shadow, inherit and capture names in every way the rules know. */
    const FIXTURE_FOLDERS = ['undefined-variable', 'unused-let-binding', 'unused-formal', 'unused-inherit', 'unused-at-pattern', 'shadowed-builtin', 'manual-inherit'];

    it('keeps what every other name means when renaming any variable of the scope fixtures, or refuses', function () {
      this.timeout(30_000);
      const failures: string[] = [];
      let renamed = 0;
      for (const folder of FIXTURE_FOLDERS.map((name) => path.join(RULE_FIXTURES, name)).filter((dir) => fs.existsSync(dir))) {
        for (const name of fs.readdirSync(folder).filter((entry) => entry.endsWith('.nix') && !entry.endsWith('.fixed.nix'))) {
          const text = fs.readFileSync(path.join(folder, name), 'utf8');
          const file = analyze(text);
          const before = meaningOf(text, []);
          const candidates = ['fresh', 'map', ...new Set(file.scopes.definitions.map((definition) => definition.name))].slice(0, 8);
          for (const definition of file.scopes.definitions) {
            for (const newName of candidates) {
              const result = rename(file, file.table.start(definition.node), newName);
              if (!result || result.kind !== 'edits') continue;
              renamed++;
              const after = meaningOf(applyOffsetEdits(text, result.edits), result.edits);
              for (const [offset, meaning] of before) {
                const expected = result.edits.some((edit) => definitionOffsetOf(meaning) >= edit.range.start && definitionOffsetOf(meaning) < edit.range.end) ? 'renamed' : meaning;
                if (result.edits.some((edit) => offset >= edit.range.start && offset < edit.range.end) || after.get(offset) === expected) continue;
                failures.push(`${repositoryPath(path.join(folder, name))}: renaming \`${definition.name}\` to \`${newName}\` turns the name at ${offset} from ${meaning} into ${after.get(offset)}`);
                break;
              }
            }
          }
        }
      }
      assert.deepStrictEqual(failures.slice(0, 10), []);
      assert.ok(renamed > 100, `only ${renamed} renames were made`);
    });
  });
});

/** `definition@offset` → the offset; -1 for other meanings. */
function definitionOffsetOf(meaning: string): number {
  return meaning.startsWith('definition@') ? Number(meaning.slice('definition@'.length)) : -1;
}

/**
 * What each reference outside the `edits` (made to get `text`) means, keyed by its offset before
 * the edits: `definition@<offset before the edits>` (`renamed` when the definition site was
 * edited), `builtin`, `with@<offset>` or `undefined`.
 */
function meaningOf(text: string, edits: readonly TextEdit[]): Map<number, string> {
  const file = analyze(text);
  const table = file.table;
  // Where the edits landed in `text`, and how far each moved what follows it.
  const spans: { start: number; end: number; shiftAfter: number }[] = [];
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.range.start - b.range.start)) {
    const start = edit.range.start - shift;
    shift += edit.range.end - edit.range.start - edit.newText.length;
    spans.push({ start, end: start + edit.newText.length, shiftAfter: shift });
  }
  const edited = (offset: number): boolean => spans.some((span) => offset >= span.start && offset < span.end);
  const original = (offset: number): number => {
    let delta = 0;
    for (const span of spans) if (span.end <= offset) delta = span.shiftAfter;
    return offset + delta;
  };
  const meanings = new Map<number, string>();
  for (const reference of file.scopes.references) {
    const offset = table.start(reference.node);
    if (edited(offset)) continue;
    const resolution = reference.resolution;
    let meaning: string = resolution.kind;
    if (resolution.kind === 'definition') {
      const site = table.start(resolution.definition.node);
      meaning = edited(site) ? 'renamed' : `definition@${original(site)}`;
    } else if (resolution.kind === 'with') {
      meaning = `with@${original(table.start(resolution.withs[0].node))}`;
    }
    meanings.set(original(offset), meaning);
  }
  return meanings;
}
