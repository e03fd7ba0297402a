// Caret annotations in `.nix` fixtures (house style item 9): the expected findings live in Nix
// comments right under the code they describe, so a fixture still parses and reads as Nix.
//
//   {
//     enable = cfg.enable == true;
//     #        ^^^^^^^^^^^^^^^^^^ bool-comparison
//     #        ^^^^^^^^^^^^^^^^^^ bool-comparison: Comparison with `true` is redundant: use the expression directly
//   }
//
// Precisely:
// - An annotation line is a line whose first non-blank character is `#`, followed by optional
//   blanks, a marker, blanks, a kebab-case rule id and optionally `: <exact message>`.
// - It refers to the nearest line above it that is not itself an annotation line (so annotations
//   stack), and the marker's columns are columns of that line. Columns count UTF-16 code units,
//   like every offset in nixguard: an emoji takes two carets, é and CJK characters one each, and a
//   tab is one column. Column 0 cannot be reached (the `#` sits there): indent flagged code.
// - Markers:
//     `^^^`   a finding on that line covering exactly the caret columns `[first, last + 1)`;
//     `^^^>`  a finding that starts at the first caret and runs past the end of that line: the
//             carets cover from its start to the end of the line (terminator excluded), its
//             end is not checked;
//     `|`     an empty finding (insertion point) at that column;
//     `^file` a finding about the whole file: range `[0, text length)` or the empty range at 0.
// - Without a message the annotation matches any message of that rule; with one, exactly.
// - Every finding of the compared rules must be annotated and every annotation matched, so a
//   fixture without annotations asserts that there are no findings.
import { LineIndex } from 'nixguard';
import type { Finding } from 'nixguard';

/** Where a finding is, in the terms annotations use (0-based lines and UTF-16 columns). */
export type AnnotationTarget =
  | { readonly kind: 'span'; readonly line: number; readonly startColumn: number; readonly endColumn: number; readonly continues: boolean }
  | { readonly kind: 'file' };

export interface Annotation {
  readonly ruleId: string;
  /** Exact expected message, when the annotation gives one. */
  readonly message: string | undefined;
  readonly target: AnnotationTarget;
  /** 0-based line of the annotation comment itself, for error messages. */
  readonly annotationLine: number;
}

export interface ParsedAnnotations {
  readonly annotations: readonly Annotation[];
  /** 0-based numbers of the lines that are annotations (stripped from `.fixed.nix` texts). */
  readonly annotationLines: ReadonlySet<number>;
  /** Annotation lines that are malformed or have no code line above them. */
  readonly problems: readonly string[];
}

const RULE_ID = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
/** `#`, blanks, marker, blanks, rule id, optional `: message`. Groups: indent+`#`+blanks, marker, id, message. */
const ANNOTATION = new RegExp(`^([ \\t]*#[ \\t]*)(\\^file|\\^+>?|\\|)[ \\t]+(${RULE_ID})(?::[ \\t]+(.*?))?[ \\t]*$`);
/** Starts like an annotation (`# ^`) but may be malformed; such lines are reported, not ignored. */
const LOOKS_LIKE_ANNOTATION = /^[ \t]*#[ \t]*\^/;

export function lineTexts(text: string): string[] {
  const index = new LineIndex(text);
  const lines: string[] = [];
  for (let line = 0; line < index.lineCount; line++) lines.push(text.slice(index.lineStart(line), index.lineEnd(line)));
  return lines;
}

export function parseAnnotations(text: string): ParsedAnnotations {
  const lines = lineTexts(text);
  const annotations: Annotation[] = [];
  const annotationLines = new Set<number>();
  const problems: string[] = [];
  let codeLine = -1;
  for (let line = 0; line < lines.length; line++) {
    const match = ANNOTATION.exec(lines[line]);
    if (!match) {
      if (LOOKS_LIKE_ANNOTATION.test(lines[line])) {
        problems.push(`${line + 1}: malformed annotation \`${lines[line].trim()}\`: expected \`# ^^^ <rule-id>\` or \`# ^^^ <rule-id>: <message>\``);
      }
      codeLine = line;
      continue;
    }
    annotationLines.add(line);
    const [, prefix, marker, ruleId, message] = match;
    let target: AnnotationTarget;
    if (marker === '^file') {
      target = { kind: 'file' };
    } else if (codeLine < 0) {
      problems.push(`${line + 1}: annotation has no code line above it`);
      continue;
    } else if (marker === '|') {
      target = { kind: 'span', line: codeLine, startColumn: prefix.length, endColumn: prefix.length, continues: false };
    } else {
      const continues = marker.endsWith('>');
      const carets = continues ? marker.length - 1 : marker.length;
      target = { kind: 'span', line: codeLine, startColumn: prefix.length, endColumn: prefix.length + carets, continues };
    }
    annotations.push({ ruleId, message: message === undefined || message === '' ? undefined : message, target, annotationLine: line });
  }
  return { annotations, annotationLines, problems };
}

/** The annotation target a finding needs, following the rules in the header. */
export function targetOfFinding(finding: Finding, index: LineIndex, textLength: number): AnnotationTarget {
  const { start, end } = finding.range;
  if (start === 0 && (end === textLength || end === 0) && textLength > 0) {
    // A whole-file range is written `^file`; the empty range at 0 too (it is also `|` at 0,
    // which no annotation can reach).
    return { kind: 'file' };
  }
  const startPosition = index.position(start);
  const endPosition = index.position(end);
  if (endPosition.line === startPosition.line) {
    return { kind: 'span', line: startPosition.line, startColumn: startPosition.character, endColumn: endPosition.character, continues: false };
  }
  const lineEnd = index.lineEnd(startPosition.line) - index.lineStart(startPosition.line);
  return { kind: 'span', line: startPosition.line, startColumn: startPosition.character, endColumn: lineEnd, continues: true };
}

