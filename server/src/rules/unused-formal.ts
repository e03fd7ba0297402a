// unused-formal: a formal argument (`{ a, b }: …`) that the function never reads.
//   { lib, pkgs, ... }: pkgs.hello    →  { pkgs, ... }: pkgs.hello
// Dead code, as deadnix reports it. A formal read only by another formal's default
// (`{ a, b ? a }: b`) counts as used, one read only by its own default does not.
//
// Judgement calls:
// - A file whose top-level function has formals and `...` is a NixOS module or a callPackage-style
//   file: its caller passes a whole set, and `{ config, lib, pkgs, ... }:` is boilerplate nobody
//   trims. Its unused formals are reported as hints (shown faded, not listed as warnings).
// - When the function's `@` name is used (`{ a, ... }@args: f args`), the formals say which
//   arguments the caller must pass (callPackage reads them with `builtins.functionArgs`), so none
//   is reported.
// - The fix is safe only with `...`: without it, removing a formal makes Nix reject callers that
//   still pass it ("called with unexpected argument"), so it is offered but not applied by --fix.
// Names starting with `_` are skipped.
import { removeFormal } from '../analysis/removal-edits';
import type { Definition } from '../analysis/scopes';
import { isReportablyUnused, isUsed } from '../analysis/unused-definitions';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'unused-formal',
  meta: {
    severity: 'warning',
    category: 'dead-code',
    description: 'Formal function argument that is never used',
    fixable: true,
    messages: { unused: 'Unused formal argument `{{name}}`' },
  },
  check(context) {
    const file = context.file;
    return {
      file() {
        const table = file.table;
        // A use may hide in a syntax error the parser could not read: there, fixes wait for a request.
        const safe = !file.source.hasSyntaxErrors;
        const scopes = file.scopes;
        const topLevel = table.childByField(table.root, Field.Expression);
        const functions = new Map<NodeId, { hasEllipsis: boolean; atNameUsed: boolean }>();
        const describe = (fn: NodeId): { hasEllipsis: boolean; atNameUsed: boolean } => {
          let info = functions.get(fn);
          if (!info) {
            const formals = table.childByField(fn, Field.Formals);
            const universal = table.childByField(fn, Field.Universal);
            const atName: Definition | undefined = universal === NO_NODE ? undefined : scopes.definitionAt(universal);
            info = {
              hasEllipsis: formals !== NO_NODE && table.childOfKind(formals, Kind.Ellipses) !== NO_NODE,
              atNameUsed: atName !== undefined && isUsed(table, atName),
            };
            functions.set(fn, info);
          }
          return info;
        };
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const definitions = scopes.definitions;
        for (let index = 0; index < definitions.length; index++) {
          const definition = definitions[index];
          if (definition.kind !== 'formal' || !isReportablyUnused(table, definition)) continue;
          const fn = definition.scope;
          const { hasEllipsis, atNameUsed } = describe(fn);
          if (atNameUsed) continue;
          const formal = table.parent(definition.node);
          const edits = definition.otherNodes.length === 0 ? removeFormal(file.text, table, formal) : undefined;
          const name = definition.name;
          context.report({
            node: definition.node,
            messageId: 'unused',
            data: { name },
            tags: ['unnecessary'],
            severity: fn === topLevel && hasEllipsis ? 'hint' : undefined,
            fixes: edits ? [{ title: `Remove the unused formal \`${name}\``, edits, safe: safe && hasEllipsis }] : undefined,
          });
        }
      },
    };
  },
});
