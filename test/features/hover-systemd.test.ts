// Hover on a systemd service: the exposure score systemd-analyze prints, the checks that cost the
// most, what unreadable keys mean, and the quick fix. Real parser, real module model, real rules;
// the score and each check's exposure are compared with systemd-analyze itself where installed.
import * as assert from 'assert';
import { checkFile } from 'nixguard';
import { assessExposure, ExposureScore, SCORED_DIRECTIVES } from 'nixguard/out/analysis/systemd-exposure';
import { serviceUnit, systemdServices } from 'nixguard/out/analysis/systemd-services';
import { renderUnitFile } from 'nixguard/out/analysis/systemd-unit';
import { HOVER_PROVIDERS, hoverAt } from 'nixguard/out/features/hover';
import { systemdHover } from 'nixguard/out/features/hover-systemd';
import type { Finding } from 'nixguard';
import { analyze, markRanges, withCursor } from '../helpers/cursor';
import { analyzeUnits, systemdAnalyzeStatus } from '../helpers/systemd-analyze';

/** The systemd section at `$0` and its range marked «…», or undefined; findings as `checkFile` gives them unless told. */
function hover(textWith$0: string, findings?: readonly Finding[]): { markdown: string; range: string } | undefined {
  const { text, offset, file } = withCursor(textWith$0);
  const sections = systemdHover({ file, offset, findings: findings ?? checkFile(file).findings, environment: {} });
  assert.ok(sections.length <= 1, 'one section at most');
  return sections[0] && { markdown: sections[0].markdown, range: markRanges(text, [sections[0].range]) };
}

function check(textWith$0: string, expected: { markdown: string; range: string } | undefined): void {
  assert.deepStrictEqual(hover(textWith$0), expected);
}

/** The first line of the section: the score as systemd-analyze prints it. */
function scoreLine(textWith$0: string): string | undefined {
  return hover(textWith$0)?.markdown.split('\n')[0];
}

const UNHARDENED_9_6 = [
  '`systemd-analyze security` exposure of `web.service`: **9.6 UNSAFE**',
  '',
  'Costs the most (exposure each check adds):',
  "- `PrivateNetwork=` +0.5: uses the host's network",
  '- `User=/DynamicUser=` +0.4: runs as root (or as `nobody`, shared with unrelated services)',
  '- `CapabilityBoundingSet=~CAP_SYS_ADMIN` +0.3: keeps CAP_SYS_ADMIN: mounts, namespaces, most admin operations',
  '- `CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)` +0.3: may switch to any user or group identity',
  '- `CapabilityBoundingSet=~CAP_SYS_PTRACE` +0.3: may trace and inspect any process',
].join('\n');

/** The line pointing at the sandbox fix of `systemd-exposure`, as the rule titles it in this file. */
function quickFixLine(text: string): string {
  const finding = checkFile(analyze(text)).findings.find((candidate) => candidate.ruleId === 'systemd-exposure');
  assert.ok(finding?.fixes && finding.fixes.length === 3, 'systemd-exposure offers the sandbox and its two opt-in variants');
  return `Quick fix on \`web\`: *${finding.fixes[0].title}*, or 2 others in the code actions`;
}

