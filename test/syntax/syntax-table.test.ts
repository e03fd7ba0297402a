// The SyntaxTable mirrors the tree-sitter tree row by row; these tests hold every accessor
// against the tree itself (walked with a cursor) and against hand-checked small cases.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SourceFile } from 'nixguard';
import { createParser, Field, fieldName, Kind, kindName, nativeMirror, treeMirror } from 'nixguard/out/syntax/grammar';
import { DEFAULT_WALKER, NO_NODE, SyntaxTable } from 'nixguard/out/syntax/syntax-table';
import { NIX_SAMPLES } from '../helpers/nix-samples';
import { REPOSITORY_ROOT, repositoryPath } from '../helpers/paths';
import { filesUnder } from '../helpers/files';

interface TreeRow {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly parent: number;
  readonly field: string | null;
  readonly missing: boolean;
}

/** Preorder rows straight from tree-sitter (node tree-sitter's binding), named and anonymous nodes alike. */
function treeRows(source: SourceFile): TreeRow[] {
  const rows: TreeRow[] = [];
  const cursor = createParser().parse(source.parserText).walk();
  const open: number[] = [];
  for (;;) {
    rows.push({
      kind: cursor.nodeType,
      start: cursor.startIndex,
      end: cursor.endIndex,
      parent: open.length > 0 ? open[open.length - 1] : -1,
      field: cursor.currentFieldName ?? null,
      missing: cursor.nodeIsMissing,
    });
    if (cursor.gotoFirstChild()) {
      open.push(rows.length - 1);
      continue;
    }
    for (;;) {
      if (open.length === 0) return rows;
      if (cursor.gotoNextSibling()) break;
      cursor.gotoParent();
      open.pop();
    }
  }
}

function tableRows(table: SyntaxTable): TreeRow[] {
  const rows: TreeRow[] = [];
  for (let row = 0; row < table.size; row++) {
    rows.push({
      kind: kindName(table.kind(row)),
      start: table.start(row),
      end: table.end(row),
      parent: table.parent(row),
      field: fieldName(table.field(row)),
      missing: table.isMissing(row),
    });
  }
  return rows;
}


/** The first row where the two tables differ, described, or undefined when they are equal. */
function firstDifference(a: SyntaxTable, b: SyntaxTable): string | undefined {
  const left = tableRows(a);
  const right = tableRows(b);
  const extra = (table: SyntaxTable, row: number): string => `subtreeEnd=${table.subtreeEnd(row)}`;
  for (let row = 0; row < Math.max(left.length, right.length); row++) {
    const x = left[row] && `${JSON.stringify(left[row])} ${extra(a, row)}`;
    const y = right[row] && `${JSON.stringify(right[row])} ${extra(b, row)}`;
    if (x !== y) return `row ${row}:\n  native: ${x}\n  cursor: ${y}`;
  }
  return undefined;
}

/** The row of the first node of `kind` whose text is `text`. */
function rowOf(table: SyntaxTable, kind: number, text: string): number {
  for (let row = 0; row < table.size; row++) if (table.kind(row) === kind && table.nodeText(row) === text) return row;
  throw new Error(`no ${kindName(kind)} \`${text}\``);
}

