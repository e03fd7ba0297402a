// Inlay hints: the exposure score after each systemd service's name, in the requested range only.
// Real parser and module model; expected texts show each hint inline as «label».
import * as assert from 'assert';
import { AnalyzedFile, SourceFile } from 'nixguard';
import { exposureSummary } from 'nixguard/out/features/hover-systemd';
import { inlayHints, InlayHint } from 'nixguard/out/features/inlay-hints';
import { serviceExposure, systemdServices } from 'nixguard/out/analysis/systemd-services';
import type { OffsetRange } from 'nixguard';
import { analyze } from '../helpers/cursor';

/** `text` with every hint written in at its offset as «label» (a space before it when padded). */
function withHints(text: string, hints: readonly InlayHint[]): string {
  let result = text;
  for (const hint of [...hints].sort((a, b) => b.offset - a.offset)) {
    result = `${result.slice(0, hint.offset)}«${hint.paddingLeft ? ' ' : ''}${hint.label}»${result.slice(hint.offset)}`;
  }
  return result;
}

function check(text: string, expected: string, range?: OffsetRange): void {
  const file = analyze(text);
  assert.strictEqual(withHints(text, inlayHints(file, range ?? { start: 0, end: text.length })), expected);
}

const MODULE = [
  '{ config, lib, pkgs, ... }: {',
  '  systemd.services.root = { script = "x"; };',
  '  systemd.services.dynamic.serviceConfig = { ExecStart = "${pkgs.hello}/bin/hello"; DynamicUser = true; };',
  '  systemd = { services = { "nested" = { script = "x"; serviceConfig.DynamicUser = lib.mkForce true; }; }; };',
  '  systemd.user.services.agent = lib.mkIf config.x { script = "x"; };',
  '  systemd.services.computed = mkService { script = "x"; };',
  '  systemd.services.unknown = { script = "x"; serviceConfig.User = config.user; };',
  '  systemd.services.nginx.serviceConfig.ProtectHome = true;',
  '  systemd.services.refused = { script = "x"; serviceConfig.DynamicUser = "maybe"; };',
  '}',
].join('\n');

describe('inlay hints', () => {
  it('shows the score after the name of each scored service, in every module shape', () => {
    check(
      MODULE,
      [
        '{ config, lib, pkgs, ... }: {',
        '  systemd.services.root« 9.6 UNSAFE» = { script = "x"; };',
        '  systemd.services.dynamic« 8.4 EXPOSED».serviceConfig = { ExecStart = "${pkgs.hello}/bin/hello"; DynamicUser = true; };',
        '  systemd = { services = { "nested"« 8.4 EXPOSED» = { script = "x"; serviceConfig.DynamicUser = lib.mkForce true; }; }; };',
        '  systemd.user.services.agent« 9.6 UNSAFE» = lib.mkIf config.x { script = "x"; };',
        '  systemd.services.computed = mkService { script = "x"; };',
        '  systemd.services.unknown = { script = "x"; serviceConfig.User = config.user; };',
        '  systemd.services.nginx.serviceConfig.ProtectHome = true;',
        '  systemd.services.refused = { script = "x"; serviceConfig.DynamicUser = "maybe"; };',
        '}',
      ].join('\n'),
    );
  });

  it('agrees with the score the rules compute, and carries the top checks as its tooltip', () => {
    const file = analyze(MODULE);
    const hints = inlayHints(file, { start: 0, end: MODULE.length });
    const scored = systemdServices(file.table, file.modules).filter((service) => serviceExposure(file.table, service));
    assert.deepStrictEqual(
      hints.map((hint) => [hint.offset, hint.label]),
      scored.map((service) => {
        const score = serviceExposure(file.table, service)!;
        return [file.table.end(service.nameNode), `${score.text} ${score.label}`];
      }),
    );
    assert.strictEqual(hints[0].tooltip, exposureSummary(scored[0], serviceExposure(file.table, scored[0])!));
    assert.ok(hints[0].tooltip.includes("\n- `PrivateNetwork=` +0.5: uses the host's network"), hints[0].tooltip);
  });

  it('shows a service in a flake’s nixosSystem modules', () => {
    check(
      '{ outputs = { nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ { systemd.services.backup = { script = "x"; }; } ]; }; }; }',
      '{ outputs = { nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ { systemd.services.backup« 9.6 UNSAFE» = { script = "x"; }; } ]; }; }; }',
    );
  });

  it('returns only hints inside the range, its ends included', () => {
    const rootEnd = MODULE.indexOf('root') + 'root'.length;
    const nestedEnd = MODULE.indexOf('"nested"') + '"nested"'.length;
    const file = analyze(MODULE);
    const offsets = (range: OffsetRange): number[] => inlayHints(file, range).map((hint) => hint.offset);
    assert.deepStrictEqual(offsets({ start: rootEnd, end: nestedEnd }), [rootEnd, MODULE.indexOf('dynamic') + 'dynamic'.length, nestedEnd]);
    assert.deepStrictEqual(offsets({ start: rootEnd + 1, end: nestedEnd - 1 }), [MODULE.indexOf('dynamic') + 'dynamic'.length]);
    assert.deepStrictEqual(offsets({ start: MODULE.indexOf('computed'), end: MODULE.length }), []);
  });

  it('shows nothing in files without services, and follows edits', () => {
    check('{ pkgs }: { hello = pkgs.hello; }', '{ pkgs }: { hello = pkgs.hello; }');
    check('', '');
    const text = '{ systemd.services.web = { script = "x"; }; }';
    const first = new AnalyzedFile(SourceFile.parse(text), undefined);
    assert.deepStrictEqual(inlayHints(first, { start: 0, end: text.length }).map((hint) => hint.label), ['9.6 UNSAFE']);
    const at = text.indexOf('}; }');
    const edited = first.source.withChanges([{ start: at, end: at, text: 'serviceConfig.DynamicUser = true; ' }]);
    const second = new AnalyzedFile(edited, undefined, first);
    assert.deepStrictEqual(inlayHints(second, { start: 0, end: edited.text.length }).map((hint) => hint.label), ['8.4 EXPOSED']);
  });

  it('scores only the services in the range of a file with thousands of them', () => {
    const count = 3000;
    const lines = ['{'];
    for (let i = 0; i < count; i++) lines.push(`  systemd.services.s${i} = { script = "x"; serviceConfig = { DynamicUser = ${i % 2 === 0}; PrivateTmp = true; }; };`);
    lines.push('}');
    const text = lines.join('\n');
    const file = analyze(text);
    systemdServices(file.table, file.modules);
    const middle = text.indexOf('s1500 =');
    const started = process.hrtime.bigint();
    const hints = inlayHints(file, { start: middle, end: middle + 2000 });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(hints.length > 10 && hints.length < 30, `${hints.length} hints`);
    // Scoring every service would take about a second; the visible ones take a few milliseconds.
    assert.ok(elapsedMs < 250, `${elapsedMs.toFixed(1)} ms`);
  });
});
