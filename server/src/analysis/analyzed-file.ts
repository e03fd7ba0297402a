// Everything rules and features know about one file: its syntax (text, tree mirror) plus the
// analyses computed from it. Each analysis is computed lazily, once per version.
import type { SourceFile } from '../syntax/source-file';
import type { SyntaxTable } from '../syntax/syntax-table';
import { findSuppressions, Suppressions } from './suppressions';

export class AnalyzedFile {
  private suppressionsCache: Suppressions | undefined;

  constructor(
    readonly source: SourceFile,
    /** Workspace-relative or absolute path, for rules that care about file names (flake.nix). */
    readonly path: string | undefined,
  ) {}

  get text(): string {
    return this.source.text;
  }

  get table(): SyntaxTable {
    return this.source.table;
  }

  get suppressions(): Suppressions {
    this.suppressionsCache ??= findSuppressions(this.source.table);
    return this.suppressionsCache;
  }
}
