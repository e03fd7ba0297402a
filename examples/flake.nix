{
  description = "Example infrastructure: one web server and the package it runs";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    let
      system = "x86_64-linux";
      pkgs = import nixpkgs { system = system; };
      lib = nixpkgs.lib;
    in
    {
      packages.${system} = rec {
        todo-server = pkgs.callPackage ./pkgs/todo-server { };
        default = todo-server;
      };

      nixosModules.todo-server = import ./modules/todo-server.nix;

      nixosConfigurations.web01 = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit self; };
        modules = [
          self.nixosModules.todo-server
          ./hosts/web01/configuration.nix
        ];
      };

      devShells.${system}.default = with pkgs; pkgs.mkShell {
        packages = [ pkgs.nixfmt-rfc-style pkgs.go ] ++ [ ];
      };
    };
}
