// The extension manifest (client/package.json) agrees with the code and the server: the commands
// it contributes are the ones the extension registers, the settings it reads are declared,
// `nixguard.rules` lists exactly the rules of the configuration schema, and the files it names exist.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { SEMANTIC_TOKEN_MODIFIERS } from 'nixguard/out/features/semantic-tokens';
import { REPOSITORY_ROOT } from '../helpers/paths';

const run = promisify(execFile);
const CLIENT = path.join(REPOSITORY_ROOT, 'client');

interface Manifest {
  readonly main: string;
  readonly engines: { readonly vscode: string };
  readonly devDependencies: Record<string, string>;
  readonly activationEvents: readonly string[];
  readonly capabilities: { readonly untrustedWorkspaces: { readonly supported: boolean | string } };
  readonly contributes: {
    readonly languages: readonly { readonly id: string; readonly extensions: readonly string[]; readonly configuration: string }[];
    readonly grammars: readonly { readonly language: string; readonly scopeName: string; readonly path: string }[];
    readonly jsonValidation: readonly { readonly fileMatch: string; readonly url: string }[];
    readonly commands: readonly { readonly command: string }[];
    readonly configuration: { readonly properties: Record<string, { readonly scope?: string }> };
    readonly semanticTokenModifiers: readonly { readonly id: string }[];
    readonly semanticTokenScopes: readonly { readonly language: string; readonly scopes: Record<string, readonly string[]> }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(CLIENT, 'package.json'), 'utf8')) as Manifest;
const extensionSources = fs
  .readdirSync(path.join(CLIENT, 'src'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => fs.readFileSync(path.join(CLIENT, 'src', name), 'utf8'))
  .join('\n');

describe('VS Code extension manifest', () => {
  it('declares the server\'s custom semantic token modifiers and maps each to a grammar scope', () => {
    // VS Code knows the standard modifiers; the others must be declared or it drops them.
    const standard = new Set(['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation', 'defaultLibrary']);
    const custom = SEMANTIC_TOKEN_MODIFIERS.filter((modifier) => !standard.has(modifier)).sort();
    assert.deepStrictEqual(manifest.contributes.semanticTokenModifiers.map((modifier) => modifier.id).sort(), custom);
    const scopes = manifest.contributes.semanticTokenScopes.find((entry) => entry.language === 'nix')?.scopes ?? {};
    const grammar = fs.readFileSync(path.join(CLIENT, 'syntaxes', 'nix.tmLanguage.json'), 'utf8');
    for (const modifier of custom) {
      const selector = Object.keys(scopes).find((key) => key.endsWith(`.${modifier}`));
      assert.ok(selector, `no semanticTokenScopes entry for .${modifier}`);
      for (const scope of scopes[selector]) assert.ok(grammar.includes(scope.replace(/\.nix$/, '')), `${scope} is not a scope of the grammar`);
    }
  });

  it('contributes exactly the commands the extension registers', () => {
    const registered = [...extensionSources.matchAll(/registerCommand\('([^']+)'/g)].map((match) => match[1]).sort();
    const contributed = manifest.contributes.commands.map((command) => command.command).sort();
    assert.deepStrictEqual(contributed, registered);
  });

  it('declares every setting the extension reads', () => {
    const read = new Set([...extensionSources.matchAll(/\.get<[^>]+>\('([^']+)'/g)].map((match) => `nixguard.${match[1]}`));
    read.add('nixguard.trace.server'); // read by vscode-languageclient, from the client id `nixguard`
    const declared = Object.keys(manifest.contributes.configuration.properties);
    for (const setting of read) assert.ok(declared.includes(setting), `${setting} is read but not declared`);
    assert.deepStrictEqual(declared.sort(), [...read].sort());
  });

  it('lets only user settings name a server binary, so untrusted workspaces stay safe', () => {
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, true);
    assert.strictEqual(manifest.contributes.configuration.properties['nixguard.server.path'].scope, 'machine');
  });

  it('keeps the `nixguard.rules` setting in step with the configuration schema', async () => {
    await run(process.execPath, [path.join(CLIENT, 'scripts', 'rule-settings.js'), '--check'], { cwd: REPOSITORY_ROOT });
  });

  it('names files that exist or that the build writes', () => {
    for (const language of manifest.contributes.languages) assert.ok(fs.existsSync(path.join(CLIENT, language.configuration)), language.configuration);
    for (const grammar of manifest.contributes.grammars) {
      const file = path.join(CLIENT, grammar.path);
      assert.strictEqual((JSON.parse(fs.readFileSync(file, 'utf8')) as { scopeName: string }).scopeName, grammar.scopeName);
    }
    // client/scripts/build.js writes these two (test/client/bundle.test.ts checks it does).
    assert.strictEqual(manifest.main, './dist/extension.js');
    assert.deepStrictEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.nixguard.json', url: './dist/nixguard.schema.json' }]);
  });

  it('uses its own grammar scope name, so that it never replaces Nix IDE\'s `source.nix`', () => {
    assert.deepStrictEqual(
      manifest.contributes.grammars.map((grammar) => [grammar.language, grammar.scopeName]),
      [['nix', 'source.nix.nixguard']],
    );
    assert.deepStrictEqual(manifest.activationEvents, ['onLanguage:nix']);
  });

  it('type-checks against a VS Code API no newer than the oldest VS Code it accepts', () => {
    // vsce refuses to package when @types/vscode is newer than engines.vscode.
    const engine = /^\^(\d+)\.(\d+)\./.exec(manifest.engines.vscode);
    const types = /(\d+)\.(\d+)\./.exec(manifest.devDependencies['@types/vscode']);
    assert.ok(engine && types, `${manifest.engines.vscode} / ${manifest.devDependencies['@types/vscode']}`);
    assert.ok(Number(types[1]) < Number(engine[1]) || (types[1] === engine[1] && Number(types[2]) <= Number(engine[2])));
  });
});
