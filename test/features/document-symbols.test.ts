// Document symbols: the bindings of a file as a tree, capped for huge files.
import * as assert from 'assert';
import { documentSymbols } from 'nixguard/out/features/document-symbols';
import type { DocumentSymbol, DocumentSymbolLimits } from 'nixguard/out/features/document-symbols';
import { analyze } from '../helpers/cursor';

/** One line per symbol, `name kind (detail)`, indented two spaces per level. */
function outline(symbols: readonly DocumentSymbol[]): string[] {
  const lines: string[] = [];
  const pending: [DocumentSymbol, number][] = symbols.map((symbol): [DocumentSymbol, number] => [symbol, 0]).reverse();
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [symbol, depth] = item;
    lines.push(`${'  '.repeat(depth)}${symbol.name} ${symbol.kind}${symbol.detail === undefined ? '' : ` (${symbol.detail})`}`);
    for (let i = symbol.children.length - 1; i >= 0; i--) pending.push([symbol.children[i], depth + 1]);
  }
  return lines;
}

function check(text: string, expected: string[], limits?: DocumentSymbolLimits): void {
  assert.deepStrictEqual(outline(documentSymbols(analyze(text), limits).symbols), expected);
}

/** A set of `count` bindings, one per line, each with a small nested set. */
function bigSet(count: number): string {
  const lines = ['{'];
  for (let i = 0; i < count; i++) lines.push(`  attr${i} = { enable = true; port = ${i}; };`);
  lines.push('}');
  return lines.join('\n');
}

describe('document symbols', () => {
  it('lists let bindings, attribute paths and nested sets as a tree', () => {
    check('let a = 1; f = x: x; in { b.c = "s"; d = { e = [ ]; g = null; }; }', [
      'a number (1)',
      'f function',
      'b.c string ("s")',
      'd object',
      '  e array',
      '  g null (null)',
    ]);
  });

  it('lists the formals of the top-level function and its `@` name', () => {
    check('args@{ lib, enable ? false, ... }: { x = lib; }', ['args formal (all arguments)', 'lib formal (formal)', 'enable formal (formal ? false)', 'x field']);
    check('pkgs: pkgs.hello', ['pkgs formal (argument)']);
  });

  it('lists inherited names with where they come from', () => {
    check('let inherit (pkgs) lib hello; in { inherit lib; }', ['lib variable (inherit (pkgs))', 'hello variable (inherit (pkgs))', 'lib field (inherit)']);
  });

  it('finds sets inside function calls and lists, and the bindings of rec sets', () => {
    check('{ config = mkIf cfg.enable (rec { a = true; b = a; }); l = [ { c = ./x.nix; } ]; }', [
      'config field',
      '  a boolean (true)',
      '  b variable',
      'l array',
      '  c path (./x.nix)',
    ]);
  });

  it('quotes attribute names that are no identifiers and skips bindings without a name', () => {
    check('{ "a.b" = 1; ${x} = 2; "c" = 3; }', ['"a.b" number (1)', '${x} number (2)', 'c number (3)']);
  });

  it('keeps shallow bindings first when the symbol budget runs out, and stops at the depth limit', () => {
    check('{ a = { b = { c = 1; }; }; d = 2; }', ['a object', '  b object', 'd number (2)'], { maxSymbols: 10, maxDepth: 2 });
    check('{ a = { b = 1; }; c = 2; d = 3; }', ['a object', 'c number (2)'], { maxSymbols: 2, maxDepth: 4 });
  });

  it('says which limit left bindings out, and how many symbols are shown', () => {
    const truncation = (text: string, limits: DocumentSymbolLimits): unknown => documentSymbols(analyze(text), limits).truncated;
    assert.deepStrictEqual(truncation('{ a = { b = { c = 1; }; }; d = 2; }', { maxSymbols: 10, maxDepth: 2 }), { shown: 3, maxDepth: 2 });
    assert.deepStrictEqual(truncation('{ a = { b = 1; }; c = 2; d = 3; }', { maxSymbols: 2, maxDepth: 4 }), { shown: 2, maxSymbols: 2 });
    assert.deepStrictEqual(truncation('{ a = { b = { c = 1; }; }; d = 2; e = 3; }', { maxSymbols: 3, maxDepth: 2 }), { shown: 3, maxSymbols: 3 });
    assert.deepStrictEqual(truncation('{ a = { b = { inherit c; }; }; }', { maxSymbols: 2, maxDepth: 3 }), { shown: 2, maxSymbols: 2 });
    assert.deepStrictEqual(truncation('{ a = { b = { inherit c; }; }; }', { maxSymbols: 3, maxDepth: 2 }), { shown: 2, maxDepth: 2 });
    // Exactly at a limit, nothing is left out: no truncation.
    assert.strictEqual(truncation('{ a = { b = 1; }; c = 2; }', { maxSymbols: 3, maxDepth: 2 }), undefined);
    assert.strictEqual(truncation('{ a = { b = f { x = 1; }; }; }', { maxSymbols: 3, maxDepth: 3 }), undefined);
    assert.strictEqual(truncation('{ a = { b = [ 1 2 ]; }; }', { maxSymbols: 10, maxDepth: 2 }), undefined);
  });

  it('answers a 20,000-binding file within the budget, fast and small', () => {
    const file = analyze(bigSet(20_000));
    void file.table;
    const started = process.hrtime.bigint();
    const { symbols, truncated } = documentSymbols(file);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const json = JSON.stringify(symbols);
    assert.strictEqual(outline(symbols).length, 2000);
    assert.strictEqual(symbols.length, 2000, 'the top level fills the budget before any nested binding');
    assert.ok(json.length < 1_000_000, `${json.length} bytes`);
    assert.ok(elapsedMs < 200, `${elapsedMs} ms`);
    assert.deepStrictEqual(truncated, { shown: 2000, maxSymbols: 2000 });
  });
});
