// Property: however a document is edited, the incrementally maintained version equals a fresh
// parse of the final text. Same tree (S-expression), same SyntaxTable rows (every column), same
// parser text, and the same findings from the runner when it reuses the previous run's state.
// Edits are random insertions, deletions and replacements of Nix tokens and non-ASCII text at
// random places and next to the constructs that matter (`}:`, `${`, quotes, comments, line ends),
// applied one at a time or in batches, as an LSP client sends them.
import * as assert from 'assert';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'util';
import { AnalyzedFile, checkFile, checkText, SourceFile } from 'nixguard';
import type { Finding, RunState, TextChange } from 'nixguard';
import { kindName } from 'nixguard/out/syntax/grammar';
import { SyntaxTable } from 'nixguard/out/syntax/syntax-table';
import { NIX_SAMPLES } from '../helpers/nix-samples';

const SNIPPETS = [
  '{', '}', '(', ')', '[', ']', ';', ':', '=', '.', ',', '@', '?', '...', '"', "''", '${', '}:', ', }:', ',',
  'let ', ' in ', 'rec ', 'inherit ', 'with lib; ', 'if ', ' then ', ' else ', 'assert ', 'or ', '//', '++', '==', '!=', '!', '->',
  'x', 'foo.bar', 'a = 1;', ' == true', 'false == ', '"true"', '42', './path', '<nixpkgs>', 'https://example.org',
  '# comment\n', '#', '/* block */', '/*', '*/', '# nixguard-ignore-next-line bool-comparison\n', '# nixguard-ignore-file bool-comparisn\n',
  'é', '日本語', '🎉', '\uD83C', '\n', '\r\n', '\r', ' ', '\t', '',
];

/** Places where edits change how the grammar reads the text; edits are aimed at them too. */
const LANDMARKS = ['}:', '}@', '${', '"', "''", ';', '{', '}', ',', '#', '/*', '\n', '\r', 'in', '=', '==', '...'];

interface EditSpec {
  /** Where: a random offset, or the n-th occurrence of a landmark. */
  readonly at: { readonly kind: 'offset'; readonly fraction: number } | { readonly kind: 'landmark'; readonly landmark: string; readonly occurrence: number; readonly shift: number };
  readonly deleteLength: number;
  readonly insert: string;
}

/** One step: the changes of one didChange notification, each in the text left by the previous. */
type Step = readonly EditSpec[];

const editArbitrary: fc.Arbitrary<EditSpec> = fc.record({
  at: fc.oneof(
    fc.record({ kind: fc.constant('offset' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({
      kind: fc.constant('landmark' as const),
      landmark: fc.constantFrom(...LANDMARKS),
      occurrence: fc.nat({ max: 40 }),
      shift: fc.integer({ min: -2, max: 2 }),
    }),
  ),
  deleteLength: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 5, max: 60 }) }),
  insert: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SNIPPETS) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...SNIPPETS), { minLength: 2, maxLength: 4 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', ' ', '{', '}', ';', '"', '$', '\n', 'é', '\r', ',', ':'), maxLength: 6 }) },
  ),
});

/** Edits that mostly keep the text valid Nix: trivia, string content, renames, operators, a trailing comma. */
const validEditArbitrary: fc.Arbitrary<EditSpec> = fc.oneof(
  ...(
    [
      [';', 1, 0, [' ', '\n  ', ' # note é\n', ' /* 🎉 */', '\r\n', '\n\n']],
      ['"', 1, 0, ['é', '日本語', '🎉', 'text', '\\n', '$x', '']],
      [' = ', 0, 0, ['X', '_2', "'", '-']],
      [' = ', 3, 0, ['/* c */ ', '\n    ']],
      ['== true', 0, 7, ['== false', '!= true', '!= false', '== true']],
      ['== false', 0, 8, ['== true', '!= false']],
      ['}:', 0, 0, [',', ' ']],
      ['}@', 0, 0, [',', ' ']],
      [', }', 0, 1, ['']],
      ['{\n', 2, 0, ['  added = "é";\n', '  # 🎉\n', '  inherit lib;\n']],
      ['[ ', 2, 0, ['"new" ', '1 ', '(x: x) ']],
      ['in\n', 3, 0, ['  ', '# after in\n']],
    ] as const
  ).map(([landmark, shift, deleteLength, inserts]) =>
    fc.record({
      at: fc.record({ kind: fc.constant('landmark' as const), landmark: fc.constant(landmark), occurrence: fc.nat({ max: 40 }), shift: fc.constant(shift) }),
      deleteLength: fc.constant(deleteLength),
      insert: fc.constantFrom(...inserts),
    }),
  ),
);

