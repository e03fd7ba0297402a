// The caret annotation format of rule fixtures (see annotations.ts for the definition).
import * as assert from 'assert';
import type { Finding } from 'nixguard';
import { matchAnnotations, parseAnnotations, stripAnnotationLines, suggestAnnotation } from './annotations';

function finding(ruleId: string, start: number, end: number, message = 'message'): Finding {
  return { ruleId, severity: 'warning', range: { start, end }, message };
}

describe('fixture annotations', () => {
  it('reads carets as columns of the nearest code line above, stacked annotations included', () => {
    const text = '{\n  a = x == true;\n  #   ^^^^^^^^^ bool-comparison\n  #   ^ other-rule: exact message\n}';
    const { annotations, annotationLines, problems } = parseAnnotations(text);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual([...annotationLines], [2, 3]);
    assert.deepStrictEqual(
      annotations.map((a) => [a.ruleId, a.message, a.target]),
      [
        ['bool-comparison', undefined, { kind: 'span', line: 1, startColumn: 6, endColumn: 15, continues: false }],
        ['other-rule', 'exact message', { kind: 'span', line: 1, startColumn: 6, endColumn: 7, continues: false }],
      ],
    );
  });

  it('reads `^^^>` as a finding that continues past the line, `|` as an empty one and `^file` as the whole file', () => {
    const { annotations } = parseAnnotations('# ^file some-rule\n  abc\n #^^^> a-rule\n #   | b-rule');
    assert.deepStrictEqual(
      annotations.map((a) => a.target),
      [
        { kind: 'file' },
        { kind: 'span', line: 1, startColumn: 2, endColumn: 5, continues: true },
        { kind: 'span', line: 1, startColumn: 5, endColumn: 5, continues: false },
      ],
    );
  });

  it('leaves ordinary comments alone and reports malformed annotations', () => {
    const { annotations, problems } = parseAnnotations('# a comment | with a bar\n  x\n  # ^^^ Not-Kebab\n  # ^^^\n');
    assert.deepStrictEqual(annotations, []);
    assert.strictEqual(problems.length, 2);
    assert.match(problems[0], /^3: malformed annotation/);
  });

  it('reports an annotation with no code line above it', () => {
    assert.match(parseAnnotations('# ^^^ some-rule\n').problems[0], /no code line above/);
  });

  it('matches findings by rule, exact columns and message when given, and lists both kinds of mismatch', () => {
    const text = '{\n  a = x == true;\n  #   ^^^^^^^^^ bool-comparison: right\n  #   ^^^^ bool-comparison\n}';
    const { annotations } = parseAnnotations(text);
    const start = text.indexOf('x ==');
    const result = matchAnnotations(text, annotations, [finding('bool-comparison', start, start + 9, 'right'), finding('bool-comparison', start, start + 9, 'other')]);
    assert.deepStrictEqual(result.missing.map((a) => a.annotationLine), [3], 'the 4-caret annotation matches nothing');
    assert.deepStrictEqual(result.unexpected.map((f) => f.message), ['other']);
  });

  it('counts columns in UTF-16 code units, so an emoji takes two carets', () => {
    const text = '  "🎉" + x\n  #    ^ r';
    const { annotations } = parseAnnotations(text);
    const result = matchAnnotations(text, annotations, [finding('r', text.indexOf('+'), text.indexOf('+') + 1)]);
    assert.deepStrictEqual([result.missing, result.unexpected], [[], []]);
  });

  it('matches a multi-line finding by its first line and `>`', () => {
    const text = '  f [\n #^^^> r\n  ]';
    const { annotations } = parseAnnotations(text);
    const result = matchAnnotations(text, annotations, [finding('r', 2, text.length)]);
    assert.deepStrictEqual([result.missing, result.unexpected], [[], []]);
  });

  it('suggests the annotation a finding needs, or says when its column is out of reach', () => {
    const text = '{\n  a = x == true;\n}';
    const start = text.indexOf('x ==');
    assert.strictEqual(suggestAnnotation(text, finding('bool-comparison', start, start + 9, 'msg')), '  #   ^^^^^^^^^ bool-comparison: msg');
    assert.strictEqual(suggestAnnotation(text, finding('r', 4, 4, 'm')), ' #| r: m');
    assert.match(suggestAnnotation(text, finding('r', 0, 1)), /indent the code/);
  });

  it('strips annotation lines with their line ends, whatever the line ends are', () => {
    assert.strictEqual(stripAnnotationLines('a\r\n  # ^ r\r\nb\n# ^ r\n'), 'a\r\nb\n');
    assert.strictEqual(stripAnnotationLines('no annotations\n'), 'no annotations\n');
  });
});
