// Deterministic generators for the benchmark corpus: an all-packages-style file (one flat set of
// many bindings, the worst case for tree-sitter's incremental reparse), typical NixOS modules and
// flakes. Same seed, same text, on every machine, so runs compare.

/** Small seeded PRNG (mulberry32): fast, deterministic, good enough for picking shapes. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** `count` distinct items, in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
}

const SYLLABLES = ['lib', 'gtk', 'py', 'x', 'qt', 'kde', 'net', 'sql', 'ssl', 'zip', 'font', 'cli', 'wav', 'git', 'vim', 'rust', 'go', 'ml', 'tls', 'dns', 'http', 'yaml', 'json', 'zstd', 'lua', 'pdf', 'img', 'gl', 'vk', 'sdl'];
const SUFFIXES = ['', '', '', '-utils', '-tools', 'd', '-cli', '-server', '-bin', 'mm', '2', '3', '-unwrapped'];
const CATEGORIES = ['development/libraries', 'development/tools', 'tools/misc', 'tools/networking', 'applications/editors', 'servers', 'os-specific/linux', 'development/python-modules', 'games', 'data/fonts'];
const DEPENDENCIES = ['openssl', 'zlib', 'curl', 'libxml2', 'glib', 'gtk3', 'sqlite', 'libffi', 'ncurses', 'readline', 'pcre2', 'libpng', 'libjpeg', 'freetype', 'fontconfig', 'dbus', 'systemd', 'libuv', 'boost', 'icu'];
const NATIVE_DEPENDENCIES = ['pkg-config', 'cmake', 'meson', 'ninja', 'autoreconfHook', 'makeWrapper', 'installShellFiles', 'python3', 'perl', 'gettext'];
const LICENSES = ['mit', 'asl20', 'gpl2Plus', 'gpl3Only', 'bsd3', 'lgpl21Plus', 'mpl20', 'isc'];
const MAINTAINERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const PLATFORMS = ['unix', 'linux', 'all', 'darwin'];
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function packageName(random: Random, index: number): string {
  return `${random.pick(SYLLABLES)}${random.pick(SYLLABLES)}${random.pick(SUFFIXES)}-${index}`;
}

function version(random: Random): string {
  return `${random.int(0, 12)}.${random.int(0, 30)}.${random.int(0, 9)}`;
}

function sriHash(random: Random): string {
  let hash = 'sha256-';
  for (let i = 0; i < 43; i++) hash += BASE64[random.int(0, 63)];
  return `${hash}=`;
}

function callPackageBinding(random: Random, name: string): string {
  return `  ${name} = callPackage ../${random.pick(CATEGORIES)}/${name} { };\n`;
}

function callPackageWithArgumentsBinding(random: Random, name: string): string {
  const inherited = random.sample(DEPENDENCIES, random.int(1, 4)).join(' ');
  const lines = [`  ${name} = callPackage ../${random.pick(CATEGORIES)}/${name} {`, `    inherit (pkgs) ${inherited};`];
  if (random.chance(0.7)) lines.push(`    ${random.pick(['withGui', 'enableTests', 'withSystemd', 'enableDocs'])} = ${random.chance(0.5) ? 'false' : 'true'};`);
  if (random.chance(0.3)) lines.push(`    python = python3;`);
  lines.push('  };');
  return lines.join('\n') + '\n';
}

function derivationBinding(random: Random, name: string): string {
  const pname = name.replace(/-\d+$/, '');
  const lines = [
    `  ${name} = stdenv.mkDerivation rec {`,
    `    pname = "${pname}";`,
    `    version = "${version(random)}";`,
    '',
    '    src = fetchurl {',
    `      url = "https://example.org/releases/${pname}/${pname}-\${version}.tar.${random.pick(['gz', 'xz', 'bz2'])}";`,
    `      hash = "${sriHash(random)}";`,
    '    };',
    '',
    `    nativeBuildInputs = [ ${random.sample(NATIVE_DEPENDENCIES, random.int(1, 3)).join(' ')} ];`,
    `    buildInputs = [ ${random.sample(DEPENDENCIES, random.int(1, 5)).join(' ')} ];`,
  ];
  if (random.chance(0.3)) lines.push(`    configureFlags = [ "--enable-shared" "--with-${random.pick(DEPENDENCIES)}=\${${random.pick(DEPENDENCIES)}.dev}" ];`);
  if (random.chance(0.2)) lines.push(`    doCheck = stdenv.hostPlatform == stdenv.buildPlatform;`);
  if (random.chance(0.05)) lines.push(`    enableParallelBuilding = ${random.pick(['true', 'false'])} == true;`);
  lines.push(
    '',
    '    meta = with lib; {',
    `      description = "The ${pname} ${random.pick(['library', 'tool', 'daemon', 'editor', 'toolkit'])}";`,
    `      homepage = "https://example.org/${pname}";`,
    `      license = licenses.${random.pick(LICENSES)};`,
    `      maintainers = with maintainers; [ ${random.sample(MAINTAINERS, random.int(1, 2)).join(' ')} ];`,
    `      platforms = platforms.${random.pick(PLATFORMS)};`,
    '    };',
    '  };',
  );
  return lines.join('\n') + '\n';
}

/**
 * An all-packages.nix-style file: `{ ... }: with pkgs; { <bindings> }`, one flat set, with
 * callPackage calls (plain and with arguments), mkDerivation bodies, aliases and comments.
 */
