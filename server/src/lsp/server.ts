// `nixguard lsp`: the language server. This file creates the connection, wires process-level
// safety nets, and registers every handler in one block. Handlers stay thin: look up the
// document, call one function, convert; every one of them runs inside `guard` (log, answer
// null/[]), and the heavy ones honour cancellation.
import { inspect } from 'util';
import {
  Connection,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  InitializeParams,
  InitializeResult,
  StreamMessageReader,
} from 'vscode-languageserver/node';
import { CONFIG_FILE_NAME } from '../features/configuration';
import { codeActions, resolveFixAll } from './actions';
import { ClientFeatures, clientFeatures, serverCapabilities } from './capabilities';
import { ConfigManager, SETTINGS_SECTION } from './config';
import { usePositionEncoding } from './convert';
import { DiagnosticsPublisher, pullDiagnostics } from './diagnostics';
import { DocumentStore } from './documents';
import { FrameSanitizer, SingleWriteMessageWriter } from './framing';
import { errorText, guard, guardNotification, yieldToEventLoop } from './guard';
import { completion, hover } from './hover-completion';
import { inlayHints } from './inlay-hints';
import * as navigation from './navigation';
import { NixBuiltinDocs } from './nix-builtin-docs';
import * as semanticTokens from './semantic-tokens';

const SERVER_NAME = 'nixguard';
const SERVER_VERSION: string = (require('../../package.json') as { version: string }).version;

/** Transports other than stdio, which vscode-languageserver sets up itself from the arguments. */
const LIBRARY_TRANSPORTS = ['--node-ipc', '--socket', '--pipe'];

/**
 * stdio (the default, with or without `--stdio`) goes through FrameSanitizer so that broken
 * framing cannot wedge the server; `--node-ipc`, `--socket=PORT` and `--pipe=NAME` are handled by
 * vscode-languageserver's own argument parsing.
 */
function createTransportConnection(onInputEnd: () => void): { connection: Connection; stdio: boolean } {
  const args = process.argv.slice(2);
  if (args.some((arg) => LIBRARY_TRANSPORTS.includes(arg.split('=')[0]))) return { connection: createConnection(), stdio: false };
  let log: (message: string) => void = (message) => process.stderr.write(`nixguard: ${message}\n`);
  const input = new FrameSanitizer((problem) => log(`malformed input: ${problem}`));
  process.stdin.pipe(input);
  input.on('end', onInputEnd);
  const connection = createConnection(new StreamMessageReader(input), new SingleWriteMessageWriter(process.stdout));
  log = (message) => connection.console.warn(message);
  return { connection, stdio: true };
}

/** stdout carries the protocol: anything printed with console.* goes to the client's log instead. */
function redirectConsole(connection: Connection): void {
  const format = (args: unknown[]): string => args.map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? errorText(arg) : inspect(arg))).join(' ');
  console.log = (...args: unknown[]) => connection.console.log(format(args));
  console.info = (...args: unknown[]) => connection.console.info(format(args));
  console.debug = (...args: unknown[]) => connection.console.log(format(args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(args));
  console.error = (...args: unknown[]) => connection.console.error(format(args));
}

/** What lives for the whole session, created on `initialize`. */
interface Session {
  readonly features: ClientFeatures;
  readonly config: ConfigManager;
  readonly publisher: DiagnosticsPublisher;
}

