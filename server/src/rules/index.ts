// Every rule, imported explicitly and sorted by id. A test checks this list against the rule
// files, docs/rules/<id>.md and fixtures/rules/<id>/.
import boolComparison from './bool-comparison';
import boolSimplification from './bool-simplification';
import builtinNeedsPrefix from './builtin-needs-prefix';
import collapsibleLetIn from './collapsible-let-in';
import deprecatedIsNull from './deprecated-is-null';
import deprecatedToPath from './deprecated-to-path';
import dockerGroup from './docker-group';
import duplicateAttribute from './duplicate-attribute';
import duplicateFormal from './duplicate-formal';
import emptyInherit from './empty-inherit';
import emptyLetIn from './empty-let-in';
import emptyListConcat from './empty-list-concat';
import emptyPattern from './empty-pattern';
import etaReduction from './eta-reduction';
import etcSecret from './etc-secret';
import firewallDisabled from './firewall-disabled';
import hardeningDisableAll from './hardening-disable-all';
import hardeningFlagDisabled from './hardening-flag-disabled';
import invalidDynamicAttribute from './invalid-dynamic-attribute';
import invalidSuppression from './invalid-suppression';
import kernelHardeningWeakened from './kernel-hardening-weakened';
import legacyLetSyntax from './legacy-let-syntax';
import manualInherit from './manual-inherit';
import manualInheritFrom from './manual-inherit-from';
import nginxNoForceSsl from './nginx-no-force-ssl';
import nixSandboxOff from './nix-sandbox-off';
import nixTrustedUsers from './nix-trusted-users';
import nixpkgsConfigUnsafe from './nixpkgs-config-unsafe';
import openFirewallSensitivePort from './open-firewall-sensitive-port';
import polkitBlanketYes from './polkit-blanket-yes';
import privateKeyLiteral from './private-key-literal';
import redundantBuiltinsPrefix from './redundant-builtins-prefix';
import redundantPatternBind from './redundant-pattern-bind';
import repeatedKeys from './repeated-keys';
import secretLiteral from './secret-literal';
import secretPathIntoStore from './secret-path-into-store';
import shadowedBuiltin from './shadowed-builtin';
import sshPasswordAuth from './ssh-password-auth';
import sshRenamedOptions from './ssh-renamed-options';
import sshRootLogin from './ssh-root-login';
import sudoNopasswdAll from './sudo-nopasswd-all';
import sudoWheelNopasswd from './sudo-wheel-nopasswd';
import syntaxError from './syntax-error';
import systemdExecstartBare from './systemd-execstart-bare';
import systemdExposure from './systemd-exposure';
import systemdMissingSandboxing from './systemd-missing-sandboxing';
import systemdRunsAsRoot from './systemd-runs-as-root';
import systemdSecretEnv from './systemd-secret-env';
import undefinedVariable from './undefined-variable';
import unknownBuiltin from './unknown-builtin';
import unknownHardeningFlag from './unknown-hardening-flag';
import unusedAtPattern from './unused-at-pattern';
import unusedFormal from './unused-formal';
import unusedInherit from './unused-inherit';
import unusedLambdaArgument from './unused-lambda-argument';
import unusedLetBinding from './unused-let-binding';
import unusedRec from './unused-rec';
import unusedWith from './unused-with';
import uriLiteral from './uri-literal';
import uselessHasAttr from './useless-has-attr';
import uselessParens from './useless-parens';
import userEmptyPassword from './user-empty-password';
import userPlaintextPassword from './user-plaintext-password';
import wireguardKeyLiteral from './wireguard-key-literal';
import type { Rule } from './types';

export const ALL_RULES: readonly Rule[] = [
  boolComparison,
  boolSimplification,
  builtinNeedsPrefix,
  collapsibleLetIn,
  deprecatedIsNull,
  deprecatedToPath,
  dockerGroup,
  duplicateAttribute,
  duplicateFormal,
  emptyInherit,
  emptyLetIn,
  emptyListConcat,
  emptyPattern,
  etaReduction,
  etcSecret,
  firewallDisabled,
  hardeningDisableAll,
  hardeningFlagDisabled,
  invalidDynamicAttribute,
  invalidSuppression,
  kernelHardeningWeakened,
  legacyLetSyntax,
  manualInherit,
  manualInheritFrom,
  nginxNoForceSsl,
  nixSandboxOff,
  nixTrustedUsers,
  nixpkgsConfigUnsafe,
  openFirewallSensitivePort,
  polkitBlanketYes,
  privateKeyLiteral,
  redundantBuiltinsPrefix,
  redundantPatternBind,
  repeatedKeys,
  secretLiteral,
  secretPathIntoStore,
  shadowedBuiltin,
  sshPasswordAuth,
  sshRenamedOptions,
  sshRootLogin,
  sudoNopasswdAll,
  sudoWheelNopasswd,
  syntaxError,
  systemdExecstartBare,
  systemdExposure,
  systemdMissingSandboxing,
  systemdRunsAsRoot,
  systemdSecretEnv,
  undefinedVariable,
  unknownBuiltin,
  unknownHardeningFlag,
  unusedAtPattern,
  unusedFormal,
  unusedInherit,
  unusedLambdaArgument,
  unusedLetBinding,
  unusedRec,
  unusedWith,
  uriLiteral,
  uselessHasAttr,
  uselessParens,
  userEmptyPassword,
  userPlaintextPassword,
  wireguardKeyLiteral,
];

const RULES_BY_ID = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

export function findRule(id: string): Rule | undefined {
  return RULES_BY_ID.get(id);
}