function sameTarget(a: AnnotationTarget, b: AnnotationTarget): boolean {
  if (a.kind === 'file' || b.kind === 'file') return a.kind === b.kind;
  return a.line === b.line && a.startColumn === b.startColumn && a.endColumn === b.endColumn && a.continues === b.continues;
}

export interface AnnotationMismatch {
  /** Annotations no finding matched. */
  readonly missing: readonly Annotation[];
  /** Findings no annotation matched. */
  readonly unexpected: readonly Finding[];
}

/**
 * Pairs annotations with findings. Annotations with a message are matched first, so an annotation
 * without one cannot take the finding a more precise annotation needs.
 */
export function matchAnnotations(text: string, annotations: readonly Annotation[], findings: readonly Finding[]): AnnotationMismatch {
  const index = new LineIndex(text);
  const remaining = findings.map((finding) => ({ finding, target: targetOfFinding(finding, index, text.length) }));
  const missing: Annotation[] = [];
  const ordered = [...annotations.filter((a) => a.message !== undefined), ...annotations.filter((a) => a.message === undefined)];
  for (const annotation of ordered) {
    const at = remaining.findIndex(
      ({ finding, target }) =>
        finding.ruleId === annotation.ruleId && sameTarget(target, annotation.target) && (annotation.message === undefined || annotation.message === finding.message),
    );
    if (at < 0) missing.push(annotation);
    else remaining.splice(at, 1);
  }
  missing.sort((a, b) => a.annotationLine - b.annotationLine);
  return { missing, unexpected: remaining.map((r) => r.finding) };
}

/** `line:column` (1-based, as the CLI prints them) of a target. */
export function describeTarget(target: AnnotationTarget): string {
  if (target.kind === 'file') return 'whole file';
  const span = `${target.line + 1}:${target.startColumn + 1}-${target.line + 1}:${target.endColumn + 1}`;
  return target.continues ? `${span} (and further lines)` : span;
}

function markerOf(target: AnnotationTarget): string {
  if (target.kind === 'file') return '^file';
  if (target.startColumn === target.endColumn && !target.continues) return '|';
  return '^'.repeat(Math.max(1, target.endColumn - target.startColumn)) + (target.continues ? '>' : '');
}

/**
 * The annotation line that would match `finding`, to paste under its code line; or an
 * explanation when no annotation can reach its column.
 */
export function suggestAnnotation(text: string, finding: Finding): string {
  const index = new LineIndex(text);
  const target = targetOfFinding(finding, index, text.length);
  const label = `${finding.ruleId}: ${finding.message}`;
  if (target.kind === 'file') return `# ^file ${label}`;
  const codeLine = text.slice(index.lineStart(target.line), index.lineEnd(target.line));
  if (target.startColumn === 0) return '(column 1 is left of where a `#` annotation can reach: indent the code)';
  // The `#` goes at the code's indentation, or just left of the finding when that is further left.
  const indent = (/^[ \t]*/.exec(codeLine)?.[0] ?? '').slice(0, target.startColumn - 1);
  return `${indent}#${' '.repeat(target.startColumn - indent.length - 1)}${markerOf(target)} ${label}`;
}

/** A readable report of a mismatch, with the code lines and ready-to-paste annotations. */
export function formatMismatch(fileLabel: string, text: string, mismatch: AnnotationMismatch): string {
  const index = new LineIndex(text);
  const lines = lineTexts(text);
  const out: string[] = [`${fileLabel}: findings and annotations differ`];
  const codeLine = (line: number): string => `      ${String(line + 1).padStart(4)} | ${lines[line] ?? ''}`;
  if (mismatch.missing.length > 0) {
    out.push('  annotated but not reported:');
    for (const annotation of mismatch.missing) {
      const message = annotation.message === undefined ? '' : `: ${annotation.message}`;
      out.push(`    ${describeTarget(annotation.target)} ${annotation.ruleId}${message}  (annotation on line ${annotation.annotationLine + 1})`);
      if (annotation.target.kind === 'span') out.push(codeLine(annotation.target.line));
    }
  }
  if (mismatch.unexpected.length > 0) {
    out.push('  reported but not annotated (add the annotation shown, or fix the rule):');
    for (const finding of mismatch.unexpected) {
      const target = targetOfFinding(finding, index, text.length);
      out.push(`    ${describeTarget(target)} ${finding.ruleId}: ${finding.message}`);
      if (target.kind === 'span') out.push(codeLine(target.line));
      out.push(`           | ${suggestAnnotation(text, finding)}`);
    }
  }
  return out.join('\n');
}

/** `text` without its annotation lines (each removed with its line terminator). */
export function stripAnnotationLines(text: string): string {
  const { annotationLines } = parseAnnotations(text);
  if (annotationLines.size === 0) return text;
  const index = new LineIndex(text);
  let result = '';
  for (let line = 0; line < index.lineCount; line++) {
    if (annotationLines.has(line)) continue;
    const end = line + 1 < index.lineCount ? index.lineStart(line + 1) : text.length;
    result += text.slice(index.lineStart(line), end);
  }
  return result;
}
