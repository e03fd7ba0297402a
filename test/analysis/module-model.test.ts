// The NixOS module model: the same option definition written in every module shape the issue
// names must come out with the same path and value, and non-modules must give nothing.
import * as assert from 'assert';
import { SourceFile } from 'nixguard';
import { ModuleModel, readLiteral, readStringElements } from 'nixguard/out/analysis/module-model';
import type { LiteralValue, OptionDefinition } from 'nixguard/out/analysis/module-model';
import type { SyntaxTable } from 'nixguard/out/syntax/syntax-table';

function modelOf(text: string): { model: ModuleModel; table: SyntaxTable } {
  const source = SourceFile.parse(text);
  return { model: ModuleModel.build(source.table), table: source.table };
}

/** `path = literal` for every leaf definition, e.g. `networking.firewall.enable = false`. */
function leaves(text: string): string[] {
  const { model, table } = modelOf(text);
  return model.definitions
    .filter((definition) => readLiteral(table, definition.value).kind !== 'attrset')
    .map((definition) => `${definition.path.join('.')} = ${show(readLiteral(table, definition.value))}`);
}

function show(value: LiteralValue): string {
  switch (value.kind) {
    case 'bool':
    case 'int':
    case 'float':
      return String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'path':
      return value.text;
    case 'list':
      return `[${value.elements.length}]`;
    default:
      return value.kind;
  }
}

function only(text: string, path: string): OptionDefinition {
  const definitions = modelOf(text).model.get(path.split('.'));
  assert.strictEqual(definitions.length, 1, `one definition of ${path} in ${text}`);
  return definitions[0];
}