const validCaseArbitrary = fc.record({
  sample: fc.constantFrom(...Object.keys(NIX_SAMPLES)),
  steps: fc.array(fc.oneof({ weight: 3, arbitrary: validEditArbitrary.map((edit): Step => [edit]) }, { weight: 1, arbitrary: fc.array(validEditArbitrary, { minLength: 2, maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 8,
  }),
});

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof({ weight: 3, arbitrary: editArbitrary.map((edit) => [edit]) }, { weight: 1, arbitrary: fc.array(editArbitrary, { minLength: 2, maxLength: 4 }) });

const caseArbitrary = fc.record({
  sample: fc.constantFrom(...Object.keys(NIX_SAMPLES)),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 6 }),
});

function resolveOffset(text: string, spec: EditSpec): number {
  if (spec.at.kind === 'offset') return Math.round(spec.at.fraction * text.length);
  const positions: number[] = [];
  for (let i = text.indexOf(spec.at.landmark); i >= 0; i = text.indexOf(spec.at.landmark, i + 1)) positions.push(i);
  if (positions.length === 0) return text.length;
  const base = positions[spec.at.occurrence % positions.length];
  return Math.max(0, Math.min(text.length, base + spec.at.shift));
}

function toChange(text: string, spec: EditSpec): TextChange {
  const start = resolveOffset(text, spec);
  return { start, end: Math.min(text.length, start + spec.deleteLength), text: spec.insert };
}

function applyChange(text: string, change: TextChange): string {
  return text.slice(0, change.start) + change.text + text.slice(change.end);
}

/** Every column of one row, through the public accessors. */
function describeRow(table: SyntaxTable, row: number): string {
  if (row >= table.size) return '(no such row)';
  return (
    `${row}: ${kindName(table.kind(row))} ${table.start(row)}-${table.end(row)} parent=${table.parent(row)} ` +
    `subtreeEnd=${table.subtreeEnd(row)} field=${table.field(row)} missing=${table.isMissing(row)} error=${table.isError(row)}`
  );
}

/** The first row where any column differs, or -1 when the tables are equal. */
function firstDifferentRow(a: SyntaxTable, b: SyntaxTable): number {
  const rows = Math.max(a.size, b.size);
  for (let row = 0; row < rows; row++) {
    if (
      row >= a.size ||
      row >= b.size ||
      a.kind(row) !== b.kind(row) ||
      a.start(row) !== b.start(row) ||
      a.end(row) !== b.end(row) ||
      a.parent(row) !== b.parent(row) ||
      a.subtreeEnd(row) !== b.subtreeEnd(row) ||
      a.field(row) !== b.field(row) ||
      a.isMissing(row) !== b.isMissing(row) ||
      a.isError(row) !== b.isError(row)
    ) {
      return row;
    }
  }
  return -1;
}

function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.range.start}-${f.range.end} ${f.severity} ${f.message} ${JSON.stringify({ fixes: f.fixes, related: f.related, tags: f.tags })} keys=${Object.keys(f).join(',')}`);
}

/** Compares the incremental version with a fresh parse; throws with the first difference. */
function assertSameAsFresh(source: SourceFile, findings: readonly Finding[], context: string): void {
  const fresh = SourceFile.parse(source.text);
  assert.strictEqual(source.parserText, fresh.parserText, `${context}: parser text differs`);
  const incrementalTree = String(source.syntaxTree);
  const freshTree = String(fresh.syntaxTree);
  if (incrementalTree !== freshTree) assert.fail(`${context}: trees differ\n  incremental: ${incrementalTree}\n  fresh:       ${freshTree}`);
  const row = firstDifferentRow(source.table, fresh.table);
  if (row >= 0) {
    assert.fail(
      `${context}: SyntaxTable differs (${source.table.size} rows, ${fresh.table.size} fresh); first difference:\n` +
        `  incremental: ${describeRow(source.table, row)}\n  fresh:       ${describeRow(fresh.table, row)}`,
    );
  }
  assert.strictEqual(source.table.text, source.text, `${context}: the table's text is not the document's`);
  assert.strictEqual(source.hasSyntaxErrors, fresh.hasSyntaxErrors, `${context}: syntax error verdict differs`);
  const freshFindings = checkText(source.text).findings;
  if (!isDeepStrictEqual(findings, freshFindings)) {
    const incremental = describeFindings(findings).join('\n    ');
    assert.fail(`${context}: findings differ\n  incremental:\n    ${incremental}\n  fresh:\n    ${describeFindings(freshFindings).join('\n    ')}`);
  }
}

function describeCase(sample: string, steps: readonly Step[], upTo: number, finalText: string): string {
  const lines = steps.slice(0, upTo + 1).map((step, i) => `  step ${i + 1}: ${JSON.stringify(step)}`);
  return `sample ${sample}, after step ${upTo + 1}\n${lines.join('\n')}\nfinal text: ${JSON.stringify(finalText)}`;
}

interface CaseOptions {
  /** Compare with a fresh parse after every n-th step (and after the last). */
  readonly compareEvery?: number;
  /** Skip steps whose result has syntax errors, to stay on the incremental path (see below). */
  readonly validOnly?: boolean;
}

/** What the property runs exercised, so a test can show it is not vacuous. */
const coverage = { steps: 0, spliced: 0, withErrors: 0 };

/**
 * Runs the steps on `sample`, comparing with a fresh parse. A text with syntax errors is
 * reparsed from scratch when it is small (source-file.ts, CANONICAL_REPARSE_LIMIT), so only
 * error-free versions exercise the table splice and the runner's reuse: `validOnly` keeps to those.
 */
function runCase(sample: string, steps: readonly Step[], options: CaseOptions = {}): void {
  const compareEvery = options.compareEvery ?? 1;
  let text = NIX_SAMPLES[sample];
  let source = SourceFile.parse(text);
  let state: RunState = checkFile(new AnalyzedFile(source, undefined)).state;
  steps.forEach((step, index) => {
    const changes: TextChange[] = [];
    let nextText = text;
    for (const spec of step) {
      const change = toChange(nextText, spec);
      changes.push(change);
      nextText = applyChange(nextText, change);
    }
    if (options.validOnly && SourceFile.parse(nextText).hasSyntaxErrors) return;
    text = nextText;
    source = source.withChanges(changes);
    assert.strictEqual(source.text, text, 'withChanges applies the changes in order');
    const result = checkFile(new AnalyzedFile(source, undefined), { previous: state });
    assert.deepStrictEqual(result.failures, [], `rules crashed: ${JSON.stringify(result.failures)}`);
    state = result.state;
    coverage.steps++;
    if (source.splice) coverage.spliced++;
    if (source.hasSyntaxErrors) coverage.withErrors++;
    if ((index + 1) % compareEvery === 0 || index === steps.length - 1) assertSameAsFresh(source, result.findings, describeCase(sample, steps, index, text));
  });
}

/** Like runCase, but compares the table with a full mirror of the document's own tree, and the findings with a full run. */
function runCaseAgainstOwnTree(sample: string, steps: readonly Step[]): void {
  let text = NIX_SAMPLES[sample];
  let source = SourceFile.parse(text);
  let state: RunState = checkFile(new AnalyzedFile(source, undefined)).state;
  steps.forEach((step, index) => {
    const changes = step.map((spec) => {
      const change = toChange(text, spec);
      text = applyChange(text, change);
      return change;
    });
    source = source.withChanges(changes);
    const result = checkFile(new AnalyzedFile(source, undefined), { previous: state });
    state = result.state;
    const context = describeCase(sample, steps, index, text);
    const tree = source.syntaxTree;
    assert.ok(tree, `${context}: the edited version holds no tree`);
    const mirror = SyntaxTable.fromSyntaxTree(tree, source.text);
    const row = firstDifferentRow(source.table, mirror);
    if (row >= 0) assert.fail(`${context}: spliced table differs from a mirror of the same tree:\n  spliced: ${describeRow(source.table, row)}\n  mirror:  ${describeRow(mirror, row)}`);
    const full = checkFile(new AnalyzedFile(source, undefined)).findings;
    if (!isDeepStrictEqual(result.findings, full)) {
      assert.fail(`${context}: reused findings differ from a full run\n  reused:\n    ${describeFindings(result.findings).join('\n    ')}\n  full:\n    ${describeFindings(full).join('\n    ')}`);
    }
  });
}

/** Runs fixed, hand-picked sequences that once broke or sit on a grammar gap. */
function runChanges(initial: string, batches: readonly (readonly TextChange[])[]): void {
  let source = SourceFile.parse(initial);
  let state = checkFile(new AnalyzedFile(source, undefined)).state;
  for (const changes of batches) {
    source = source.withChanges(changes);
    const result = checkFile(new AnalyzedFile(source, undefined), { previous: state });
    state = result.state;
    assertSameAsFresh(source, result.findings, `after ${JSON.stringify(changes)}: ${JSON.stringify(source.text)}`);
  }
}

/** More runs for a soak (`NIXGUARD_PROPERTY_RUNS=5000`); a seed replays a failure fast-check printed. */
const PROPERTY_RUNS = Number(process.env.NIXGUARD_PROPERTY_RUNS ?? 100);
const PROPERTY_SEED = process.env.NIXGUARD_PROPERTY_SEED ? Number(process.env.NIXGUARD_PROPERTY_SEED) : undefined;

describe('incremental documents', () => {
  describe('hand-picked edits', () => {
    it('adds and removes a trailing comma in formals (a grammar gap)', () => {
      runChanges('{ a, b }: a', [[{ start: 6, end: 6, text: ',' }], [{ start: 6, end: 7, text: '' }], [{ start: 6, end: 6, text: ', ' }]]);
    });

    it('turns a lone CR into CRLF and back', () => {
      runChanges('{\r  a = 1;\r}', [[{ start: 1, end: 1, text: '\n' }], [{ start: 1, end: 2, text: '' }], [{ start: 0, end: 0, text: '\r' }]]);
    });

    it('opens and closes a string around an interpolation with non-ASCII text', () => {
      runChanges('{ a = "é ${b} 🎉"; }', [[{ start: 6, end: 7, text: '' }], [{ start: 6, end: 6, text: '"' }], [{ start: 9, end: 11, text: '' }]]);
    });

    it('opens a block comment that swallows the rest of the file, then closes it', () => {
      runChanges('{ a = 1; b = x == true; }', [[{ start: 2, end: 2, text: '/*' }], [{ start: 12, end: 12, text: '*/' }]]);
    });

    it('applies a batch of changes, each in the text left by the previous one', () => {
      runChanges('{ a = x == true; b = 2; }', [
        [
          { start: 0, end: 0, text: '# 日本語\n' },
          { start: 15, end: 23, text: '' },
          { start: 14, end: 14, text: ' == false' },
        ],
      ]);
    });

    it('edits the key of a binding, which changes how its value reads', () => {
      runChanges('{ a.b = x == true; c = 1; }', [[{ start: 2, end: 5, text: 'd' }], [{ start: 2, end: 3, text: '"${e}"' }]]);
    });

    it('edits inside a suppression comment', () => {
      runChanges('{\n  # nixguard-ignore-next-line bool-comparison\n  a = x == true;\n}', [
        [{ start: 44, end: 45, text: '' }],
        [{ start: 44, end: 44, text: 's' }],
        [{ start: 4, end: 5, text: '' }],
      ]);
    });
  });

  describe('random edit sequences (fast-check)', function () {
    this.timeout(Math.max(60_000, PROPERTY_RUNS * 500));

    it('keeps tree, table and findings equal to a fresh parse of the final text', () => {
      fc.assert(
        fc.property(caseArbitrary, ({ sample, steps }) => runCase(sample, steps)),
        { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
      );
    });

    it('keeps equality over edits that leave the text valid, where the table is spliced and findings reused', () => {
      const before = { ...coverage };
      fc.assert(
        fc.property(validCaseArbitrary, ({ sample, steps }) => runCase(sample, steps, { validOnly: true })),
        { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
      );
      const spliced = coverage.spliced - before.spliced;
      assert.ok(spliced >= PROPERTY_RUNS, `only ${spliced} of ${coverage.steps - before.steps} steps took the incremental path`);
    });

    it('splices the table and reuses findings exactly on big files too, where syntax errors keep the incremental tree', () => {
      // Files over CANONICAL_REPARSE_LIMIT keep the incremental tree while they have syntax
      // errors, and tree-sitter's error recovery may then settle on another tree than a fresh
      // parse would. What must still hold: the table mirrors that tree exactly, and the runner's
      // reused findings equal a full run. The limit is lowered so the small samples take that path.
      const sourceFileModule = require('nixguard/out/syntax/source-file') as { CANONICAL_REPARSE_LIMIT: number };
      const limit = sourceFileModule.CANONICAL_REPARSE_LIMIT;
      sourceFileModule.CANONICAL_REPARSE_LIMIT = -1;
      try {
        fc.assert(
          fc.property(caseArbitrary, ({ sample, steps }) => runCaseAgainstOwnTree(sample, steps)),
          { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
        );
      } finally {
        sourceFileModule.CANONICAL_REPARSE_LIMIT = limit;
      }
    });

    it('keeps equality over long sessions of single-character typing', () => {
      const typing = fc.record({
        sample: fc.constantFrom(...Object.keys(NIX_SAMPLES)),
        steps: fc.array(
          fc.record({
            at: fc.record({ kind: fc.constant('offset' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
            deleteLength: fc.constantFrom(0, 0, 1),
            insert: fc.constantFrom('a', ' ', '{', '}', ';', '"', '=', '\n', 'é', ',', ':', '$', ''),
          }).map((edit): Step => [edit]),
          { minLength: 10, maxLength: 40 },
        ),
      });
      fc.assert(
        fc.property(typing, ({ sample, steps }) => runCase(sample, steps, { compareEvery: 5 })),
        { numRuns: Math.ceil(PROPERTY_RUNS / 5), seed: PROPERTY_SEED },
      );
    });
  });
});
