{ config, pkgs, ... }:

{
  imports = [ ./hardware-configuration.nix ];

  networking.hostName = "web01";
  networking.firewall.enable = false;

  services.todo-server = {
    enable = true;
    openFirewall = true;
  };

  services.openssh = {
    enable = true;
    settings.PermitRootLogin = "yes";
    settings.PasswordAuthentication = true;
  };

  users.users.admin = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    initialPassword = "changeme";
  };

  security.sudo.wheelNeedsPassword = false;

  environment.systemPackages = with pkgs; [ git htop ];

  system.stateVersion = "24.05";
}
