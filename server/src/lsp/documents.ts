// The open documents. Each keeps its text and, unless it is skipped (too large, binary), a SourceFile
// updated incrementally from every `didChange` content change (SourceFile.withChanges: tree.edit
// plus a reparse that reuses the old tree), and the runner's state from the last check so that
// the next check reuses the findings of every subtree the edit did not touch.
//
// Trees are kept only for the documents being worked on: a tree serves the next incremental
// reparse and nothing else (analysis reads the SyntaxTable), and it is by far the largest thing a
// document holds (about 25 bytes per character: 60 MB for a 2.4 MB all-packages.nix). The
// DocumentStore frees the trees of documents that were not opened or edited recently; their
// next edit parses afresh (a few ms for a module, ~0.2 s for all-packages.nix), once.
//
// Changes are queued and applied on the next read (`current()`): the queue is normally one change
// long and flushed at once, but for a very large file the server lets a burst of queued changes
// pile up and then applies them in one reparse (see DiagnosticsPublisher.schedule).
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { fileURLToPath } from 'url';
import { AnalyzedFile } from '../analysis/analyzed-file';
import { checkFile } from '../features/check';
import type { RunResult, RunState } from '../rules/runner';
import type { SeveritySetting } from '../rules/types';
import { LineIndex } from '../syntax/line-index';
import { applyTextChange, SourceFile, TextChange } from '../syntax/source-file';
import type { SyntaxTree } from '../syntax/syntax-tree';
import { toTextChange } from './convert';
import { errorText } from './guard';

/**
 * Documents longer than this (UTF-16 code units) are not parsed: parsing and checking a 10 MB
 * file took 25 s and 1.7 GB here, so such a file gets one information
 * diagnostic instead. nixpkgs' largest file, all-packages.nix, is about 1.5 MB.
 */
export const MAX_ANALYZED_LENGTH = 4 * 1024 * 1024;

/** Which documents keep their trees (see the header comment). */
export interface TreeLimits {
  /** At most this many documents keep their trees: the most recently opened or edited ones. */
  readonly maxDocuments: number;
  /**
   * Beyond the most recent document, trees are kept only while the documents holding them
   * total at most this many characters (a 4 M-character text has a tree of about 100 MB).
   */
  readonly textBudget: number;
}

export const DEFAULT_TREE_LIMITS: TreeLimits = { maxDocuments: 8, textBudget: 4 * 1024 * 1024 };

/** Above this length a burst of changes is applied in one reparse (see DiagnosticsPublisher.schedule). */
export const COALESCE_LENGTH = 256 * 1024;

/** What a check needs besides the text; `key` identifies it for the result cache. */
export interface CheckSettings {
  readonly severities: ReadonlyMap<string, SeveritySetting>;
  readonly key: string;
}

export type Analysis =
  | {
      readonly kind: 'analyzed';
      readonly file: AnalyzedFile;
      readonly result: RunResult;
      /** False when the result came from the cache (same version and settings as last time). */
      readonly fresh: boolean;
    }
  | { readonly kind: 'skipped'; readonly reason: SkipReason; readonly length: number };

/**
 * Why a document is not analysed. `binary`: it contains NUL characters, which Nix source never
 * does; such files (opened by accident) parse slowly into a wall of syntax errors.
 */
export type SkipReason = 'too-large' | 'binary';

