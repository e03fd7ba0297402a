// Syntax diagnostics: the fixtures in fixtures/syntax/ (see its README for the format), the
// message catalogue on small snippets, cascade merging, the grammar-gap rewrites, and bounded
// work on hostile input (deep nesting, binary junk).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AnalyzedFile, findRule, runRules, SourceFile } from 'nixguard';
import type { Finding, Rule } from 'nixguard';
import { fieldName, isNamedKind, kindName } from 'nixguard/out/syntax/grammar';
import { applyParserRewrites, findParserRewrites } from 'nixguard/out/syntax/parser-input';
import { describeSyntaxErrors, MAX_SYNTAX_PROBLEMS } from 'nixguard/out/syntax/syntax-errors';
import type { SyntaxTable } from 'nixguard/out/syntax/syntax-table';
import { formatMismatch, lineTexts, matchAnnotations, parseAnnotations } from '../helpers/annotations';
import { REPOSITORY_ROOT } from '../helpers/paths';

const SYNTAX_FIXTURES = path.join(REPOSITORY_ROOT, 'fixtures', 'syntax');
const UPDATE = process.env.UPDATE_EXPECT === '1';

function syntaxRule(): Rule {
  const rule = findRule('syntax-error');
  assert.ok(rule, 'the syntax-error rule is registered');
  return rule;
}

function syntaxFindings(text: string): Finding[] {
  const result = runRules(new AnalyzedFile(SourceFile.parse(text), 'fixture.nix'), { rules: [syntaxRule()] });
  assert.deepStrictEqual(result.failures, [], 'the syntax-error rule does not crash');
  return result.findings;
}

/** `[start, end) message` per finding, for compact assertions. */
function summarize(findings: readonly { range?: { start: number; end: number }; start?: number; end?: number; message: string }[]): string[] {
  return findings.map((f) => {
    const start = f.range ? f.range.start : f.start;
    const end = f.range ? f.range.end : f.end;
    return `${start}-${end} ${f.message}`;
  });
}

function nixFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.nix'))
    .sort();
}

/**
 * The parse tree as an indented S-expression: named nodes, ERROR nodes and MISSING tokens, with
 * their fields, one per line (the `.tree` goldens).
 */
function printTree(table: SyntaxTable): string {
  const lines: string[] = [];
  const depth = new Int32Array(table.size);
  const open: number[] = [];
  for (let row = 0; row < table.size; row++) {
    const parent = table.parent(row);
    depth[row] = parent < 0 ? 0 : depth[parent] + 1;
    const kind = table.kind(row);
    const missing = table.isMissing(row);
    if (!isNamedKind(kind) && !missing) continue;
    while (open.length > 0 && table.subtreeEnd(open[open.length - 1]) <= row) {
      open.pop();
      lines[lines.length - 1] += ')';
    }
    const field = fieldName(table.field(row));
    const label = missing ? `MISSING ${isNamedKind(kind) ? kindName(kind) : JSON.stringify(kindName(kind))}` : kindName(kind);
    lines.push(`${'  '.repeat(depth[row])}${field ? `${field}: ` : ''}(${label}`);
    open.push(row);
  }
  if (lines.length > 0) lines[lines.length - 1] += ')'.repeat(open.length);
  return lines.join('\n') + '\n';
}

function assertTreeGolden(file: string, text: string): void {
  const golden = file.replace(/\.nix$/, '.tree');
  const actual = printTree(SourceFile.parse(text).table);
  if (UPDATE || !fs.existsSync(golden)) {
    fs.writeFileSync(golden, actual);
    if (!UPDATE) assert.fail(`${path.relative(REPOSITORY_ROOT, golden)} was missing and has been written: review and commit it`);
    return;
  }
  assert.strictEqual(actual, fs.readFileSync(golden, 'utf8'), `the parse tree differs from ${path.relative(REPOSITORY_ROOT, golden)} (UPDATE_EXPECT=1 rewrites it)`);
}

/** The text with every annotation line replaced by spaces of the same length: same offsets, no comments. */
function blankAnnotations(text: string): string {
  const { annotationLines } = parseAnnotations(text);
  const lines = lineTexts(text);
  let offset = 0;
  let result = text;
  for (let line = 0; line < lines.length; line++) {
    const start = text.indexOf(lines[line], offset);
    if (annotationLines.has(line)) result = result.slice(0, start) + ' '.repeat(lines[line].length) + result.slice(start + lines[line].length);
    offset = start + lines[line].length;
  }
  return result;
}

