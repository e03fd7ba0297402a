// deprecated-is-null: `isNull x`, deprecated in favour of a comparison.
//   if isNull x then a else b   →   if x == null then a else b
// `isNull x` is true exactly when `x == null` is, and both force `x`, so the rewrite is exact.
// Parentheses are added where a comparison cannot stand bare (`f (isNull x)` keeps them,
// `isNull x || y` needs none).
import { needsParentheses, Precedence } from '../analysis/precedence';
import { abbreviate, containsComment, fixOf, nodeSpells, replaceSpan } from '../analysis/text-edits';
import { selectOnVariable } from '../analysis/lexical-names';
import type { Reference } from '../analysis/scopes';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/**
 * The expression applied when `reference` is Nix's own `isNull`: the variable `isNull` or
 * `__isNull`, or the select `builtins.isNull`; NO_NODE for anything else (a local `isNull`).
 */
function builtinIsNull(table: SyntaxTable, reference: Reference): NodeId {
  if (reference.resolution.kind !== 'builtin') return NO_NODE;
  if (reference.name === 'isNull' || reference.name === '__isNull') return table.parent(reference.node);
  if (reference.name !== 'builtins') return NO_NODE;
  const select = selectOnVariable(table, reference.node);
  if (select === NO_NODE || table.childByField(select, Field.Default) !== NO_NODE) return NO_NODE;
  const attrpath = table.childByField(select, Field.Attrpath);
  const attr = attrpath === NO_NODE ? NO_NODE : table.firstChild(attrpath);
  return attr !== NO_NODE && table.nextSibling(attr) === NO_NODE && nodeSpells(table, attr, 'isNull') ? select : NO_NODE;
}

export default defineRule({
  id: 'deprecated-is-null',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Use of the deprecated `isNull` instead of `== null`',
    fixable: true,
    messages: { deprecated: '`isNull` is deprecated: compare with `null` instead' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      // A file hook over the scope model's references: whether `isNull` is Nix's depends on
      // bindings anywhere above it, which a node visitor may not read.
      file() {
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const references = context.file.scopes.references;
        for (let index = 0; index < references.length; index++) {
          const reference = references[index];
          const applied = builtinIsNull(table, reference);
          const node = applied === NO_NODE ? NO_NODE : table.parent(applied);
          if (node === NO_NODE || table.kind(node) !== Kind.ApplyExpression || table.firstChild(node) !== applied) continue;
          report(node, applied);
        }
      },
    };

    function report(node: NodeId, applied: NodeId): void {
      const argument = table.childByField(node, Field.Argument);
      if (argument === NO_NODE || table.isMissing(argument)) return;
      const comparison = `${table.nodeText(argument)} == null`;
      const replacement = needsParentheses(table, node, Precedence.Equality) ? `(${comparison})` : comparison;
      context.report({
        node: applied,
        messageId: 'deprecated',
        tags: ['deprecated'],
        fixes: containsComment(table, node)
          ? undefined
          : fixOf(`Replace with \`${abbreviate(replacement)}\``, [replaceSpan(text, table.start(node), table.end(node), replacement)]),
      });
    }
  },
});
