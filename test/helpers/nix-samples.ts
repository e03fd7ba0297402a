// Realistic Nix sources, written for these tests, as starting points for edit sequences and
// other tests that want more than a one-liner: a NixOS module, a flake, an all-packages style
// set and a file with the trailing-comma formals that the npm grammar does not know.

export const NIXOS_MODULE = `{ config, lib, pkgs, ... }:

with lib;

let
  cfg = config.services.photoprism;
  # Settings rendered into the environment; "é" and 日本語 keep offsets honest.
  env = mapAttrs (_: toString) (cfg.settings // {
    PHOTOPRISM_ORIGINALS_PATH = cfg.originalsPath;
    PHOTOPRISM_SITE_TITLE = "Photos 📷 of \${cfg.owner}";
  });
in
{
  options.services.photoprism = {
    enable = mkEnableOption "PhotoPrism";
    port = mkOption {
      type = types.port;
      default = 2342;
      description = ''
        Port to listen on. Use \${"''"} to escape, and ''\${literal}.
      '';
    };
    openFirewall = mkOption { type = types.bool; default = false; };
    settings = mkOption { type = types.attrsOf types.str; default = { }; };
  };

  config = mkIf (cfg.enable == true) {
    # nixguard-ignore-next-line bool-comparison
    networking.firewall.allowedTCPPorts = optional (cfg.openFirewall != false) cfg.port;
    systemd.services.photoprism = {
      description = "PhotoPrism";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      environment = env;
      serviceConfig = {
        ExecStart = "\${pkgs.photoprism}/bin/photoprism start";
        DynamicUser = true;
        StateDirectory = "photoprism";
        /* keep this until upstream fixes permissions */
        PrivateTmp = true;
      };
    };
  };
}
`;

export const FLAKE = `{
  description = "A flake with a dev shell, a package and a NixOS module";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils, ... }@inputs:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs { inherit system; };
        version = builtins.substring 0 8 (self.lastModifiedDate or "19700101");
      in
      {
        packages.default = pkgs.stdenv.mkDerivation {
          pname = "hello-nixguard";
          inherit version;
          src = ./.;
          buildInputs = with pkgs; [ zlib openssl ];
          installPhase = ''
            mkdir -p $out/bin
            cp hello $out/bin/ # 🎉
          '';
        };
        devShells.default = pkgs.mkShell {
          packages = [ pkgs.nodejs_20 pkgs.nixfmt-rfc-style ];
          shellHook = "echo \\"ready: \${version}\\"";
        };
      }) // {
      nixosModules.default = import ./module.nix;
      overlays.default = final: prev: { hello-nixguard = self.packages.\${prev.system}.default; };
    };
}
`;

export const ALL_PACKAGES = `{ lib, newScope, stdenv, fetchurl, config }:

lib.makeScope newScope (self: with self; {
  zlib = callPackage ../development/libraries/zlib { };
  openssl = callPackage ../development/libraries/openssl { inherit (stdenv) hostPlatform; };
  openssl_3 = openssl.override { version = "3.0.13"; };
  curl = callPackage ../tools/networking/curl {
    inherit openssl zlib;
    http2Support = config.curl.http2 or true;
  };
  hello = stdenv.mkDerivation rec {
    pname = "hello";
    version = "2.12.1";
    src = fetchurl {
      url = "mirror://gnu/hello/\${pname}-\${version}.tar.gz";
      sha256 = "086vqwk2wl8zfs47sq2xpjc9k066ilmb8z6dn0q6ymwjzlm196cd";
    };
    doCheck = stdenv.hostPlatform == stdenv.buildPlatform;
    meta = with lib; { license = licenses.gpl3Plus; platforms = platforms.all; };
  };
  "emoji-🎉" = callPackage ./emoji { };
  "日本語" = null;
  pythonPackages = lib.recurseIntoAttrs (callPackage ./python-packages.nix { });
  inherit (pythonPackages) requests;
  broken = if config.allowBroken == false then null else callPackage ./broken { };
  ancient = let x = 1; in x + 2;
})
`;

export const TRAILING_COMMA_FORMALS = `{
  lib,
  stdenv,
  fetchFromGitHub,
  cmake,
  enableTests ? false,
  ...
}@args:

let
  withDefaults = { name, version ? "1.0", }: "\${name}-\${version}";
  drv = stdenv.mkDerivation (finalAttrs: {
    pname = "trailing";
    version = "0.3.0";
    src = fetchFromGitHub {
      owner = "example";
      repo = "trailing";
      rev = "v\${finalAttrs.version}";
      hash = lib.fakeHash;
    };
    nativeBuildInputs = [ cmake ];
    doCheck = enableTests == true;
    passthru.label = withDefaults { name = "x"; };
  });
in
drv
`;

export const NIX_SAMPLES: Readonly<Record<string, string>> = {
  'nixos-module': NIXOS_MODULE,
  flake: FLAKE,
  'all-packages': ALL_PACKAGES,
  'trailing-comma-formals': TRAILING_COMMA_FORMALS,
};
