{ lib, stdenv, buildGoModule, fetchFromGitHub, fetchurl, makeWrapper }:

buildGoModule rec {
  pname = "todo-server";
  version = "1.4.2";

  src = fetchFromGitHub {
    owner = "example";
    repo = "todo-server";
    rev = "v${version}";
    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };

  vendorHash = null;

  nativeBuildInputs = [ makeWrapper ];

  doCheck = stdenv.isLinux == true;

  ldflags = [ "-s" "-w" "-X main.version=${version}" ];

  # The vendored C parser trips the format checks; "fortfy" is a typo nixguard fixes.
  hardeningDisable = [ "format" "fortfy" ];

  # nixguard-ignore-next-line bool-comparsion -- upstream's tests need the network
  preCheck = if stdenv.isDarwin == false then "export HOME=$TMPDIR" else "";

  meta = with lib; {
    description = "A small self-hosted todo list server";
    homepage = "https://example.org/todo-server";
    license = licenses.mit;
    mainProgram = "todo-server";
    platforms = platforms.unix;
  };
}
