// What the secrets rules agree on (analysis/secrets.ts), and what fixtures cannot show: key
// blocks spread over the lines of a `''…''` string (an annotation line inside the string would
// change its content) and the lower severity in test files.
import * as assert from 'assert';
import { checkText } from 'nixguard';
import { findKeyMaterial, isSecretFileName, isSecretName, isSecretReference, isTestFilePath } from 'nixguard/out/analysis/secrets';

const RSA_BLOCK = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAzZ3fakefakefakefakefakefake', '-----END RSA PRIVATE KEY-----'];

/** The findings of one rule, as `severity line:column-column`. */
function findingsOf(ruleId: string, text: string, path: string): string[] {
  return checkText(text, { path })
    .findings.filter((finding) => finding.ruleId === ruleId)
    .map((finding) => {
      const line = text.slice(0, finding.range.start).split('\n').length;
      const column = finding.range.start - text.lastIndexOf('\n', finding.range.start - 1);
      return `${finding.severity} ${line}:${column}-${column + finding.range.end - finding.range.start}`;
    });
}

describe('secrets analysis', () => {
  describe('findKeyMaterial', () => {
    it('finds a PEM block over several lines and reports its header', () => {
      const text = `''\n  ${RSA_BLOCK.join('\n  ')}\n''`;
      const found = findKeyMaterial(text);
      assert.deepStrictEqual(found.map((key) => [key.kind, key.label, text.slice(key.start, key.end)]), [['pem', 'RSA PRIVATE KEY', RSA_BLOCK[0]]]);
    });

    it('finds legacy encrypted PEM keys with headers before the body', () => {
      const text = ['-----BEGIN EC PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,0123456789ABCDEF', '', 'MHcCAQEEIfakefakefakefakefakefake'].join('\n');
      assert.deepStrictEqual(findKeyMaterial(text).map((key) => key.label), ['EC PRIVATE KEY']);
    });

    it('ignores certificates, public keys and a header without a body', () => {
      assert.deepStrictEqual(findKeyMaterial('-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUfakefake\n'), []);
      assert.deepStrictEqual(findKeyMaterial('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n'), []);
      assert.deepStrictEqual(findKeyMaterial('grep -q -- "-----BEGIN OPENSSH PRIVATE KEY-----" "$f" && exit 1'), []);
    });

    it('accepts an age key only with a valid bech32 checksum', () => {
      const valid = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ8H00W3';
      assert.deepStrictEqual(findKeyMaterial(`key = ${valid}`).map((key) => [key.kind, key.start, key.end]), [['age', 6, 6 + valid.length]]);
      assert.deepStrictEqual(findKeyMaterial(valid.slice(0, -1) + '4'), []);
      assert.deepStrictEqual(findKeyMaterial(`${valid}Q`), [], 'a longer token is not an age key');
    });
  });

  describe('names and values', () => {
    it('tells secret names from hashes and lookalikes', () => {
      const secret = ['password', 'initialPassword', 'api_token', 'GITHUB_TOKEN', 'apiKey', 'api-key', 'privateKey', 'psk', 'clientSecret', 'credentials', 'access-tokens', 'passwd'];
      const notSecret = ['hashedPassword', 'passwordHash', 'passwordFile', 'tokenLifetime', '_secret', 'semanticTokens', 'publicKey', 'keys'];
      assert.deepStrictEqual(secret.filter((name) => !isSecretName(name)), []);
      assert.deepStrictEqual(notSecret.filter(isSecretName), []);
    });

    it('tells secret file options from public and unrelated ones', () => {
      const secretFile = ['passwordFile', 'keyFile', 'environmentFiles', 'EnvironmentFile', 'secret-key-files', 'sslCertificateKey', 'tokenPath', 'identityPaths', 'credentialsFile'];
      const notSecretFile = ['publicKeyFile', 'authorizedKeysFile', 'toolchainFile', 'sopsFile', 'file', 'sslCertificate', 'password', 'keyMap'];
      assert.deepStrictEqual(secretFile.filter((name) => !isSecretFileName(name)), []);
      assert.deepStrictEqual(notSecretFile.filter(isSecretFileName), []);
    });

    it('treats paths, variables and placeholders as references to a secret', () => {
      const references = ['/run/secrets/x', '/var/lib/foo/token', '$TOKEN', '${TOKEN}', 'OPENROUTER_API_KEY', '@password@', '#token#', '%SECRET%', '{env:TOKEN}', '{{ token }}', '  '];
      const secrets = ['hunter2', 'changeme', 'ghp_0123456789', 'Token', 'correct horse battery staple', 'API KEY'];
      assert.deepStrictEqual(references.filter((value) => !isSecretReference(value)), []);
      assert.deepStrictEqual(secrets.filter(isSecretReference), []);
    });

    it('recognizes test files by folder and by name', () => {
      const tests = ['nixos/tests/login.nix', 'tests/modules/x/default.nix', '/home/a/project/test/vm.nix', 'foo-test.nix', 'test.nix', 'tests.nix', 'login.test.nix'];
      const notTests = ['configuration.nix', 'hosts/testing-box/default.nix', 'modules/attest.nix', 'latest.nix', undefined];
      assert.deepStrictEqual(tests.filter((path) => !isTestFilePath(path)), []);
      assert.deepStrictEqual(notTests.filter(isTestFilePath), []);
    });
  });

  describe('rules on multi-line strings and in test files', () => {
    const keyModule = `{\n  services.foo.sslKey = ''\n    ${RSA_BLOCK.join('\n    ')}\n  '';\n}\n`;

    it('reports the header of a key block in an indented string', () => {
      assert.deepStrictEqual(findingsOf('private-key-literal', keyModule, 'configuration.nix'), [`error 3:5-${5 + RSA_BLOCK[0].length}`]);
    });

    it('lowers private-key-literal to a hint in test files', () => {
      assert.deepStrictEqual(findingsOf('private-key-literal', keyModule, 'nixos/tests/tls.nix'), [`hint 3:5-${5 + RSA_BLOCK[0].length}`]);
    });

    it('lowers secret-literal to a hint in test files', () => {
      const text = '{ services.foo.adminPassword = "foobar"; }\n';
      assert.deepStrictEqual(findingsOf('secret-literal', text, 'hosts/web.nix'), ['warning 1:32-40']);
      assert.deepStrictEqual(findingsOf('secret-literal', text, 'nixos/tests/web.nix'), ['hint 1:32-40']);
    });

    it('lowers wireguard-key-literal and etc-secret to hints in test files', () => {
      const text = '{\n  networking.wireguard.interfaces.wg0.privateKey = "k";\n  environment.etc."app.env".source = ./app.env;\n}\n';
      assert.deepStrictEqual(findingsOf('wireguard-key-literal', text, 'hosts/vpn.nix'), ['error 2:52-55']);
      assert.deepStrictEqual(findingsOf('wireguard-key-literal', text, 'tests/vpn.nix'), ['hint 2:52-55']);
      assert.deepStrictEqual(findingsOf('etc-secret', text, 'hosts/vpn.nix'), ['warning 3:38-47']);
      assert.deepStrictEqual(findingsOf('etc-secret', text, 'tests/vpn.nix'), ['hint 3:38-47']);
    });

    it('lowers secret-path-into-store to a hint in test files', () => {
      const text = '{ services.foo.keyFile = ./snakeoil.key; }\n';
      assert.deepStrictEqual(findingsOf('secret-path-into-store', text, 'hosts/web.nix'), ['error 1:26-40']);
      assert.deepStrictEqual(findingsOf('secret-path-into-store', text, 'tests/web.nix'), ['hint 1:26-40']);
    });
  });
});