export function generateAllPackages(bindingCount: number, seed = 1): string {
  const random = new Random(seed);
  const names: string[] = [];
  let text = '# Generated by nixguard bench/generate.ts: an all-packages-style package set.\n';
  text += '{ lib, pkgs, stdenv, fetchurl, callPackage, python3, python3Packages, recurseIntoAttrs, ... }:\n\nwith pkgs;\n\n{\n';
  for (let index = 0; index < bindingCount; index++) {
    if (index % 25 === 0) text += `\n  ### ${random.pick(CATEGORIES).toUpperCase()} (group ${index / 25})\n\n`;
    else if (random.chance(0.04)) text += `  # ${random.pick(['TODO: drop after the next release', 'keep in sync with the module', 'see upstream issue', 'broken on aarch64'])}\n`;
    const name = packageName(random, index);
    const shape = random.next();
    if (shape < 0.52 || names.length === 0) text += callPackageBinding(random, name);
    else if (shape < 0.77) text += callPackageWithArgumentsBinding(random, name);
    else if (shape < 0.83) text += derivationBinding(random, name);
    else if (shape < 0.95) text += `  ${name} = ${random.pick(names)}; # alias\n`;
    else if (shape < 0.98) text += `  ${name} = recurseIntoAttrs (callPackage ../${random.pick(CATEGORIES)}/${name} { });\n`;
    else text += `  ${name} = python3Packages.toPythonApplication python3Packages.${random.pick(names)};\n`;
    names.push(name);
  }
  return text + '}\n';
}

const OPTION_SHAPES: readonly ((random: Random, name: string) => string[])[] = [
  (random, name) => [`    ${name} = mkOption {`, '      type = types.port;', `      default = ${random.int(1024, 65000)};`, `      description = "Port on which the service listens for ${name}.";`, '    };'],
  (random, name) => [`    ${name} = mkOption {`, '      type = types.str;', `      default = "${random.pick(['localhost', '0.0.0.0', '::1', 'info', 'warn'])}";`, '      example = "127.0.0.1";', `      description = "Value of ${name}.";`, '    };'],
  (_random, name) => [`    ${name} = mkOption {`, '      type = types.bool;', '      default = false;', `      description = "Whether to enable ${name}.";`, '    };'],
  (_random, name) => [`    ${name} = mkOption {`, '      type = types.listOf types.str;', '      default = [ ];', '      example = [ "--verbose" ];', `      description = "Extra ${name} passed on the command line.";`, '    };'],
  (_random, name) => [`    ${name} = mkOption {`, '      type = types.path;', '      default = "/var/lib/${cfg.user}";', `      description = ''`, `        Directory for ${name}. Created on activation`, '        when it does not exist.', `      '';`, '    };'],
  (random, name) => [`    ${name} = mkOption {`, `      type = types.enum [ "debug" "info" "warn" "error" ];`, `      default = "${random.pick(['info', 'warn'])}";`, `      description = "Verbosity of ${name}.";`, '    };'],
  (_random, name) => [`    ${name} = mkOption {`, '      type = types.nullOr types.path;', '      default = null;', `      description = "File with the secret for ${name}; never put it in the store.";`, '    };'],
];

