// Diagnostics for open documents, pushed (`textDocument/publishDiagnostics`) or pulled
// (`textDocument/diagnostic`): never both for one client (see capabilities.ts).
import type { CancellationToken, Connection, Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver';
import { DocumentDiagnosticReportKind } from 'vscode-languageserver';
import type { ConfigManager } from './config';
import { plainDiagnostic, toDiagnostics } from './convert';
import { COALESCE_LENGTH, DocumentStore, MAX_ANALYZED_LENGTH, OpenDocument, SkipReason } from './documents';
import { errorText, throwIfCancelled } from './guard';

export const SKIPPED_CODE = 'file-skipped';

export interface DocumentDiagnostics {
  readonly diagnostics: Diagnostic[];
  readonly version: number;
  /** Same id, same diagnostics: identifies the version and the settings they were computed with. */
  readonly resultId: string;
}

/** Distinguishes result ids of this server process from those of an earlier one. */
const SESSION = Date.now().toString(36);

export async function computeDiagnostics(connection: Connection, config: ConfigManager, document: OpenDocument, token?: CancellationToken): Promise<DocumentDiagnostics> {
  const settings = await config.settingsFor(document.uri, document.path);
  throwIfCancelled(token);
  if (settings.excluded) return { diagnostics: [], version: document.version, resultId: `${SESSION}:${document.version}:excluded` };
  const analysis = document.analyze(settings);
  const resultId = `${SESSION}:${document.version}:${settings.key}`;
  if (analysis.kind === 'skipped') {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { diagnostics: [plainDiagnostic(range, 'info', SKIPPED_CODE, skipMessage(analysis.reason, analysis.length))], version: document.version, resultId };
  }
  if (analysis.fresh) {
    for (const failure of analysis.result.failures) connection.console.error(`rule ${failure.ruleId} failed on ${document.uri}: ${failure.message}`);
  }
  const diagnostics = toDiagnostics(analysis.result.findings, analysis.file.source.lineIndex, document.uri);
  return { diagnostics, version: document.version, resultId };
}

function skipMessage(reason: SkipReason, length: number): string {
  if (reason === 'binary') return 'nixguard skips this file: it contains NUL characters, so it is not Nix source';
  const megabytes = (length / (1024 * 1024)).toFixed(1);
  return `nixguard skips files larger than ${MAX_ANALYZED_LENGTH / (1024 * 1024)} MB; this one is ${megabytes} MB`;
}

export async function pullDiagnostics(
  connection: Connection,
  config: ConfigManager,
  document: OpenDocument | undefined,
  previousResultId: string | undefined,
  token: CancellationToken,
): Promise<DocumentDiagnosticReport> {
  if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const { diagnostics, resultId } = await computeDiagnostics(connection, config, document, token);
  if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnostics };
}

/** Pushes diagnostics after opens, changes and configuration changes. */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Result id last published per URI, so that a burst of requests publishes each result once. */
  private readonly published = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly config: ConfigManager,
    private readonly documents: DocumentStore,
  ) {}

  /**
   * Small documents are checked at once, on every change: checking takes a millisecond or two,
   * and a debounce would only add latency. A change to a very large document costs a reparse of
   * tens of milliseconds, and while one runs the client's next keystrokes queue up; checking each
   * of them would fall further and further behind. So for those documents the check waits for a
   * 0 ms timer, which fires only after the changes already queued have been applied (one
   * message is dispatched per event-loop turn, timers run once a millisecond has passed), and then
   * checks the latest version once, in one reparse. It never publishes a stale version.
   */
  schedule(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    if (document.length <= COALESCE_LENGTH) {
      void this.publish(uri);
      return;
    }
    if (this.timers.has(uri)) return;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.publish(uri);
      }, 0),
    );
  }

  scheduleAll(): void {
    for (const document of this.documents.all()) this.schedule(document.uri);
  }

  /** Clears the diagnostics of a closed document. */
  clear(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async publish(uri: string): Promise<void> {
    try {
      const document = this.documents.get(uri);
      if (!document) return;
      const { diagnostics, version, resultId } = await computeDiagnostics(this.connection, this.config, document);
      // The document may have been closed (or reopened) while its settings were fetched.
      if (this.documents.get(uri) !== document || this.published.get(uri) === resultId) return;
      this.published.set(uri, resultId);
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (error) {
      this.connection.console.error(`publishing diagnostics for ${uri} failed: ${errorText(error)}`);
    }
  }
}