describe('module model', () => {
  const firewallOff = ['networking.firewall.enable = false'];

  it('reads dotted paths, nested sets and quoted names alike', () => {
    assert.deepStrictEqual(leaves('{ networking.firewall.enable = false; }'), firewallOff);
    assert.deepStrictEqual(leaves('{ networking = { firewall = { enable = false; }; }; }'), firewallOff);
    assert.deepStrictEqual(leaves('{ networking."firewall".enable = false; }'), firewallOff);
    assert.deepStrictEqual(leaves('{ boot.kernel.sysctl."net.ipv4.ip_forward" = 1; }'), ['boot.kernel.sysctl.net.ipv4.ip_forward = 1']);
    const definition = modelOf('{ boot.kernel.sysctl."net.ipv4.ip_forward" = 1; }').model.match(['boot', 'kernel', 'sysctl', '*']);
    assert.deepStrictEqual(
      definition.map((match) => match.captures),
      [['net.ipv4.ip_forward']],
    );
  });

  it('sees through the function head, with, let and assert', () => {
    assert.deepStrictEqual(leaves('{ config, lib, pkgs, ... }: { networking.firewall.enable = false; }'), firewallOff);
    assert.deepStrictEqual(leaves('args: with args.lib; let x = 1; in assert true; { networking.firewall.enable = false; }'), firewallOff);
  });

  it('strips `config` next to `options` and `imports`, and skips the option declarations', () => {
    const text = `{ config, lib, ... }: {
      imports = [ ./hardware.nix ];
      options.services.foo.enable = lib.mkEnableOption "foo";
      config = { networking.firewall.enable = false; };
    }`;
    assert.deepStrictEqual(leaves(text), firewallOff);
    assert.deepStrictEqual(leaves('{ config.networking.firewall.enable = false; }'), firewallOff);
  });

  it('sees through mkIf, mkMerge and priorities, keeping what they say', () => {
    const text = `{ config, lib, ... }: with lib; {
      config = mkMerge [
        (mkIf config.x.enable { networking.firewall.enable = mkDefault false; })
        { services.openssh.settings.PermitRootLogin = lib.mkForce "yes"; }
        { boot.kernelParams = mkOverride 900 [ "mitigations=off" ]; }
        { environment.systemPackages = lib.mkAfter [ ]; }
      ];
    }`;
    assert.deepStrictEqual(leaves(text), [
      'networking.firewall.enable = false',
      'services.openssh.settings.PermitRootLogin = "yes"',
      'boot.kernelParams = [1]',
      'environment.systemPackages = [0]',
    ]);
    const firewall = only(text, 'networking.firewall.enable');
    assert.strictEqual(firewall.conditional, true);
    assert.strictEqual(firewall.priority, 1000);
    assert.strictEqual(firewall.modifier, 'mkDefault');
    const root = only(text, 'services.openssh.settings.PermitRootLogin');
    assert.strictEqual(root.conditional, false);
    assert.strictEqual(root.priority, 50);
    assert.strictEqual(only(text, 'boot.kernelParams').priority, 900);
  });

  it('does not take functions named like Object.prototype members for priorities', () => {
    const definition = only('{ services.x.port = toString 80; services.x.name = valueOf "a"; }', 'services.x.port');
    assert.strictEqual(definition.modifier, undefined);
    assert.strictEqual(definition.priority, 100);
    assert.deepStrictEqual(leaves('{ services.x.port = toString 80; }'), ['services.x.port = unknown']);
  });

  it('pushes a priority on a set down to its definitions', () => {
    const definition = only('{ lib, ... }: { networking = lib.mkDefault { firewall.enable = false; }; }', 'networking.firewall.enable');
    assert.strictEqual(definition.modifier, 'mkDefault');
  });

  it('finds inline modules in imports', () => {
    const text = `{ ... }: {
      imports = [ ./a.nix ({ lib, ... }: { networking.firewall.enable = false; }) { services.x.enable = true; } ];
    }`;
    assert.deepStrictEqual(leaves(text).sort(), ['networking.firewall.enable = false', 'services.x.enable = true']);
  });

  it('finds modules in a flake: nixosSystem modules and nixosModules', () => {
    const text = `{
      inputs.nixpkgs.url = "github:NixOS/nixpkgs";
      outputs = { self, nixpkgs }: {
        nixosConfigurations.host = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./configuration.nix { networking.firewall.enable = false; } ];
        };
        nixosModules.default = { config, ... }: { services.openssh.enable = true; };
        nixosModules = { other = { security.sudo.wheelNeedsPassword = false; }; };
      };
    }`;
    assert.deepStrictEqual(leaves(text).sort(), ['networking.firewall.enable = false', 'security.sudo.wheelNeedsPassword = false', 'services.openssh.enable = true']);
  });

  it('finds the machines of a NixOS VM test, containers and specialisations', () => {
    const text = `{ pkgs, ... }: {
      name = "ssh";
      nodes = {
        server = { ... }: { services.openssh.enable = true; };
        client = { containers.web.config = { networking.firewall.enable = false; }; };
      };
      nodes.extra = { specialisation.debug.configuration = { boot.kernelParams = [ "debug" ]; }; };
      testScript = "start_all()";
    }`;
    assert.deepStrictEqual(leaves(text).sort(), ['boot.kernelParams = [1]', 'networking.firewall.enable = false', 'services.openssh.enable = true']);
    assert.deepStrictEqual(leaves('{ machine = { services.x.enable = true; }; testScript = ""; }'), ['services.x.enable = true']);
    assert.ok(modelOf(text).model.definitions.every((definition) => definition.inTest), 'test machines and what they nest are marked');
    assert.ok(modelOf('{ networking.firewall.enable = false; }').model.definitions.every((definition) => !definition.inTest));
    assert.deepStrictEqual(leaves('{ nodes.a = { services.x.enable = true; }; other = 1; }'), []);
  });

  it('records inherited names and dynamic values as unknown', () => {
    const text = '{ pkgs, ... }: { services.foo = { inherit (pkgs) package; enable = pkgs.lib.id true; }; }';
    assert.deepStrictEqual(leaves(text), ['services.foo.package = unknown', 'services.foo.enable = unknown']);
  });

  it('skips bindings with dynamic names', () => {
    assert.deepStrictEqual(leaves('{ services.${name}.enable = true; networking.hostName = "a"; }'), ['networking.hostName = "a"']);
  });

  it('finds nothing in files that are not modules', () => {
    assert.deepStrictEqual(leaves('{ lib, pkgs, ... }: with pkgs; { hello = callPackage ./hello { }; enable = false; }'), []);
    assert.deepStrictEqual(leaves('{ stdenv }: stdenv.mkDerivation { pname = "x"; }'), []);
    assert.deepStrictEqual(leaves('{ callPackage }: { nix = callPackage ./nix { }; time = callPackage ./time { }; hello = null; }'), []);
    assert.deepStrictEqual(leaves('{ lib, ... }: { nix = lib.mkDefault { enable = false; }; }'), ['nix.enable = false']);
    assert.deepStrictEqual(leaves('{ inputs.a.url = "x"; outputs = _: { }; }'), []);
  });

  it('reads literals', () => {
    const { model, table } = modelOf(`{ services.x = {
      a = -3; b = 1.5; c = null; d = ./key; e = "a\\nb"; f = ''
        line one
          indented ''\${x}
      ''; g = "\${y}"; };
    }`);
    const values = Object.fromEntries(model.under(['services', 'x']).filter((d) => d.path.length === 3).map((d) => [d.path[2], readLiteral(table, d.value)]));
    assert.deepStrictEqual(values.a, { kind: 'int', value: -3 });
    assert.deepStrictEqual(values.b, { kind: 'float', value: 1.5 });
    assert.deepStrictEqual(values.c, { kind: 'null' });
    assert.deepStrictEqual(values.d, { kind: 'path', text: './key' });
    assert.deepStrictEqual(values.e, { kind: 'string', value: 'a\nb' });
    assert.deepStrictEqual(values.f, { kind: 'string', value: 'line one\n  indented ${x}\n' });
    assert.deepStrictEqual(values.g, { kind: 'unknown' });
  });

  it('matches patterns with `*` and lists of alternatives, capturing what `*` matched', () => {
    const { model } = modelOf('{ users.users.a.password = "x"; users.extraUsers.b.initialPassword = "y"; users.users.c.hashedPassword = "z"; users.groups.d.members = [ ]; }');
    const matches = model.match(['users', ['users', 'extraUsers'], '*', ['password', 'initialPassword']]);
    assert.deepStrictEqual(matches.map((match) => `${match.definition.path.join('.')} ${match.captures.join(',')}`), ['users.users.a.password a', 'users.extraUsers.b.initialPassword b']);
  });

  it('reads the literal strings of a list, skipping other elements', () => {
    const { model, table } = modelOf('{ x }: { boot.kernelParams = [ "quiet" x "nokaslr" 3 ]; boot.initrd.kernelModules = x; }');
    const strings = (path: string) => readStringElements(table, model.get(path.split('.'))[0].value).map((element) => element.value);
    assert.deepStrictEqual(strings('boot.kernelParams'), ['quiet', 'nokaslr']);
    assert.deepStrictEqual(strings('boot.initrd.kernelModules'), []);
  });
});