export class OpenDocument {
  private source: SourceFile | undefined;
  private analyzedFile: AnalyzedFile | undefined;
  /** The analysis of the version before the current one, whose scope model the next one updates. */
  private previousAnalyzedFile: AnalyzedFile | undefined;
  private text: string;
  private pending: TextChange[] = [];
  /**
   * The text after the pending changes. Built only when a second change needs its coordinates
   * (or when there is no SourceFile to apply them): in the usual one-change case
   * SourceFile.withChanges builds the new text, and building it here too would double the cost.
   */
  private pendingText: string | undefined;
  private pendingLength: number;
  /** Line index of `text` when there is no SourceFile to hold one (skipped documents). */
  private plainLineIndex: LineIndex | undefined;
  private containsNul: boolean;
  private runState: RunState | undefined;
  private lastResult: { sourceId: number; key: string; result: RunResult } | undefined;
  /** File system path for file: URIs, for `.nixguard.json` lookup and file-name-aware rules. */
  readonly path: string | undefined;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
    private readonly log: (message: string) => void,
    /** Told of every change, so the store knows which documents are being edited. */
    private readonly onChange: (document: OpenDocument) => void = () => undefined,
  ) {
    this.text = text;
    this.pendingLength = text.length;
    this.path = filePathOf(uri);
    this.containsNul = text.includes('\0');
    if (this.skipReason() === undefined) this.source = SourceFile.parse(text);
  }

  /** Length of the text including queued changes. */
  get length(): number {
    return this.pendingLength;
  }

  /** Queues `changes` (each in the coordinates of the text left by the previous one). */
  change(version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    for (const change of changes) {
      const offsetChange = toTextChange(this.lineIndexAfterPending(), this.pendingLength, change);
      if (this.pendingText !== undefined) this.pendingText = applyTextChange(this.pendingText, offsetChange);
      this.pending.push(offsetChange);
      this.pendingLength += offsetChange.text.length - (offsetChange.end - offsetChange.start);
    }
    this.version = version;
    this.onChange(this);
  }

  /** Whether the current version holds a tree for the next incremental reparse. */
  get holdsTree(): boolean {
    return this.source?.syntaxTree !== undefined;
  }

  /** Frees the tree (the text, table and analyses stay); the next edit parses afresh. */
  releaseTree(): void {
    this.source?.releaseTree();
  }

  private textAfterPending(): string {
    if (this.pending.length === 0) return this.text;
    this.pendingText ??= this.pending.reduce(applyTextChange, this.text);
    return this.pendingText;
  }

  /** The line index of the text after the pending changes: the SourceFile's when none are pending. */
  private lineIndexAfterPending(): LineIndex {
    if (this.pending.length > 0) return new LineIndex(this.textAfterPending());
    if (this.source) return this.source.lineIndex;
    this.plainLineIndex ??= new LineIndex(this.text);
    return this.plainLineIndex;
  }

  /** Applies queued changes and returns the current text and, when analysable, its SourceFile. */
  current(): { text: string; source: SourceFile | undefined } {
    if (this.pending.length > 0) {
      // No NUL before and none inserted means none after: the full scan runs only for binary text.
      this.containsNul = this.containsNul ? this.textAfterPending().includes('\0') : this.pending.some((change) => change.text.includes('\0'));
      if (this.skipReason() !== undefined) {
        this.text = this.textAfterPending();
        this.source?.releaseTree();
        this.source = undefined;
      } else if (this.source) {
        this.source = this.applyIncrementally(this.source);
        this.text = this.source.text;
      } else {
        this.text = this.textAfterPending();
        this.source = SourceFile.parse(this.text);
      }
      this.pending = [];
      this.pendingText = undefined;
      this.plainLineIndex = undefined;
      this.previousAnalyzedFile = this.analyzedFile;
      this.analyzedFile = undefined;
    }
    return { text: this.text, source: this.source };
  }

  /** The pending changes applied to `source`; a fresh parse if the incremental update fails. */
  private applyIncrementally(source: SourceFile): SourceFile {
    try {
      return source.withChanges(this.pending, deleteLater);
    } catch (error) {
      this.log(`incremental update of ${this.uri} failed, parsing it afresh: ${errorText(error)}`);
      this.runState = undefined;
      return SourceFile.parse(this.textAfterPending());
    }
  }

  /** Why the text after the pending changes is not analysed, if it is not. */
  private skipReason(): SkipReason | undefined {
    if (this.pendingLength > MAX_ANALYZED_LENGTH) return 'too-large';
    if (this.containsNul) return 'binary';
    return undefined;
  }

  /** The analysis of the current version (without running the rules), unless the document is skipped. */
  file(): AnalyzedFile | undefined {
    const { source } = this.current();
    if (!source) return undefined;
    if (!this.analyzedFile || this.analyzedFile.source !== source) {
      this.analyzedFile = new AnalyzedFile(source, this.path, this.previousAnalyzedFile);
      this.previousAnalyzedFile = undefined;
    }
    return this.analyzedFile;
  }

  /** The findings of the current version, computed at most once per version and settings. */
  analyze(settings: CheckSettings): Analysis {
    const file = this.file();
    if (!file) return { kind: 'skipped', reason: this.skipReason() ?? 'too-large', length: this.current().text.length };
    const source = file.source;
    if (this.lastResult && this.lastResult.sourceId === source.id && this.lastResult.key === settings.key) {
      return { kind: 'analyzed', file, result: this.lastResult.result, fresh: false };
    }
    const result = checkFile(file, { severities: settings.severities, previous: this.runState, path: this.path });
    this.runState = result.state;
    this.lastResult = { sourceId: source.id, key: settings.key, result };
    return { kind: 'analyzed', file, result, fresh: true };
  }
}

/** Deletes an old tree once the current event has been handled (after the diagnostics went out). */
function deleteLater(tree: SyntaxTree): void {
  setImmediate(() => tree.delete());
}

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class DocumentStore {
  private readonly documents = new Map<string, OpenDocument>();
  /** Documents that may hold a tree, least recently opened or edited first. */
  private readonly recent: OpenDocument[] = [];

  constructor(
    private readonly log: (message: string) => void,
    private readonly treeLimits: TreeLimits = DEFAULT_TREE_LIMITS,
  ) {}

  open(uri: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const document = new OpenDocument(uri, version, text, this.log, (changed) => this.touch(changed));
    this.documents.set(uri, document);
    this.touch(document);
    return document;
  }

  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  close(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    this.documents.delete(uri);
    this.forget(document);
    document.releaseTree();
  }

  /** Moves `document` to the most recent end and frees the trees that no longer fit. */
  private touch(document: OpenDocument): void {
    if (this.recent[this.recent.length - 1] === document) return;
    this.forget(document);
    this.recent.push(document);
    let total = this.recent.reduce((sum, held) => sum + held.length, 0);
    const { maxDocuments, textBudget } = this.treeLimits;
    while (this.recent.length > maxDocuments || (this.recent.length > 1 && total > textBudget)) {
      const evicted = this.recent.shift() as OpenDocument;
      total -= evicted.length;
      evicted.releaseTree();
    }
  }

  private forget(document: OpenDocument): void {
    const index = this.recent.indexOf(document);
    if (index >= 0) this.recent.splice(index, 1);
  }

  all(): OpenDocument[] {
    return [...this.documents.values()];
  }
}
