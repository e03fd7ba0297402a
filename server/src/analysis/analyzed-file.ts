// Everything rules and features know about one file: its syntax (text, tree mirror) plus the
// analyses computed from it. Each analysis is computed lazily, once per version; when a version
// was derived incrementally from the previous one, analyses that support it are updated in place
// instead of rebuilt.
import type { SourceFile } from '../syntax/source-file';
import type { SyntaxTable } from '../syntax/syntax-table';
import { ModuleModel } from './module-model';
import { ScopeModel } from './scopes';
import { findSuppressions, Suppressions } from './suppressions';

export class AnalyzedFile {
  private suppressionsCache: Suppressions | undefined;
  private scopeCache: ScopeModel | undefined;
  private moduleCache: ModuleModel | undefined;
  /** The previous version's module model, to reuse when the edit cannot change it (consumed once). */
  private previousModules: ModuleModel | undefined;
  /** The previous version's scope model, to update rather than rebuild (consumed once). */
  private previousScopes: ScopeModel | undefined;

  constructor(
    readonly source: SourceFile,
    /** Workspace-relative or absolute path, for rules that care about file names (flake.nix). */
    readonly path: string | undefined,
    /** The analysis of the version `source` was derived from, if any; it must not be used after. */
    previous?: AnalyzedFile,
  ) {
    if (previous && source.splice && previous.source.id === source.derivedFrom) {
      this.previousScopes = previous.scopeCache;
      this.previousModules = previous.moduleCache;
    }
  }

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

  /** The NixOS option definitions the file makes (see module-model.ts); rebuilt per version. */
  get modules(): ModuleModel {
    if (!this.moduleCache) {
      const previous = this.previousModules;
      this.previousModules = undefined;
      const reused = previous && this.source.splice ? ModuleModel.reuseAfterEdit(previous, this.source.table, this.source.splice) : undefined;
      this.moduleCache = reused ?? ModuleModel.build(this.source.table);
    }
    return this.moduleCache;
  }

  get scopes(): ScopeModel {
    if (!this.scopeCache) {
      const previous = this.previousScopes;
      this.previousScopes = undefined;
      if (previous && this.source.splice) {
        previous.update(this.source.table, this.source.splice);
        this.scopeCache = previous;
      } else {
        this.scopeCache = ScopeModel.build(this.source.table);
      }
    }
    return this.scopeCache;
  }
}