/** A NixOS module of about `targetLines` lines: options, then `config = mkIf cfg.enable { ... }`. */
export function generateModule(seed: number, targetLines = 300): string {
  const random = new Random(seed * 7919 + 17);
  const service = `${random.pick(SYLLABLES)}${random.pick(SYLLABLES)}${random.pick(['d', '-server', 'proxy', 'mon', 'sync'])}${seed}`;
  const head = [
    '# Generated by nixguard bench/generate.ts: a typical NixOS service module.',
    '{ config, lib, pkgs, ... }:',
    '',
    'with lib;',
    '',
    'let',
    `  cfg = config.services.${service};`,
    '  settingsFormat = pkgs.formats.toml { };',
    `  configFile = settingsFormat.generate "${service}.toml" cfg.settings;`,
    '  stateDirectory = "/var/lib/${cfg.user}";',
    'in',
    '{',
    `  options.services.${service} = {`,
    `    enable = mkEnableOption "the ${service} service";`,
    '',
    `    package = mkPackageOption pkgs "${service}" { };`,
    '',
    '    user = mkOption {',
    '      type = types.str;',
    `      default = "${service}";`,
    '      description = "User account under which the service runs.";',
    '    };',
    '',
    '    openFirewall = mkOption {',
    '      type = types.bool;',
    '      default = false;',
    '      description = "Whether to open the port in the firewall.";',
    '    };',
    '',
    '    settings = mkOption {',
    '      type = settingsFormat.type;',
    '      default = { };',
    '      description = "Configuration written to the TOML file.";',
    '    };',
    '',
  ];
  const tail = [
    '  };',
    '',
    '  config = mkIf cfg.enable {',
    `    systemd.services.${service} = {`,
    `      description = "${service} daemon";`,
    '      wantedBy = [ "multi-user.target" ];',
    '      after = [ "network-online.target" ];',
    '      wants = [ "network-online.target" ];',
    '      environment = {',
    `      HOME = stateDirectory;`,
    '      };',
    '      serviceConfig = {',
    `        ExecStart = "\${cfg.package}/bin/${service} --config \${configFile} --port \${toString cfg.port}";`,
    '        ExecReload = "${pkgs.coreutils}/bin/kill -HUP $MAINPID";',
    '        User = cfg.user;',
    '        Group = cfg.user;',
    `        StateDirectory = "${service}";`,
    '        Restart = "on-failure";',
    '        RestartSec = 5;',
    '        NoNewPrivileges = true;',
    '        PrivateTmp = true;',
    '        ProtectSystem = "strict";',
    '        ProtectHome = true;',
    '        CapabilityBoundingSet = "";',
    '        RestrictAddressFamilies = [ "AF_INET" "AF_INET6" "AF_UNIX" ];',
    '        SystemCallFilter = [ "@system-service" "~@privileged" ];',
    '      };',
    '    };',
    '',
    `    networking.firewall.allowedTCPPorts = mkIf ${random.chance(0.2) ? '(cfg.openFirewall == true)' : 'cfg.openFirewall'} [ cfg.port ];`,
    '',
    '    users.users = mkIf (cfg.user == "' + service + '") {',
    `      ${service} = {`,
    '        isSystemUser = true;',
    '        group = cfg.user;',
    '        home = stateDirectory;',
    `        description = "${service} service user";`,
    '      };',
    '    };',
    `    users.groups = mkIf (cfg.user == "${service}") { ${service} = { }; };`,
    '',
    '    environment.systemPackages = [ cfg.package ];',
    '',
    '    assertions = [',
    '      {',
    '        assertion = cfg.settings ? listen -> cfg.openFirewall;',
    `        message = "services.${service}.settings.listen needs openFirewall";`,
    '      }',
    '    ];',
    '  };',
    '',
    `  meta.maintainers = with maintainers; [ ${random.pick(MAINTAINERS)} ];`,
    '}',
  ];
  const options: string[] = ['    port = mkOption {', '      type = types.port;', `      default = ${random.int(1024, 65000)};`, '      description = "Port to listen on.";', '    };', ''];
  let optionIndex = 0;
  while (head.length + options.length + tail.length < targetLines - 4) {
    const name = `${random.pick(['listen', 'log', 'cache', 'extra', 'worker', 'metrics', 'admin', 'tls', 'backup', 'upstream'])}${random.pick(['Address', 'Level', 'Dir', 'Flags', 'Count', 'Port', 'File', 'Timeout', 'Url'])}${optionIndex++}`;
    if (random.chance(0.15)) options.push(`    # ${random.pick(['kept for backwards compatibility', 'see the upstream manual', 'only read at start'])}`);
    options.push(...random.pick(OPTION_SHAPES)(random, name), '');
  }
  return [...head, ...options, ...tail].join('\n') + '\n';
}

/** A flake of a typical shape: inputs, per-system outputs through flake-utils, a NixOS module. */
export function generateFlake(seed: number): string {
  const random = new Random(seed * 104729 + 3);
  const project = `${random.pick(SYLLABLES)}${random.pick(SYLLABLES)}-${seed}`;
  return `# Generated by nixguard bench/generate.ts: a typical flake.
{
  description = "The ${project} project";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-${random.pick(['unstable', '24.05', '24.11'])}";
    flake-utils.url = "github:numtide/flake-utils";
    rust-overlay = {
      url = "github:oxalica/rust-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, flake-utils, rust-overlay, ... }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs {
          inherit system;
          overlays = [ rust-overlay.overlays.default ];
        };
        ${project} = pkgs.callPackage ./nix/package.nix { };
      in
      {
        packages.default = ${project};
        packages.${project} = ${project};

        devShells.default = pkgs.mkShell {
          inputsFrom = [ ${project} ];
          packages = with pkgs; [ ${random.sample(NATIVE_DEPENDENCIES, 3).join(' ')} rust-analyzer ];
          RUST_LOG = "debug";
        };

        checks.format = pkgs.runCommand "check-format" { } ''
          \${pkgs.nixfmt-rfc-style}/bin/nixfmt --check \${./.}
          touch $out
        '';
      })
    // {
      nixosModules.default = import ./nix/module.nix;
      overlays.default = final: prev: { ${project} = final.callPackage ./nix/package.nix { }; };
    };
}
`;
}
