// Section 1: the full check pipeline (`checkText`: parse, mirror, analyses, rules) against a raw
// tree-sitter parse of the same texts. Rounds alternate floor and measured so that load from
// other processes hits both alike; the fastest round of each is reported (noise only adds time).
//
// The floor is the faster of two raw parses: node tree-sitter's binding, and our binding's
// parseTree, which the server uses. Ours skips the binding's per-parse JavaScript (input
// callback, tree object) and is about twice as fast on small files, so taking node tree-sitter's
// alone would credit the check with a saving that is in the parse, not in the analysis.
import { checkText } from 'nixguard';
import { createParser, nativeTrees } from 'nixguard/out/syntax/grammar';
import type { CorpusFile } from './corpus';
import { processCpuMs, settle, timeMs } from './measure';
import type { Metric } from './report';

const ROUNDS = 7;
/**
 * Untimed rounds first: the check's code reaches V8's optimising tier and its heap settles only
 * after a few passes over the corpus (the first rounds after one warm-up ran 30-60% slower).
 */
const WARMUP_ROUNDS = 3;

export async function measureCheckThroughput(corpus: readonly CorpusFile[]): Promise<Metric> {
  const parser = createParser();
  const bytes = corpus.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
  const bindingParse = (): number => timeMs(() => {
    for (const file of corpus) parser.parse(file.text);
  });
  const ownParse = (): number => timeMs(() => {
    for (const file of corpus) nativeTrees.deleteTree(nativeTrees.parseTree(file.text));
  });
  let findings = 0;
  const fullCheck = (): number => timeMs(() => {
    findings = 0;
    for (const file of corpus) findings += checkText(file.text, { path: file.name }).findings.length;
  });

  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    bindingParse();
    ownParse();
    fullCheck();
  }
  const bindingParseTimes: number[] = [];
  const ownParseTimes: number[] = [];
  const checkTimes: number[] = [];
  const parseCpuTimes: number[] = [];
  const checkCpuTimes: number[] = [];
  const withCpu = (work: () => number, cpuTimes: number[]): number => {
    const cpuStart = processCpuMs();
    const wall = work();
    cpuTimes.push(processCpuMs() - cpuStart);
    return wall;
  };
  for (let round = 0; round < ROUNDS; round++) {
    await settle();
    bindingParseTimes.push(withCpu(bindingParse, parseCpuTimes));
    await settle();
    ownParseTimes.push(withCpu(ownParse, parseCpuTimes));
    await settle();
    checkTimes.push(withCpu(fullCheck, checkCpuTimes));
  }
  const floor = Math.min(...bindingParseTimes, ...ownParseTimes);
  const measured = Math.min(...checkTimes);
  const ratio = measured / floor;
  return {
    id: 'check-vs-parse',
    name: `full check, ${corpus.length} files, ${(bytes / 1e6).toFixed(1)} MB`,
    unit: 'ms',
    measured,
    floor,
    ratio,
    target: '≤ 2.0× floor',
    pass: ratio <= 2.0,
    details: {
      files: corpus.length,
      bytes,
      findings,
      parseMegabytesPerSecond: bytes / 1e6 / (floor / 1000),
      bindingParseRoundsMs: bindingParseTimes,
      ownParseRoundsMs: ownParseTimes,
      checkRoundsMs: checkTimes,
      // CPU time (all threads, so the garbage collector's helpers count too): steadier under load.
      parseCpuMs: Math.min(...parseCpuTimes),
      checkCpuMs: Math.min(...checkCpuTimes),
      cpuRatio: Math.min(...checkCpuTimes) / Math.min(...parseCpuTimes),
    },
  };
}
