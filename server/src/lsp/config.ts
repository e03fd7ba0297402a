// Settings for a document: the nearest `.nixguard.json` (walking up from the document's folder)
// overridden by the editor's `nixguard.*` settings. Editor settings are pulled with
// `workspace/configuration` per document when the client supports it, otherwise taken from
// `workspace/didChangeConfiguration`. Bad values never stop the server: an editor setting that
// fails the schema is logged and replaced by its default; a bad `.nixguard.json` is announced once
// (window/showMessage + a log line), its problems are published as diagnostics on the file
// itself, and the defaults are used for whatever was wrong.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { MessageType, ShowMessageNotification } from 'vscode-languageserver';
import { ConfigProblem, isExcluded, LoadedConfig, loadProjectConfig, mergeSeverities, parseSeverities } from '../features/configuration';
import { ALL_RULES } from '../rules';
import type { SeveritySetting } from '../rules/types';
import { LineIndex } from '../syntax/line-index';
import { plainDiagnostic, toRange } from './convert';
import type { CheckSettings } from './documents';
import { errorText } from './guard';

export const SETTINGS_SECTION = 'nixguard';
const CONFIG_DIAGNOSTIC_CODE = 'invalid-config';

/** The validated `nixguard.*` settings. */
export interface EditorSettings {
  readonly rules: ReadonlyMap<string, SeveritySetting>;
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { rules: new Map() };

export interface DocumentSettings extends CheckSettings {
  /** The document matches an `exclude` glob of its `.nixguard.json`. */
  readonly excluded: boolean;
}

const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.id));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Neovim encodes an empty Lua table as `[]`, so `settings = { nixguard = { rules = {} } }`
 * arrives as `{"nixguard":{"rules":[]}}`: an empty array stands for an empty object.
 */
function emptyArrayAsObject(value: unknown): unknown {
  return Array.isArray(value) && value.length === 0 ? {} : value;
}

/** Checks raw `nixguard` settings against the schema; every problem is described, never thrown. */
export function parseEditorSettings(received: unknown): { settings: EditorSettings; problems: string[] } {
  const problems: ConfigProblem[] = [];
  const raw = emptyArrayAsObject(received);
  if (raw === undefined || raw === null) return { settings: DEFAULT_EDITOR_SETTINGS, problems: [] };
  if (!isRecord(raw)) return { settings: DEFAULT_EDITOR_SETTINGS, problems: [`\`${SETTINGS_SECTION}\` settings must be an object, got ${JSON.stringify(raw)}`] };
  const rules = parseSeverities(emptyArrayAsObject(raw.rules ?? undefined), KNOWN_RULE_IDS, `${SETTINGS_SECTION}.rules`, problems);
  return { settings: { rules }, problems: problems.map((problem) => problem.message) };
}

export interface ConfigOptions {
  /** The client answers `workspace/configuration`. */
  readonly pullSettings: boolean;
  /** Settings passed in `initializationOptions`, used until the first configuration change. */
  readonly initialSettings?: unknown;
}

export class ConfigManager {
  private readonly editorSettingsByUri = new Map<string, Promise<EditorSettings>>();
  private pushedSettings: EditorSettings;
  /** Problems already announced, so that each one is shown once. */
  private readonly announced = new Set<string>();
  /** Config files whose problems are currently published, with the problems' signature. */
  private readonly publishedConfigProblems = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly options: ConfigOptions,
  ) {
    this.pushedSettings = this.validate(options.initialSettings);
  }

  /** `workspace/didChangeConfiguration`: forget pulled settings; take pushed ones when not pulling. */
  changeConfiguration(pushed: unknown): void {
    this.editorSettingsByUri.clear();
    if (!this.options.pullSettings) {
      const section = isRecord(pushed) && SETTINGS_SECTION in pushed ? pushed[SETTINGS_SECTION] : undefined;
      this.pushedSettings = this.validate(section);
    }
  }

  forget(uri: string): void {
    this.editorSettingsByUri.delete(uri);
  }

  async settingsFor(uri: string, documentPath: string | undefined): Promise<DocumentSettings> {
    const editor = await this.editorSettings(uri);
    const project = documentPath ? this.projectConfig(path.dirname(documentPath)) : undefined;
    const severities = mergeSeverities(project?.config.severities, editor.rules);
    const key = [...severities].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, severity]) => `${id}=${severity}`).join(',');
    const excluded = documentPath !== undefined && project !== undefined && isExcluded(documentPath, project);
    return { severities, key, excluded };
  }

  private editorSettings(uri: string): Promise<EditorSettings> {
    if (!this.options.pullSettings) return Promise.resolve(this.pushedSettings);
    let settings = this.editorSettingsByUri.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(
        (raw: unknown) => this.validate(raw),
        (error: unknown) => {
          this.connection.console.error(`workspace/configuration failed, using default settings: ${errorText(error)}`);
          return DEFAULT_EDITOR_SETTINGS;
        },
      );
      this.editorSettingsByUri.set(uri, settings);
    }
    return settings;
  }

  private validate(raw: unknown): EditorSettings {
    const { settings, problems } = parseEditorSettings(raw);
    for (const problem of problems) this.connection.console.warn(`Ignoring a setting: ${problem}; using its default`);
    return settings;
  }

  /**
   * The nearest `.nixguard.json` from `directory` upwards. Read on every check (a few failed
   * reads up the tree cost microseconds) so that edits to the file apply without a file watcher,
   * which some clients cannot register.
   */
  private projectConfig(directory: string): LoadedConfig {
    const texts = new Map<string, string>();
    const loaded = loadProjectConfig(directory, { readFile: (file) => readFileIfPresent(file, texts) }, KNOWN_RULE_IDS);
    if (loaded.file) this.reportConfigProblems(loaded.file, texts.get(loaded.file) ?? '', loaded.problems);
    return loaded;
  }

  private reportConfigProblems(file: string, text: string, problems: readonly ConfigProblem[]): void {
    const signature = problems.map((problem) => `${problem.offset ?? ''}:${problem.message}`).join('\n');
    const uri = pathToFileURL(file).toString();
    if ((this.publishedConfigProblems.get(uri) ?? '') === signature) return;
    if (signature === '') this.publishedConfigProblems.delete(uri);
    else this.publishedConfigProblems.set(uri, signature);
    const lineIndex = new LineIndex(text);
    const diagnostics: Diagnostic[] = problems.map((problem) =>
      plainDiagnostic(toRange(lineIndex, { start: problem.offset ?? 0, end: problem.offset ?? 0 }), 'warning', CONFIG_DIAGNOSTIC_CODE, problem.message),
    );
    void this.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
    if (signature === '' || this.announced.has(`${file}\n${signature}`)) return;
    this.announced.add(`${file}\n${signature}`);
    const summary = `nixguard: ${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} (${problems[0].message}); using the defaults for what is wrong`;
    this.connection.console.warn(`${summary}\n${problems.map((problem) => `  ${problem.message}`).join('\n')}`);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: summary }).catch(() => undefined);
  }
}

function readFileIfPresent(file: string, texts: Map<string, string>): string | undefined {
  try {
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    texts.set(file, text);
    return text;
  } catch {
    return undefined;
  }
}
