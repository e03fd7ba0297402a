// The grammar object that `Parser.setLanguage` accepts, plus typed node kinds and field names.
import type { NodeKind, FieldName } from './node-kinds';
export { NodeKind, FieldName } from './node-kinds';

export interface SymbolInfo {
  readonly name: string;
  readonly named: boolean;
}
export declare const language: unknown;
export declare const name: 'nix';
export declare const nodeTypeInfo: unknown[];
/** Indexed by symbol id (`TreeCursor.nodeTypeId`); null for hidden symbols. */
export declare const symbols: ReadonlyArray<SymbolInfo | null>;
/** Symbol ids below this are terminals (tokens), which never have children. */
export declare const tokenCount: number;
/** Indexed by field id (`TreeCursor.currentFieldId`); index 0 is "no field". */
export declare const fields: ReadonlyArray<FieldName | null>;