describe('syntax fixtures', () => {
  describe('ok', () => {
    for (const name of nixFiles(path.join(SYNTAX_FIXTURES, 'ok'))) {
      it(`reports no syntax error in ${name}`, () => {
        const file = path.join(SYNTAX_FIXTURES, 'ok', name);
        const text = fs.readFileSync(file, 'utf8');
        assert.deepStrictEqual(summarize(syntaxFindings(text)), []);
        assertTreeGolden(file, text);
      });
    }
  });

  describe('err', () => {
    for (const name of nixFiles(path.join(SYNTAX_FIXTURES, 'err'))) {
      it(`reports the annotated syntax errors of ${name}`, () => {
        const file = path.join(SYNTAX_FIXTURES, 'err', name);
        const text = fs.readFileSync(file, 'utf8');
        const parsed = parseAnnotations(text);
        assert.deepStrictEqual(parsed.problems, []);
        assert.ok(parsed.annotations.length > 0, 'an err fixture annotates at least one syntax error');
        const findings = syntaxFindings(text);
        const mismatch = matchAnnotations(text, parsed.annotations, findings);
        if (mismatch.missing.length > 0 || mismatch.unexpected.length > 0) assert.fail(formatMismatch(`fixtures/syntax/err/${name}`, text, mismatch));
        // Annotations are comments inside broken code: they must not change what is reported.
        assert.deepStrictEqual(summarize(syntaxFindings(blankAnnotations(text))), summarize(findings), 'the annotation comments change the findings');
        assertTreeGolden(file, text);
      });
    }
  });

  it('has no .tree golden without its fixture', () => {
    for (const folder of ['ok', 'err']) {
      const dir = path.join(SYNTAX_FIXTURES, folder);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.tree'))) {
        assert.ok(fs.existsSync(path.join(dir, name.replace(/\.tree$/, '.nix'))), `${folder}/${name} has no .nix next to it`);
      }
    }
  });
});

describe('syntax error messages', () => {
  // [text, expected first problem as `start-end message`]
  const cases: [string, string][] = [
    ['{ a = 1 }', '7-7 expected `;`'],
    ['{ a = { b = 1 }; }', '13-13 expected `;`'],
    ['{ a = 1\n  b = 2;\n}', '7-7 expected `;`'],
    ['let a = 1; a', '0-3 missing `in` after `let` bindings'],
    ['let a = 1 in a', '9-9 expected `;`'],
    ['if a then b', '0-2 missing `else` branch of `if`'],
    ['if a b else c', '0-2 missing `then` after the `if` condition'],
    ['{ a = ; }', '5-5 expected an expression after `=`'],
    ['let x = in x', '7-7 expected an expression after `=`'],
    ['a +', '3-3 expected an expression after `+`'],
    ['x:', '2-2 expected an expression after `:`'],
    ['"abc', '0-1 unterminated string'],
    ["''abc", '0-2 unterminated indented string'],
    ['f (x', '2-3 unclosed `(`'],
    ['{ a = 1;', '0-1 unclosed `{`'],
    ['x: { a = 1; b = [ 1 2 ; }', '16-17 unclosed `[`'],
    ['x: x.${', '5-7 unclosed interpolation: missing `}`'],
    ['[ 1 2 ) ]', '6-7 unexpected `)`'],
    ['{ a = 1; } }', '11-12 unexpected `}`'],
    ['[ 1, 2, 3 ]', '3-4 unexpected `,`: list elements are separated by spaces'],
    ['{ a = 1, b = 2 }', '7-8 unexpected `,`: bindings end with `;`'],
    ['a.', '2-2 expected an attribute name after `.`'],
    ['a ? ', '3-3 expected an attribute name after `?`'],
    ['{ a, b }', '8-8 expected `:` after the function arguments'],
    ['with pkgs', '0-4 missing `;` after the `with` expression'],
    ['assert x', '0-6 missing `;` after the `assert` condition'],
    ['rec', '3-3 expected `{` after `rec`'],
    ['{ inherit a b }', '13-13 expected `;`'],
    ['{ inherit (pkgs; }', '10-11 unclosed `(`'],
    ['{ exec "x"; }', '6-6 expected `=` after `exec`'],
    ['x: `x`', '3-4 unexpected character `` ` ``'],
    ['x: x |> f', '5-7 unexpected `|>`: the pipe operator needs a newer Nix (experimental feature `pipe-operators`)'],
    ['x: x.if', '5-7 `if` is a keyword; quote it to use it as an attribute name: `"if"`'],
    ['{ then = 1; }', '2-6 `then` is a keyword; quote it to use it as an attribute name: `"then"`'],
    ['let or = 1; in or', '15-17 `or` is a keyword; as a variable it is only allowed as a function argument'],
    ['9223372036854775808', '0-19 integer `9223372036854775808` is too large (the largest is 9223372036854775807)'],
    ['/nix/store/', '0-11 a path cannot end with `/`'],
    ['./a//b', '0-6 a path cannot contain `//`'],
    ['', '0-0 expected an expression: the file is empty'],
    ['# nothing\n', '0-10 expected an expression: the file has only comments'],
    ['1 \0', '2-3 unexpected NUL character'],
  ];
  for (const [text, expected] of cases) {
    it(`reports ${JSON.stringify(text)} as ${expected.replace(/^\S+ /, '')}`, () => {
      const findings = summarize(syntaxFindings(text));
      assert.strictEqual(findings[0], expected, `all findings: ${JSON.stringify(findings)}`);
    });
  }

  it('never says "ERROR" or "MISSING"', () => {
    for (const [text] of cases) {
      for (const finding of syntaxFindings(text)) assert.ok(!/ERROR|MISSING|node/.test(finding.message), finding.message);
    }
  });

  it('keeps every message within 100 characters and without a trailing period', () => {
    for (const [text] of cases) {
      for (const finding of syntaxFindings(text)) {
        assert.ok(finding.message.length <= 100, finding.message);
        assert.ok(!finding.message.endsWith('.'), finding.message);
      }
    }
  });
});

