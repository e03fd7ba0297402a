// The builtins catalogue (server/src/analysis/builtins.ts): generated from the committed snapshot,
// and consistent with the installed Nix when there is one.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { BUILTINS, GLOBAL_BUILTINS, globalBuiltin, isBuiltin, scopeNameOf } from 'nixguard/out/analysis/builtins';
import { hasNixInstantiate, NIX_MISSING_MESSAGE } from '../helpers/nix-parser';
import { REPOSITORY_ROOT } from '../helpers/paths';

const NIX_OPTIONS = ['--extra-experimental-features', 'flakes fetch-closure', '--option', 'allow-unsafe-native-code-during-evaluation', 'true'];

function nix(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('nix-instantiate', [...NIX_OPTIONS, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: os.tmpdir(), NIX_REMOTE: '', LANG: 'C.UTF-8' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('builtins catalogue', () => {
  it('matches what scripts/generate-builtins.js generates', () => {
    const result = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'scripts', 'generate-builtins.js'), '--check'], { encoding: 'utf8' });
    assert.strictEqual(result.status, 0, result.stderr);
  });

  it('binds every builtin in the global scope once, by its bare or its `__` name', () => {
    for (const info of BUILTINS.values()) {
      assert.strictEqual(globalBuiltin(scopeNameOf(info)), info, info.name);
      assert.strictEqual(GLOBAL_BUILTINS.has(info.global ? `__${info.name}` : info.name), false, info.name);
    }
    assert.ok(GLOBAL_BUILTINS.has('map') && GLOBAL_BUILTINS.has('true') && GLOBAL_BUILTINS.has('__attrNames') && GLOBAL_BUILTINS.has('__curPos'));
    assert.ok(!GLOBAL_BUILTINS.has('attrNames') && !GLOBAL_BUILTINS.has('__map'));
  });

  it('describes every builtin and gives its parameters', () => {
    for (const info of BUILTINS.values()) {
      assert.ok(info.description.length > 10, info.name);
      assert.strictEqual(info.arity, info.parameters.length, info.name);
      assert.strictEqual(info.kind === 'constant', info.arity === 0, info.name);
    }
    assert.ok(isBuiltin('convertHash') && isBuiltin("foldl'") && !isBuiltin('__add') && !isBuiltin('frobnicate'));
  });

  describe('against the installed Nix', () => {
    before(function () {
      if (!hasNixInstantiate()) {
        console.log(`      skipping: ${NIX_MISSING_MESSAGE}`);
        this.skip();
      }
    });

    it('knows every attribute of `builtins`', () => {
      const result = nix(['--eval', '--strict', '--json', '-E', 'builtins.attrNames builtins']);
      assert.strictEqual(result.status, 0, result.stderr);
      const unknown = (JSON.parse(result.stdout) as string[]).filter((name) => !isBuiltin(name));
      assert.deepStrictEqual(unknown, []);
    });

    it('has Nix accept every global name it lists that this Nix has', () => {
      const result = nix(['--eval', '--strict', '--json', '-E', 'builtins.attrNames builtins']);
      const present = new Set(JSON.parse(result.stdout) as string[]);
      const names = [...BUILTINS.values()].filter((info) => present.has(info.name)).map(scopeNameOf);
      const parse = nix(['--parse', '-E', `[ ${names.join(' ')} __curPos ]`]);
      assert.strictEqual(parse.status, 0, parse.stderr);
    });

    it('has Nix reject bare names of builtins it lists as prefixed only', () => {
      const sample = [...BUILTINS.values()].filter((info) => !info.global).filter((_, index) => index % 10 === 0);
      for (const info of sample) {
        const parse = nix(['--parse', '-E', info.name]);
        assert.match(parse.stderr, /undefined variable/, `${info.name} is in scope in this Nix`);
      }
    });
  });
});
