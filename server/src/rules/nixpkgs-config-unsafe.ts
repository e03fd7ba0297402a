// nixpkgs-config-unsafe: nixpkgs told to accept packages it would refuse.
//   nixpkgs.config.permittedInsecurePackages = [ "openssl-1.1.1w" ];   (warning)
//   nixpkgs.config.allowInsecurePredicate = _: true;                   (warning)
//   nixpkgs.config.allowBroken = true;  allowUnsupportedSystem = true; (info)
// nixpkgs refuses packages with known vulnerabilities (`meta.knownVulnerabilities`) unless told
// otherwise; these settings deploy them anyway, or hide breakage for the whole package set.
import { priorityNote, readLiteral, readStringElements, severityIn, unwrapParens } from '../analysis/module-model';
import type { OptionDefinition } from '../analysis/module-model';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import type { SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'nixpkgs-config-unsafe',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'nixpkgs is configured to accept insecure or broken packages',
    fixable: false,
    messages: {
      insecure: '`{{entry}}` is allowed despite known vulnerabilities: review it, set a removal date{{note}}',
      predicate: '`allowInsecurePredicate` accepts every insecure package{{note}}',
      globalFlag: '`{{option}} = true` applies to every package; prefer allowing single packages{{note}}',
    },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        const model = context.file.modules;
        for (const definition of model.get(['nixpkgs', 'config', 'permittedInsecurePackages'])) {
          for (const entry of readStringElements(table, definition.value)) {
            context.report({ severity: severityIn(definition), node: entry.node, messageId: 'insecure', data: { entry: entry.value, note: priorityNote(definition) } });
          }
        }
        for (const definition of model.get(['nixpkgs', 'config', 'allowInsecurePredicate'])) {
          if (alwaysTrue(table, definition)) context.report({ severity: severityIn(definition), node: definition.value, messageId: 'predicate', data: { note: priorityNote(definition) } });
        }
        for (const option of ['allowBroken', 'allowUnsupportedSystem']) {
          for (const definition of model.get(['nixpkgs', 'config', option])) {
            const value = readLiteral(table, definition.value);
            if (value.kind === 'bool' && value.value) {
              context.report({ node: definition.value, messageId: 'globalFlag', data: { option, note: priorityNote(definition) }, severity: severityIn(definition, 'info') });
            }
          }
        }
      },
    };
  },
});

/** `_: true`, `pkg: true`, `(_: true)`: a predicate that ignores its argument. */
function alwaysTrue(table: SyntaxTable, definition: OptionDefinition): boolean {
  const node = unwrapParens(table, definition.value);
  if (node === NO_NODE || table.kind(node) !== Kind.FunctionExpression) return false;
  const body = readLiteral(table, table.childByField(node, Field.Body));
  return body.kind === 'bool' && body.value;
}
