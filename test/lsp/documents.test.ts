// The document store keeps trees only for the documents being worked on, and a document whose
// tree was freed still gives exactly the analysis of a fresh parse after its next edit.
import * as assert from 'assert';
import { checkText } from 'nixguard';
import { DEFAULT_TREE_LIMITS, DocumentStore, OpenDocument } from 'nixguard/out/lsp/documents';

const SETTINGS = { severities: new Map(), key: 'defaults' };

function moduleText(index: number): string {
  return `{ config, lib, pkgs, ... }:\n{\n  services.openssh.enable = true;\n  networking.hostName = "host-${index}";\n  users.users.u${index}.password = "secret";\n}\n`;
}

function findingsOf(document: OpenDocument): string[] {
  const analysis = document.analyze(SETTINGS);
  assert.strictEqual(analysis.kind, 'analyzed');
  return analysis.result.findings.map((f) => `${f.ruleId} ${f.range.start}-${f.range.end} ${f.message}`);
}

describe('DocumentStore', () => {
  it(`keeps trees for the ${DEFAULT_TREE_LIMITS.maxDocuments} most recently opened or edited documents only`, () => {
    const store = new DocumentStore(() => undefined);
    const uris = Array.from({ length: DEFAULT_TREE_LIMITS.maxDocuments + 4 }, (_, i) => `file:///m${i}.nix`);
    uris.forEach((uri, i) => findingsOf(store.open(uri, 1, moduleText(i))));
    const holding = () => uris.filter((uri) => store.get(uri)?.holdsTree);
    assert.deepStrictEqual(holding(), uris.slice(4));
    // Editing an old document brings it back and pushes out the least recent one.
    const first = store.get(uris[0]) as OpenDocument;
    first.change(2, [{ range: { start: { line: 3, character: 26 }, end: { line: 3, character: 26 } }, text: 'x' }]);
    findingsOf(first);
    assert.deepStrictEqual(holding(), [uris[0], ...uris.slice(5)]);
  });

  it('gives a document whose tree was freed the findings of a fresh parse after its next edit', () => {
    const store = new DocumentStore(() => undefined);
    const document = store.open('file:///a.nix', 1, moduleText(0));
    const before = findingsOf(document);
    document.releaseTree();
    assert.strictEqual(document.holdsTree, false);
    assert.deepStrictEqual(findingsOf(document), before, 'the analysis of the current version stays');
    // Replace the password literal with a file option, then type into the host name.
    document.change(2, [{ range: { start: { line: 4, character: 20 }, end: { line: 4, character: 40 } }, text: 'hashedPasswordFile = "/run/p";' }]);
    document.change(3, [{ range: { start: { line: 3, character: 26 }, end: { line: 3, character: 26 } }, text: 'é' }]);
    const after = findingsOf(document);
    const text = document.current().text;
    assert.ok(text.includes('hashedPasswordFile'), text);
    assert.deepStrictEqual(after, checkText(text).findings.map((f) => `${f.ruleId} ${f.range.start}-${f.range.end} ${f.message}`));
    assert.ok(document.holdsTree);
  });

  it('frees the trees of a closed document and of documents beyond the text budget', () => {
    const limits = { maxDocuments: 8, textBudget: 4000 };
    const store = new DocumentStore(() => undefined, limits);
    const big = `{\n${'  p = callPackage ./p { };\n'.repeat(80)}}\n`;
    assert.ok(big.length > limits.textBudget / 2 && big.length < limits.textBudget);
    const a = store.open('file:///a.nix', 1, big);
    const b = store.open('file:///b.nix', 1, big);
    const c = store.open('file:///c.nix', 1, '{ }');
    assert.deepStrictEqual([a.holdsTree, b.holdsTree, c.holdsTree], [false, true, true], 'a and b together exceed the budget');
    store.close('file:///c.nix');
    assert.strictEqual(c.holdsTree, false);
    assert.strictEqual(store.get('file:///c.nix'), undefined);
  });
});
