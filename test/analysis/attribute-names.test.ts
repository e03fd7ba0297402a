// Static attribute names as Nix's parser decides them (analysis/attribute-names.ts).
import * as assert from 'assert';
import { SourceFile } from 'nixguard';
import { isDynamicAttribute, staticAttributeName } from 'nixguard/out/analysis/attribute-names';
import { Field, Kind } from 'nixguard/out/syntax/grammar';

/** Name and dynamic-ness of the first attribute of the first binding in `{ <key> = 1; }`. */
function keyOf(key: string): { name: string | undefined; dynamic: boolean } {
  const table = SourceFile.parse(`{ ${key} = 1; }`).table;
  for (let row = 0; row < table.size; row++) {
    if (table.kind(row) !== Kind.Attrpath) continue;
    const attr = table.childByField(row, Field.Attr);
    return { name: staticAttributeName(table, attr), dynamic: isDynamicAttribute(table, attr) };
  }
  throw new Error(`no attrpath in ${key}`);
}

describe('staticAttributeName', () => {
  it('reads identifiers and plain strings, decoding escapes', () => {
    assert.deepStrictEqual(keyOf('a'), { name: 'a', dynamic: false });
    assert.deepStrictEqual(keyOf('"a b"'), { name: 'a b', dynamic: false });
    assert.deepStrictEqual(keyOf('"a\\nb\\q\\$"'), { name: 'a\nbq$', dynamic: false });
    assert.deepStrictEqual(keyOf('"$$x"'), { name: '$$x', dynamic: false });
  });

  it('folds `${…}` around a plain string, as Nix does', () => {
    assert.deepStrictEqual(keyOf('${"a"}'), { name: 'a', dynamic: false });
    assert.deepStrictEqual(keyOf('${("a")}'), { name: 'a', dynamic: false });
    assert.deepStrictEqual(keyOf("${'' a''}"), { name: 'a', dynamic: false });
    assert.deepStrictEqual(keyOf("${''c''$''}"), { name: 'c$', dynamic: false });
  });

  it('gives no name for dynamic keys', () => {
    assert.deepStrictEqual(keyOf('${x}'), { name: undefined, dynamic: true });
    assert.deepStrictEqual(keyOf('"${x}"'), { name: undefined, dynamic: true });
    assert.deepStrictEqual(keyOf('"a${"b"}"'), { name: undefined, dynamic: true });
    assert.deepStrictEqual(keyOf('${"a" + "b"}'), { name: undefined, dynamic: true });
  });

  it('leaves multi-line indented strings unnamed but static', () => {
    assert.deepStrictEqual(keyOf("${''\n  x\n''}"), { name: undefined, dynamic: false });
  });
});