describe('syntax error cascades', () => {
  const MODULE = [
    '{ config, lib, pkgs, ... }:',
    'let',
    '  cfg = config.services.example;',
    'in',
    '{',
    '  options.services.example = {',
    '    enable = lib.mkEnableOption "example";',
    '    port = lib.mkOption { type = lib.types.port; default = 8080; };',
    '  };',
    '  config = lib.mkIf cfg.enable {',
    '    environment.systemPackages = with pkgs; [ hello curl ];',
    '    networking.firewall.allowedTCPPorts = [ cfg.port ];',
    '    systemd.services.example = {',
    '      wantedBy = [ "multi-user.target" ];',
    '      serviceConfig.ExecStart = "${pkgs.hello}/bin/hello --port ${toString cfg.port}";',
    '    };',
    '  };',
    '}',
    '',
  ].join('\n');

  it('starts from a module without syntax errors', () => {
    assert.deepStrictEqual(summarize(syntaxFindings(MODULE)), []);
  });

  // Every single-token deletion of a bracket, `;`, `=` or `in` outside strings must give one or two problems.
  const TOKENS = /[{}[\]();=]|\bin\b/g;
  const STRINGS = [...MODULE.matchAll(/"[^"]*"/g)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
  it('reports one or two problems for any one deleted bracket, `;`, `=` or `in`', () => {
    const overflows: string[] = [];
    for (const match of MODULE.matchAll(TOKENS)) {
      const index = match.index ?? 0;
      if (STRINGS.some(([start, end]) => start < index && index < end)) continue;
      const broken = MODULE.slice(0, index) + MODULE.slice(index + match[0].length);
      const findings = syntaxFindings(broken);
      if (findings.length === 0 || findings.length > 2) overflows.push(`deleting ${JSON.stringify(match[0])} at ${index}: ${JSON.stringify(summarize(findings))}`);
    }
    assert.deepStrictEqual(overflows, []);
  });

  it('caps the problems of one file at MAX_SYNTAX_PROBLEMS', () => {
    // Independent missing `;` in many bindings are all real, up to the cap.
    const text = '{\n' + Array.from({ length: 100 }, (_, i) => `  a${i} = 1\n  b${i} = 2;\n`).join('') + '}\n';
    const problems = describeSyntaxErrors(SourceFile.parse(text).table);
    assert.strictEqual(problems.length, MAX_SYNTAX_PROBLEMS);
    assert.ok(problems.every((p) => p.message === 'expected `;`'));
  });

  it('reports nothing after an unterminated string, which runs to the end of the file for Nix', () => {
    const findings = summarize(syntaxFindings('{\n  a = "abc;\n  b = [ 1, 2 ];\n  c = );\n}\n'));
    assert.deepStrictEqual(findings, ['8-9 unterminated string']);
  });
});

describe('syntax errors on hostile input', () => {
  function timed<T>(work: () => T): { result: T; ms: number } {
    const started = process.hrtime.bigint();
    const result = work();
    return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  }

  for (const [name, text] of [
    ['10,000 unclosed `[`', '['.repeat(10_000)],
    ['10,000 unclosed `{ a =`', '{ a = '.repeat(10_000)],
    ['10,000 nested parentheses with a stray `]`', '('.repeat(10_000) + '1 ]' + ')'.repeat(10_000)],
    ['10,000 nested lets without `in`', 'let a = '.repeat(10_000) + '1;'],
    ['10,000 stray `)`', ')'.repeat(10_000)],
  ] as const) {
    it(`reports ${name} quickly and with at most MAX_SYNTAX_PROBLEMS problems`, () => {
      const source = SourceFile.parse(text);
      const { result, ms } = timed(() => describeSyntaxErrors(source.table));
      assert.ok(result.length >= 1 && result.length <= MAX_SYNTAX_PROBLEMS, JSON.stringify(summarize(result)));
      assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
    });
  }

  it('reports binary junk quickly and with at most MAX_SYNTAX_PROBLEMS problems', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    const text = bytes.toString('latin1');
    const source = SourceFile.parse(text);
    const { result, ms } = timed(() => syntaxFindings(text));
    assert.ok(result.length >= 1 && result.length <= MAX_SYNTAX_PROBLEMS);
    assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
    assert.ok(describeSyntaxErrors(source.table).length <= MAX_SYNTAX_PROBLEMS);
  });
});