describe('hardening rules on NixOS VM tests', () => {
  it('report at hint severity on a test machine, at their own severity elsewhere', async () => {
    const { checkText } = await import('nixguard');
    const machine = '{ services.openssh.settings.PermitRootLogin = "yes"; users.users.root.password = "x"; nixpkgs.config.allowBroken = true; }';
    const rules = new Set(['ssh-root-login', 'user-plaintext-password', 'nixpkgs-config-unsafe']);
    const severities = (text: string) => checkText(text).findings.filter((f) => rules.has(f.ruleId)).map((f) => `${f.ruleId}:${f.severity}`);
    assert.deepStrictEqual(severities(machine), ['ssh-root-login:warning', 'user-plaintext-password:error', 'nixpkgs-config-unsafe:info']);
    assert.deepStrictEqual(severities(`{ nodes.server = ${machine}; testScript = ""; }`), ['ssh-root-login:hint', 'user-plaintext-password:hint', 'nixpkgs-config-unsafe:hint']);
  });
});

describe('module model after an edit', () => {
  const { SourceFile: Source, AnalyzedFile } = require('nixguard') as typeof import('nixguard');
  const packages = `{ lib, pkgs, ... }: with pkgs; {\n${Array.from({ length: 40 }, (_, i) => `  p${i} = callPackage ./p${i} { version = "1.${i}"; };`).join('\n')}\n}\n`;

  /** Leaves of the model after editing `before` at `at` (insert `insert`), incrementally. */
  function leavesAfterEdit(before: string, at: string, insert: string): { incremental: string[]; fresh: string[] } {
    const first = new AnalyzedFile(Source.parse(before), undefined);
    void first.modules;
    const offset = before.indexOf(at) + at.length;
    const second = new AnalyzedFile(first.source.withChanges([{ start: offset, end: offset, text: insert }]), undefined, first);
    const describe = (file: InstanceType<typeof AnalyzedFile>) => file.modules.definitions.map((d) => `${d.path.join('.')}@${file.table.start(d.value)}`);
    return { incremental: describe(second), fresh: describe(new AnalyzedFile(Source.parse(second.text), undefined)) };
  }

  it('keeps its definitions, reading current values, when typing inside a string value', () => {
    const module = '{ lib, ... }: { services.openssh.settings.PermitRootLogin = lib.mkForce "ye"; networking.hostName = "a"; }';
    const { incremental, fresh } = leavesAfterEdit(module, '"ye', 's');
    assert.deepStrictEqual(incremental, fresh);
    const first = new AnalyzedFile(Source.parse(module), undefined);
    void first.modules;
    const offset = module.indexOf('"ye') + 3;
    const second = new AnalyzedFile(first.source.withChanges([{ start: offset, end: offset, text: 's' }]), undefined, first);
    const [definition] = second.modules.get(['services', 'openssh', 'settings', 'PermitRootLogin']);
    assert.deepStrictEqual(readLiteral(second.table, definition.value), { kind: 'string', value: 'yes' });
    assert.strictEqual(definition.priority, 50);
  });

  it('stays empty when typing inside a package of a package set', () => {
    const { incremental, fresh } = leavesAfterEdit(packages, 'version = "1.1', '2');
    assert.deepStrictEqual(incremental, []);
    assert.deepStrictEqual(fresh, []);
  });

  it('sees a module appear through a new top-level binding, a renamed key or an embedded module', () => {
    for (const [at, insert] of [
      ['p3 = callPackage ./p3 { version = "1.3"; };', '\n  services.openssh.enable = true;'],
      ['\n  p5', '.x'],
      ['version = "1.7"; }', ' // { m = lib.nixosSystem { modules = [ { networking.firewall.enable = false; } ]; }; }'],
      ['p9 = callPackage ./p9 { version = "1.9', '"; services.x.enable = true; y = "'],
    ] as const) {
      const { incremental, fresh } = leavesAfterEdit(packages.replace('p5 = callPackage', 'services = callPackage'), at, insert);
      assert.deepStrictEqual(incremental, fresh, `after inserting ${insert}`);
    }
    const { incremental } = leavesAfterEdit(packages, 'p3 = callPackage ./p3 { version = "1.3"; };', '\n  services.openssh.enable = true;');
    assert.ok(incremental.some((leaf) => leaf.startsWith('services.openssh.enable@')), 'the new definition is seen');
  });
});