export function startServer(): void {
  let shutdownRequested = false;
  // The client closed our input: nothing more will come, so end as `exit` would.
  const { connection, stdio } = createTransportConnection(() => process.exit(shutdownRequested ? 0 : 1));
  const documents = new DocumentStore((message) => connection.console.error(message));
  // Nix's builtin docs for hover: read from `nix` once, on the first hover or completion.
  const builtinDocs = new NixBuiltinDocs((message) => connection.console.info(message));
  const outlineNotices = new navigation.OutlineNotices((message) => connection.console.info(message));
  let session: Session | undefined;
  if (stdio) redirectConsole(connection);
  process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${errorText(error)}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${errorText(reason)}`));
  // A client that vanished leaves stdout broken: nothing more can be said, so leave quietly.
  process.stdout.on('error', () => process.exit(shutdownRequested ? 0 : 1));
  const push = (): boolean => session !== undefined && !session.features.pullDiagnostics && !shutdownRequested;

  function initialize(params: InitializeParams): InitializeResult {
    const features = clientFeatures(params.capabilities);
    usePositionEncoding(features.positionEncoding);
    const options: unknown = params.initializationOptions;
    const initialSettings = typeof options === 'object' && options !== null && SETTINGS_SECTION in options ? (options as Record<string, unknown>)[SETTINGS_SECTION] : options;
    const config = new ConfigManager(connection, { pullSettings: features.pullSettings, initialSettings });
    session = { features, config, publisher: new DiagnosticsPublisher(connection, config, documents) };
    return { capabilities: serverCapabilities(features), serverInfo: { name: SERVER_NAME, version: SERVER_VERSION } };
  }

  function initialized(): void {
    if (!session) return;
    const { features } = session;
    connection.console.info(`${SERVER_NAME} ${SERVER_VERSION} ready (node ${process.version}, pid ${process.pid}, ${features.pullDiagnostics ? 'pull' : 'push'} diagnostics, ${features.positionEncoding} positions)`);
    if (features.registerConfigurationChange) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    if (features.registerWatchedFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] }).catch(() => undefined);
  }

  /** Settings or a `.nixguard.json` changed: every open document's diagnostics may change. */
  function configurationChanged(): void {
    if (!session) return;
    if (push()) session.publisher.scheduleAll();
    else if (session.features.diagnosticRefresh) connection.languages.diagnostics.refresh();
  }

  // ---- handlers ----
  connection.onInitialize((params) => initialize(params));
  connection.onInitialized(() => guardNotification(connection, 'initialized', initialized));
  connection.onShutdown(() => {
    shutdownRequested = true;
    session?.publisher.dispose();
  });

  connection.onDidOpenTextDocument(({ textDocument }) =>
    guardNotification(connection, 'didOpen', () => {
      documents.open(textDocument.uri, textDocument.version, textDocument.text);
      if (push()) session?.publisher.schedule(textDocument.uri);
    }),
  );
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) =>
    guardNotification(connection, 'didChange', () => {
      const document = documents.get(textDocument.uri);
      if (!document) return connection.console.warn(`didChange for ${textDocument.uri}, which is not open: ignored`);
      document.change(textDocument.version ?? document.version + 1, contentChanges);
      if (push()) session?.publisher.schedule(textDocument.uri);
    }),
  );
  connection.onDidCloseTextDocument(({ textDocument }) =>
    guardNotification(connection, 'didClose', () => {
      documents.close(textDocument.uri);
      session?.config.forget(textDocument.uri);
      if (push()) session?.publisher.clear(textDocument.uri);
    }),
  );
  connection.onDidChangeConfiguration(({ settings }) =>
    guardNotification(connection, 'didChangeConfiguration', () => {
      session?.config.changeConfiguration(settings);
      configurationChanged();
    }),
  );
  connection.onDidChangeWatchedFiles(() => guardNotification(connection, 'didChangeWatchedFiles', configurationChanged));

  connection.languages.diagnostics.on((params, token) =>
    guard(connection, 'textDocument/diagnostic', { kind: 'full', items: [] }, async () => {
      await yieldToEventLoop();
      if (!session) return { kind: 'full', items: [] };
      return pullDiagnostics(connection, session.config, documents.get(params.textDocument.uri), params.previousResultId, token);
    }),
  );
  connection.onCodeAction((params, token) =>
    guard(connection, 'textDocument/codeAction', [], async () => {
      await yieldToEventLoop();
      return session ? codeActions({ connection, documents, ...session }, params, token) : [];
    }),
  );
  connection.onCodeActionResolve((action, token) =>
    guard(connection, 'codeAction/resolve', action, async () => {
      await yieldToEventLoop();
      return session ? resolveFixAll({ connection, documents, ...session }, action, token) : action;
    }),
  );
  // Navigation: cheap, answered from the document's current analysis without running rules.
  connection.onDefinition(navigate('textDocument/definition', [], navigation.definition));
  connection.onReferences(navigate('textDocument/references', [], navigation.references));
  connection.onDocumentHighlight(navigate('textDocument/documentHighlight', [], navigation.highlights));
  connection.onPrepareRename(navigate('textDocument/prepareRename', null, navigation.prepareRenameAt));
  connection.onRenameRequest(navigate('textDocument/rename', null, navigation.renameAt));
  connection.onDocumentSymbol(navigate('textDocument/documentSymbol', [], navigation.symbols));
  connection.onFoldingRanges(navigate('textDocument/foldingRange', [], navigation.foldingRanges));
  connection.onSelectionRanges(navigate('textDocument/selectionRange', [], navigation.selections));
  connection.onDocumentLinks(navigate('textDocument/documentLink', [], navigation.links));
  connection.onHover((params, token) =>
    guard(connection, 'textDocument/hover', null, async () => {
      await yieldToEventLoop();
      return session ? hover({ documents, builtinDocs, ...session }, params, token) : null;
    }),
  );
  connection.onCompletion((params) => guard(connection, 'textDocument/completion', null, () => (session ? completion({ documents, builtinDocs, ...session }, params) : null)));
  connection.languages.semanticTokens.on(navigate('textDocument/semanticTokens/full', semanticTokens.NO_TOKENS, semanticTokens.fullTokens));
  connection.languages.semanticTokens.onDelta(navigate('textDocument/semanticTokens/full/delta', semanticTokens.NO_TOKENS, semanticTokens.deltaTokens));
  connection.languages.semanticTokens.onRange(navigate('textDocument/semanticTokens/range', semanticTokens.NO_TOKENS, semanticTokens.rangeTokens));
  connection.languages.inlayHint.on(navigate('textDocument/inlayHint', [], inlayHints));

  /** A navigation handler inside `guard`; before `initialize` it answers `fallback`. */
  function navigate<P, R>(name: string, fallback: R, handler: (context: navigation.NavigationContext, params: P) => R): (params: P) => Promise<R> {
    return (params) => guard(connection, name, fallback, () => (session ? handler({ documents, features: session.features, outlineNotices }, params) : fallback));
  }

  connection.listen();
}
