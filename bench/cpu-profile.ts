// Summarises a V8 .cpuprofile (node --cpu-prof) into self and inclusive time per function, so the
// server's time per edit can be attributed without opening a profiler UI.
import { readFileSync } from 'fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
}

export interface FunctionTime {
  readonly name: string;
  readonly selfMs: number;
  readonly inclusiveMs: number;
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const short = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/|out\/|server\/out\/)/, '$1');
  return `${name} ${short}:${lineNumber + 1}`;
}

/** A stretch of the profile, in µs of its clock (the monotonic clock, as `process.hrtime`). */
export interface ProfileWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

/**
 * Self and inclusive milliseconds per function, inclusive counted once per call stack; with
 * `windows`, only the samples taken inside one of them (sorted, not overlapping).
 */
export function summarizeCpuProfile(path: string, windows?: readonly ProfileWindow[]): { totalMs: number; functions: FunctionTime[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  let totalMicros = 0;
  // timeDeltas[i] is the time from the previous sample to sample i; timeDeltas[i + 1] is the time
  // spent in the stack sampled at i.
  let sampledAt = profile.startTime;
  let window = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    sampledAt += profile.timeDeltas[i];
    if (windows) {
      while (window < windows.length && windows[window].toUs < sampledAt) window++;
      if (window === windows.length || sampledAt < windows[window].fromUs) continue;
    }
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + delta);
    totalMicros += delta;
  }

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const root = profile.nodes[0];
  // Iterative depth-first walk; a node's subtree total is added to every key on its path once.
  const subtree = new Map<number, number>();
  const order: ProfileNode[] = [];
  const stack: ProfileNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as ProfileNode;
    order.push(node);
    for (const child of node.children ?? []) stack.push(byId.get(child) as ProfileNode);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    let total = selfMicros.get(node.id) ?? 0;
    for (const child of node.children ?? []) total += subtree.get(child) ?? 0;
    subtree.set(node.id, total);
    const key = functionKey(node);
    self.set(key, (self.get(key) ?? 0) + (selfMicros.get(node.id) ?? 0));
  }
  const pathKeys: { node: ProfileNode; keys: ReadonlySet<string> }[] = [{ node: root, keys: new Set() }];
  while (pathKeys.length > 0) {
    const { node, keys } = pathKeys.pop() as { node: ProfileNode; keys: ReadonlySet<string> };
    const key = functionKey(node);
    if (!keys.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + (subtree.get(node.id) ?? 0));
    const childKeys = keys.has(key) ? keys : new Set([...keys, key]);
    for (const child of node.children ?? []) pathKeys.push({ node: byId.get(child) as ProfileNode, keys: childKeys });
  }
  const functions = [...inclusive.keys()].map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, inclusiveMs: (inclusive.get(name) ?? 0) / 1000 }));
  return { totalMs: totalMicros / 1000, functions };
}
