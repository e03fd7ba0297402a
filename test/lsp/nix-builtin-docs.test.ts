// Reading Nix's builtin docs: once per process, without waiting, falling back from
// `__dump-language` to `__dump-builtins`, and failing soft (a missing command, a failing one, one
// that hangs). A small shell script stands in for `nix` so that every path is taken.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NixBuiltinDocs } from 'nixguard/out/lsp/nix-builtin-docs';

/** A fake `nix` answering `__dump-language` and `__dump-builtins` as given; it counts its runs. */
const temporaryFolders: string[] = [];

function fakeNix(script: { language?: string; builtins?: string }): { command: string; runs: () => string[] } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-fake-nix-'));
  temporaryFolders.push(folder);
  const log = path.join(folder, 'runs');
  const command = path.join(folder, 'nix');
  const branch = (body: string | undefined): string => body ?? 'echo "unknown command" >&2; exit 1';
  fs.writeFileSync(
    command,
    ['#!/bin/sh', `echo "$1" >> '${log}'`, 'case "$1" in', `  __dump-language) ${branch(script.language)} ;;`, `  __dump-builtins) ${branch(script.builtins)} ;;`, '  *) exit 1 ;;', 'esac', ''].join('\n'),
    { mode: 0o755 },
  );
  return { command, runs: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []) };
}

describe('Nix builtin docs', () => {
  after(() => {
    for (const folder of temporaryFolders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('falls back to `__dump-builtins`, reads it once, and never makes the caller wait', async () => {
    const nix = fakeNix({ builtins: `echo '{"map":{"args":["f","list"],"arity":2,"doc":"Our words."}}'` });
    const logs: string[] = [];
    const docs = new NixBuiltinDocs((message) => logs.push(message), { command: nix.command });
    assert.strictEqual(docs.current(), undefined, 'the first call returns at once');
    await docs.start();
    assert.deepStrictEqual([...(docs.current() ?? [])], [['map', 'Our words.']]);
    docs.current();
    await docs.start();
    assert.deepStrictEqual(nix.runs(), ['__dump-language', '__dump-builtins']);
    assert.deepStrictEqual(logs, [`read the documentation of 1 builtins from \`${nix.command} __dump-builtins\``]);
  });

  it('uses `__dump-language` when the Nix has it', async () => {
    const nix = fakeNix({ language: `echo '{"builtins":{"map":{"args":["f","list"],"doc":"New words."}},"constants":{}}'` });
    const docs = new NixBuiltinDocs(() => undefined, { command: nix.command });
    await docs.start();
    assert.strictEqual(docs.current()?.get('map'), 'New words.');
    assert.deepStrictEqual(nix.runs(), ['__dump-language']);
  });

  it('says once why there are no docs: no command, failures, no JSON, a timeout', async () => {
    const cases: { nix: { command: string }; timeoutMs?: number; expected: string | RegExp }[] = [
      { nix: { command: path.join(os.tmpdir(), 'nixguard-no-such-nix') }, expected: 'is not on PATH' },
      { nix: fakeNix({}), expected: /__dump-language`: unknown command; `.*__dump-builtins`: unknown command/ },
      { nix: fakeNix({ builtins: 'echo not json' }), expected: '__dump-builtins` printed no JSON' },
      { nix: fakeNix({ builtins: 'sleep 5' }), timeoutMs: 300, expected: '__dump-builtins`: no answer within 300 ms' },
    ];
    for (const { nix, timeoutMs, expected } of cases) {
      const logs: string[] = [];
      const docs = new NixBuiltinDocs((message) => logs.push(message), { command: nix.command, timeoutMs });
      await docs.start();
      assert.strictEqual(docs.current(), undefined);
      assert.strictEqual(logs.length, 1, logs.join('\n'));
      if (typeof expected === 'string') assert.ok(logs[0].includes(expected), logs[0]);
      else assert.match(logs[0], expected);
    }
  });
});
