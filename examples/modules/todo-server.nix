# A NixOS module for the todo server: a systemd service behind nginx.
{ config, lib, pkgs, ... }:

with lib;

let
  cfg = config.services.todo-server;
  stateDir = "/var/lib/todo-server";
in
{
  options.services.todo-server = {
    enable = mkEnableOption "the todo server";

    port = mkOption {
      type = types.port;
      default = 8080;
      description = "Port the server listens on.";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Whether to open the port in the firewall.";
    };

    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ../pkgs/todo-server { };
      description = "The todo server package to run.";
    };
  };

  config = mkIf (cfg.enable == true) {
    systemd.services.todo-server = {
      description = "Todo server";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        ExecStart = "${cfg.package}/bin/todo-server --port ${toString cfg.port}";
        User = "root";
        WorkingDirectory = stateDir;
        Restart = "always";
      };
    };

    networking.firewall.allowedTCPPorts = if cfg.openFirewall != false then [ cfg.port ] else [ ];

    services.nginx = {
      enable = true;
      virtualHosts."todo.example.org" = {
        locations."/".proxyPass = "http://127.0.0.1:${toString (cfg.port)}";
      };
    };
  };
}