describe('hover on systemd services', () => {
  const dotted = '{ pkgs, ... }: {\n  systemd.services.web = {\n    script = "exec ${pkgs.hello}/bin/hello";\n  };\n}\n';

  it('shows an unhardened root service as 9.6 UNSAFE with its top five checks and the quick fix', () => {
    const text = dotted.replace('services.web', 'services.w$0eb');
    check(text, {
      markdown: `${UNHARDENED_9_6}\n\n${quickFixLine(dotted)}`,
      range: dotted.replace('services.web', 'services.«web»'),
    });
    assert.ok(quickFixLine(dotted).startsWith('Quick fix on `web`: *Add a systemd sandbox'));
  });

  it('answers on the name in every module shape, and on `serviceConfig`', () => {
    const shapes: string[] = [
      // nested sets, quoted name
      '{ systemd = { services = { "w$0eb" = { script = "x"; serviceConfig = { }; }; }; }; }',
      // under mkIf in `config`, next to `options`
      '{ lib, config, ... }: { options.x = lib.mkEnableOption "x"; config = lib.mkIf config.x { systemd.services.w$0eb.script = "x"; }; }',
      // one key per binding: the second binding names the service too
      '{ systemd.services.web.script = "x"; systemd.services.w$0eb.serviceConfig.Restart = "always"; }',
      // in a flake's nixosSystem modules
      '{ outputs = { nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ({ ... }: { systemd.services.w$0eb = { script = "x"; }; }) ]; }; }; }',
      // on `serviceConfig`, cursor at its end
      '{ systemd.services.web = { script = "x"; serviceConfig$0 = { Restart = "always"; }; }; }',
      '{ systemd.services.web.script = "x"; systemd.services.web.service$0Config.Restart = "always"; }',
      // mkMerge and mkForce seen through
      '{ lib, ... }: { systemd.services.w$0eb = lib.mkMerge [ { script = "x"; } { serviceConfig.Restart = lib.mkForce "always"; } ]; }',
    ];
    for (const shape of shapes) assert.strictEqual(scoreLine(shape), '`systemd-analyze security` exposure of `web.service`: **9.6 UNSAFE**', shape);
  });

  it('shows what the engine computes for a DynamicUser service (8.4 EXPOSED)', () => {
    const text = '{ systemd.services.w$0eb = { script = "x"; serviceConfig.DynamicUser = true; }; }';
    const engine = assessExposure({ service: new Map([['DynamicUser', ['true']]]), name: 'web.service' }) as ExposureScore;
    assert.strictEqual(`${engine.text} ${engine.label}`, '8.4 EXPOSED');
    assert.strictEqual(scoreLine(text), `\`systemd-analyze security\` exposure of \`web.service\`: **${engine.text} ${engine.label}**`);
    // Running as root no longer costs anything, so User=/DynamicUser= is not listed.
    assert.ok(!hover(text)?.markdown.includes('User=/DynamicUser='));
  });

  it('says the score is unknown when a key that changes it is not a literal', () => {
    check('{ cfg, ... }: { systemd.services.w$0eb = { script = "x"; serviceConfig.User = cfg.user; }; }', {
      markdown: 'Exposure of `web.service` unknown: `User` can change the score but cannot be read (not a literal, set under `mkIf`, or set twice); nixguard shows no score rather than guess.',
      range: '{ cfg, ... }: { systemd.services.«web» = { script = "x"; serviceConfig.User = cfg.user; }; }',
    });
    const conditional = hover('{ lib, c, ... }: { systemd.services.w$0eb = { script = "x"; serviceConfig.PrivateTmp = lib.mkIf c true; serviceConfig.ProtectHome = true; }; }');
    assert.ok(conditional?.markdown.startsWith('Exposure of `web.service` unknown: `PrivateTmp` can change the score'), conditional?.markdown);
  });

  it('notes unreadable keys that cannot change the score, and keeps the score', () => {
    const markdown = hover('{ pkgs, ... }: { systemd.services.w$0eb = { serviceConfig.ExecStart = "${pkgs.hello}/bin/hello"; serviceConfig.Restart = x; }; }')?.markdown;
    assert.ok(markdown?.startsWith('`systemd-analyze security` exposure of `web.service`: **9.6 UNSAFE**'), markdown);
    assert.ok(markdown?.includes('\n\n`ExecStart` and `Restart` are unknown (not a literal, set under `mkIf`, or set twice); the score does not depend on them.'), markdown);
  });

  it('says why there is no score for computed, adjusted-only and refused services', () => {
    check('{ systemd.services.w$0eb = mkService { script = "x"; }; }', {
      markdown: 'Exposure of `web.service` unknown: part of the service is computed (a function call, `//` or a computed name), so any setting may change its score; nixguard shows none rather than guess.',
      range: '{ systemd.services.«web» = mkService { script = "x"; }; }',
    });
    assert.ok(hover('{ systemd.services.web = { script = "x"; serviceConfig = common // { }; }; systemd.services.w$0eb.serviceConfig.Restart = "always"; }')?.markdown.includes('part of the service is computed'));
    check('{ systemd.services.ngi$0nx.serviceConfig.ProtectHome = true; }', {
      markdown: 'No exposure score for `nginx.service`: this file sets neither `script` nor `ExecStart`, so the service is defined elsewhere and its score depends on settings not in this file.',
      range: '{ systemd.services.«nginx».serviceConfig.ProtectHome = true; }',
    });
    check('{ systemd.services.w$0eb = { script = "x"; serviceConfig.DynamicUser = "maybe"; }; }', {
      markdown: 'No exposure score for `web.service`: systemd refuses to load it (`DynamicUser=maybe`: not a boolean).',
      range: '{ systemd.services.«web» = { script = "x"; serviceConfig.DynamicUser = "maybe"; }; }',
    });
  });

  it('notes mkDefault settings and user services', () => {
    const weak = hover('{ lib, ... }: { systemd.services.w$0eb = { script = "x"; serviceConfig.ProtectSystem = lib.mkDefault "strict"; }; }')?.markdown;
    assert.ok(weak?.includes('`ProtectSystem` is set with `mkDefault` (or weaker): another module may override it and change the score.'), weak);
    const user = hover('{ systemd.user.services.ag$0ent = { script = "x"; serviceConfig.PrivateTmp = true; }; }')?.markdown;
    assert.ok(user?.startsWith('`systemd-analyze security` exposure of `agent.service`: **'), user);
    assert.ok(user?.includes('A user service: the user manager adds `KeyringMode=inherit`'), user);
  });

  it('points at no quick fix when the rule offers none (rule off, or a low score)', () => {
    const text = dotted.replace('services.web', 'services.w$0eb');
    assert.strictEqual(hover(text, [])?.markdown, UNHARDENED_9_6);
    const sandboxed = '{ systemd.services.w$0eb = { script = "x"; serviceConfig = { DynamicUser = true; PrivateNetwork = true; ProtectSystem = "strict"; ProtectHome = true; PrivateDevices = true; CapabilityBoundingSet = [ "" ]; SystemCallFilter = [ "@system-service" ]; SystemCallArchitectures = "native"; RestrictAddressFamilies = [ "AF_UNIX" ]; RestrictNamespaces = true; }; }; }';
    const markdown = hover(sandboxed)?.markdown;
    assert.ok(markdown?.startsWith('`systemd-analyze security` exposure of `web.service`: **'), markdown);
    assert.ok(!markdown?.includes('Quick fix'), markdown);
  });

  it('stays silent elsewhere: other keys, `services`, directives, attributes outside modules', () => {
    for (const text of [
      '{ systemd.services.web = { scr$0ipt = "x"; }; }',
      '{ systemd.ser$0vices.web = { script = "x"; }; }',
      '{ sys$0temd.services.web = { script = "x"; }; }',
      '{ systemd.services.web = { script = "x"; serviceConfig.Priv$0ateTmp = true; }; }',
      '{ systemd.services.web = { script = "x"; serviceConfig.PrivateTmp = $0true; }; }',
      'let web = 1; in { systemd.services.web = { script = "x"; }; x = w$0eb; }',
      '{ pkgs = { w$0eb = 1; serviceConfig = 2; }; }',
    ]) assert.strictEqual(hover(text), undefined, text);
  });

  it('comes first in the full hover, before the findings on the name', () => {
    assert.ok(HOVER_PROVIDERS.includes(systemdHover));
    const { file, offset } = withCursor(dotted.replace('services.web', 'services.w$0eb'));
    const result = hoverAt({ file, offset, findings: checkFile(file).findings, environment: {} });
    const sections = result?.markdown.split('\n\n---\n\n') ?? [];
    assert.ok(sections[0].startsWith(UNHARDENED_9_6), sections[0]);
    assert.ok(sections.some((section) => section.startsWith('**Service `web` scores 9.6 UNSAFE')));
  });

  it('prints the score and each listed check’s exposure as systemd-analyze does', function () {
    const status = systemdAnalyzeStatus();
    if (!status.available) this.skip();
    const text = [
      '{ lib, ... }: {',
      '  systemd.services.root = { script = "x"; };',
      '  systemd.services.dynamic = { script = "x"; serviceConfig.DynamicUser = true; };',
      '  systemd.services.partial = { script = "x"; serviceConfig = { User = "web"; ProtectSystem = "full"; PrivateTmp = true; RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" ]; SystemCallFilter = [ "~@mount" ]; CapabilityBoundingSet = [ "CAP_NET_BIND_SERVICE" ]; }; };',
      '  systemd.services.strict = { script = "x"; serviceConfig = { DynamicUser = true; PrivateNetwork = true; PrivateDevices = true; ProtectHome = true; UMask = "0077"; IPAddressDeny = "any"; }; };',
      '}',
    ].join('\n');
    const file = analyze(text);
    const services = systemdServices(file.table, file.modules);
    const oracle = analyzeUnits(
      services.map((service) => {
        const unit = serviceUnit(file.table, service, SCORED_DIRECTIVES);
        assert.ok(unit, service.name);
        return { name: `${service.name}.service`, text: renderUnitFile({ ...unit, service: new Map([...unit.service, ['ExecStart', ['/bin/true']]]) }) };
      }),
    );
    assert.strictEqual(oracle.size, services.length, 'systemd scored every unit');
    for (const service of services) {
      const theirs = oracle.get(`${service.name}.service`);
      assert.ok(theirs);
      const offset = file.table.start(service.nameNode);
      const [section] = systemdHover({ file, offset, findings: [], environment: {} });
      assert.ok(section.markdown.startsWith(`\`systemd-analyze security\` exposure of \`${service.name}.service\`: **${theirs.text} ${theirs.label}**`), section.markdown);
      const rows = [...section.markdown.matchAll(/^- `([^`]+)` \+(\d+\.\d):/gm)];
      assert.strictEqual(rows.length, 5, service.name);
      for (const [, id, exposure] of rows) assert.strictEqual(exposure, theirs.checks.get(id)?.exposure, `${service.name}: ${id}`);
    }
  });
});