describe('grammar-gap rewrites', () => {
  // Snippets Nix 2.8 accepts that the npm grammar rejects (G-numbers of docs/rules/syntax-error.md).
  const accepted: [string, string][] = [
    ['G1', '{ a, }: a'],
    ['G2', '{ a, b, }: a'],
    ['G3', '{ a ? 1, }: a'],
    ['G4', '{ pkgs ? import <nixpkgs> { }, }: pkgs'],
    ['G5', '{ outputs = { self, nixpkgs, }: { }; }'],
    ['G6', '{ a, # c\n}: a'],
    ['G7', '{ a,\n/* c */\n}: a'],
    ['G8', '{ a, }@args: a'],
    ['G9', 'args@{ a, }: a'],
    ['G10', '{ inherit; }'],
    ['G11', '{ inherit (x); }'],
    ['G12', 'x: ~/${x}'],
    ['G13', '[ # c\r1 ]'],
    ['G14', '"a\0b"'],
    ['G15', "''\n a\0b\n''"],
    ['nested trailing commas', '{ a ? { b, }: b, }: a'],
    ['comma inside a default string', '{ a ? "x,}:", }: a'],
    ['NUL in a comment', '# a\0b\n1'],
    ['NUL in a block comment', '/* \0 */ 1'],
    ['NUL in an interpolated string', '"${"a\0"}b\0"'],
  ];
  for (const [label, text] of accepted) {
    it(`reports no syntax error for ${label}: ${JSON.stringify(text)}`, () => {
      assert.deepStrictEqual(summarize(syntaxFindings(text)), []);
    });
  }

  const rejected: [string, string][] = [
    ['a comma with no formal before it', '{ , }: a'],
    ['two commas', '{ a, , }: a'],
    ['a comma after `...`', '{ a, ..., }: a'],
    ['a comma in a list', '[ 1, ]'],
    ['an empty home path', 'x: ~/'],
  ];
  for (const [label, text] of rejected) {
    it(`still reports ${label}: ${JSON.stringify(text)}`, () => {
      assert.notDeepStrictEqual(summarize(syntaxFindings(text)), []);
    });
  }

  it('keeps the text length and changes only the listed characters', () => {
    for (const [, text] of accepted) {
      const rewrites = findParserRewrites(text);
      const rewritten = applyParserRewrites(text, rewrites);
      assert.strictEqual(rewritten.length, text.length);
      const offsets = new Set(rewrites.map((rewrite) => rewrite.offset));
      for (let index = 0; index < text.length; index++) {
        if (rewritten[index] !== text[index]) assert.ok(offsets.has(index), `${JSON.stringify(text)}: offset ${index} changed without a rewrite`);
      }
      for (const { offset, replacement } of rewrites) assert.strictEqual(rewritten[offset], replacement);
    }
  });

  it('leaves NUL outside strings and comments alone', () => {
    assert.deepStrictEqual(findParserRewrites('1 \0'), []);
  });
});

describe('syntax errors after edits', () => {
  it('reports a keyword attribute typed into a clean file, and forgets it when removed', () => {
    const rule = syntaxRule();
    let source = SourceFile.parse('{ a = x.b; c = 2; }\n');
    let run = runRules(new AnalyzedFile(source, 'edit.nix'), { rules: [rule] });
    assert.deepStrictEqual(summarize(run.findings), []);
    // `x.b` → `x.if`
    source = source.withChanges([{ start: 8, end: 9, text: 'if' }]);
    run = runRules(new AnalyzedFile(source, 'edit.nix'), { rules: [rule], previous: run.state });
    assert.deepStrictEqual(summarize(run.findings), ['8-10 `if` is a keyword; quote it to use it as an attribute name: `"if"`']);
    source = source.withChanges([{ start: 8, end: 10, text: 'b' }]);
    run = runRules(new AnalyzedFile(source, 'edit.nix'), { rules: [rule], previous: run.state });
    assert.deepStrictEqual(summarize(run.findings), []);
  });
});