describe('SyntaxTable', () => {
  for (const [name, text] of Object.entries({ ...NIX_SAMPLES, 'with errors': '{ a = ; b = [ 1 2; c = "é ${x" }', 'empty': '' })) {
    it(`mirrors every node of the ${name} sample in preorder with kind, extent, parent and field`, () => {
      const source = SourceFile.parse(text);
      assert.deepStrictEqual(tableRows(source.table), treeRows(source));
    });
  }

  it('gives each row the subtree end that makes rows node+1..subtreeEnd-1 its descendants', () => {
    const { table } = SourceFile.parse(NIX_SAMPLES.flake);
    for (let row = 0; row < table.size; row++) {
      const end = table.subtreeEnd(row);
      for (let inner = row + 1; inner < end; inner++) assert.ok(table.isAncestor(row, inner), `${row} is an ancestor of ${inner}`);
      if (end < table.size) assert.ok(!table.isAncestor(row, end), `${row} is not an ancestor of ${end}`);
      assert.ok(!table.isAncestor(row, row), 'a node is not its own ancestor');
    }
  });

  it('navigates children, siblings and fields like the tree', () => {
    const source = SourceFile.parse('{ a = 1; b.c = [ x y ]; inherit (z) d; }');
    const table = source.table;
    const attrset = table.firstChild(table.root);
    assert.strictEqual(table.kind(attrset), Kind.AttrsetExpression);
    const bindingSet = table.childOfKind(attrset, Kind.BindingSet);
    const bindings = table.children(bindingSet);
    assert.deepStrictEqual(bindings.map((b) => table.nodeText(b)), ['a = 1;', 'b.c = [ x y ];', 'inherit (z) d;']);
    assert.deepStrictEqual(bindings.map((b) => table.nextSibling(b)), [bindings[1], bindings[2], NO_NODE]);
    assert.deepStrictEqual(bindings.map((b) => table.parent(b)), [bindingSet, bindingSet, bindingSet]);

    const second = bindings[1];
    assert.strictEqual(table.nodeText(table.childByField(second, Field.Attrpath)), 'b.c');
    assert.strictEqual(table.nodeText(table.childByField(second, Field.Expression)), '[ x y ]');
    assert.strictEqual(table.childByField(second, Field.Body), NO_NODE);
    const list = table.childByField(second, Field.Expression);
    assert.deepStrictEqual(table.childrenByField(list, Field.Element).map((e) => table.nodeText(e)), ['x', 'y']);
    assert.strictEqual(table.field(list), Field.Expression);
    assert.strictEqual(table.field(table.root), 0);
    assert.strictEqual(table.childOfKind(second, Kind.Comment), NO_NODE);

    const y = rowOf(table, Kind.Identifier, 'y');
    assert.strictEqual(table.ancestorOfKind(y, Kind.Binding), second);
    assert.strictEqual(table.ancestorOfKind(y, Kind.LetExpression), NO_NODE);
    assert.strictEqual(table.ancestorOfKind(table.root, Kind.Binding), NO_NODE);
    assert.strictEqual(table.firstChild(y), NO_NODE, 'a token has no children');
    assert.strictEqual(table.nextSibling(table.root), NO_NODE, 'the root has no siblings');
  });

  it('finds the deepest node that contains an offset, where a node does not contain its end offset', () => {
    const text = '{ abc = 1; }';
    const { table } = SourceFile.parse(text);
    assert.strictEqual(table.nodeText(table.nodeAt(text.indexOf('abc'))), 'abc');
    assert.strictEqual(table.nodeText(table.nodeAt(text.indexOf('abc') + 2)), 'abc');
    // The end offset of `abc` is the space before `=`, which belongs to the binding only.
    assert.strictEqual(table.kind(table.nodeAt(text.indexOf('abc') + 3)), Kind.Binding);
    assert.strictEqual(table.nodeText(table.nodeAt(text.indexOf('='))), '=');
    assert.strictEqual(table.nodeAt(text.length), table.root, 'the end of the text is only in the root');
  });

  it('marks MISSING tokens and ERROR nodes, and lists them in document order', () => {
    const { table } = SourceFile.parse('{ a = 1 }');
    const errors = table.errorNodes();
    assert.ok(errors.length > 0, 'a missing `;` is reported');
    for (const row of errors) assert.ok(table.isMissing(row) || table.isError(row));
    assert.deepStrictEqual(errors, [...errors].sort((x, y) => x - y));
    const missing = errors.filter((row) => table.isMissing(row));
    assert.deepStrictEqual(missing.map((row) => [kindName(table.kind(row)), table.start(row), table.end(row)]), [[';', 7, 7]]);

    const broken = SourceFile.parse('{ a = ) ; }').table;
    assert.ok(broken.errorNodes().some((row) => broken.isError(row)), 'an unexpected `)` is an ERROR node');
  });

  it('reads node text, with é, CJK and emoji, from the document text', () => {
    const text = '{ "é日🎉" = "🎉"; }';
    const { table } = SourceFile.parse(text);
    const strings: string[] = [];
    table.forEachRow(0, table.size, (row, kind) => {
      if (kind === Kind.StringExpression) strings.push(table.nodeText(row));
    });
    assert.deepStrictEqual(strings, ['"é日🎉"', '"🎉"']);
  });

  it('builds its rows in C++ (the binding was built against the loaded tree-sitter)', () => {
    assert.strictEqual(DEFAULT_WALKER, 'native', 'the C++ mirror is off: rebuild grammars/tree-sitter-nix (npm ci) after changing tree-sitter');
  });

  it('builds the same rows in C++ as with a TreeCursor for every fixture, broken ones included', () => {
    const files = filesUnder(path.join(REPOSITORY_ROOT, 'fixtures'), (name) => name.endsWith('.nix'));
    assert.ok(files.length > 100, `only ${files.length} fixtures found`);
    const texts = [...files.map((file) => [repositoryPath(file), fs.readFileSync(file, 'utf8')]), ...Object.entries(NIX_SAMPLES)];
    for (const [name, text] of texts) {
      // Also a cut-off copy: unterminated strings and sets give ERROR and MISSING nodes.
      for (const variant of [text, text.slice(0, Math.floor(text.length * 0.6))]) {
        const tree = createParser().parse(SourceFile.parse(variant).parserText);
        // fromTree falls back to the cursor when the C++ walk fails: make sure it did not.
        assert.ok(nativeMirror?.mirrorNode(tree.rootNode), `${name}: the C++ mirror gives up`);
        const difference = firstDifference(SyntaxTable.fromTree(tree, variant, 'native'), SyntaxTable.fromTree(tree, variant, 'cursor'));
        if (difference) assert.fail(`${name} (${variant.length} of ${text.length} chars): ${difference}`);
      }
    }
  });

  it('re-mirrors only the bindings an edit touches in a long set, equal to a fresh mirror', () => {
    const bindings = Array.from({ length: 40 }, (_, i) => `  p${i} = callPackage ./p${i} { flag = "é${i}"; };`);
    const text = `{\n${bindings.join('\n')}\n}\n`;
    const value = text.indexOf('"é20"') + 2;
    const binding = text.indexOf('  p20');
    const changes = [
      { start: value, end: value, text: 'x' },
      { start: value, end: value + 2, text: '' },
      // New bindings among the old ones: a run of siblings is re-mirrored.
      { start: binding, end: binding, text: 'q = 1; ' },
      { start: binding, end: binding, text: '  # note\n  r = [ 1 ];\n' },
      { start: binding + 2, end: binding + 5, text: 'renamed' },
    ];
    // Count the C++ mirrors of sibling runs, to show that path is taken.
    const mirror = treeMirror;
    const mirrorChildren = mirror.mirrorChildren;
    let runs = 0;
    mirror.mirrorChildren = (...args) => {
      const rows = mirrorChildren(...args);
      if (rows) runs++;
      return rows;
    };
    try {
      for (const change of changes) {
        const edited = SourceFile.parse(text).withChanges([change]);
        assert.ok(edited.splice, `${JSON.stringify(change)} is spliced`);
        assert.ok(edited.splice.end - edited.splice.first < 40, `${JSON.stringify(change)} re-mirrors ${edited.splice.end - edited.splice.first} rows`);
        const difference = firstDifference(edited.table, SourceFile.parse(edited.text).table);
        if (difference) assert.fail(`${JSON.stringify(change)}: ${difference}`);
      }
    } finally {
      mirror.mirrorChildren = mirrorChildren;
    }
    assert.ok(runs >= 2, `only ${runs} runs of siblings were mirrored`);
  });

  it('visits rows in [from, to) in order with their kinds', () => {
    const { table } = SourceFile.parse('[ 1 2 ]');
    const visited: [number, number][] = [];
    table.forEachRow(1, 4, (row, kind) => visited.push([row, kind]));
    assert.deepStrictEqual(visited, [1, 2, 3].map((row) => [row, table.kind(row)]));
  });
});
