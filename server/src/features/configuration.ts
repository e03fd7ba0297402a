// The project configuration `.nixguard.json`, shared by the CLI and the server:
//   { "rules": { "ssh-root-login": "error", "unused-formal": "off" }, "exclude": ["vendor/**"] }
// Parsing never throws: problems come back as messages with offsets and the defaults are used
// for whatever was wrong. File access is injected so that this module stays free of IO.
import { minimatch } from 'minimatch';
import * as path from 'path';
import { SEVERITY_SETTINGS, SeveritySetting } from '../rules/types';

export const CONFIG_FILE_NAME = '.nixguard.json';

export interface ProjectConfig {
  readonly severities: ReadonlyMap<string, SeveritySetting>;
  readonly exclude: readonly string[];
}

export interface ConfigProblem {
  readonly message: string;
  /** Offset in the config text, when known. */
  readonly offset?: number;
}

export interface LoadedConfig {
  readonly config: ProjectConfig;
  /** The config file used, if any. */
  readonly file?: string;
  readonly problems: readonly ConfigProblem[];
}

export const EMPTY_CONFIG: ProjectConfig = { severities: new Map(), exclude: [] };

const KNOWN_KEYS = new Set(['$schema', 'rules', 'exclude']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value);
}

/** Reads rule severities from a `{ id: severity }` object, reporting bad entries. */
export function parseSeverities(value: unknown, knownRuleIds: ReadonlySet<string>, where: string, problems: ConfigProblem[]): Map<string, SeveritySetting> {
  const severities = new Map<string, SeveritySetting>();
  if (value === undefined) return severities;
  if (!isRecord(value)) {
    problems.push({ message: `${where} must be an object mapping rule ids to severities` });
    return severities;
  }
  for (const [id, setting] of Object.entries(value)) {
    if (!knownRuleIds.has(id)) {
      problems.push({ message: `${where}: unknown rule \`${id}\`` });
      continue;
    }
    if (!isSeveritySetting(setting)) {
      problems.push({ message: `${where}.${id}: expected one of ${SEVERITY_SETTINGS.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(setting)}` });
      continue;
    }
    severities.set(id, setting);
  }
  return severities;
}

export function parseProjectConfig(text: string, knownRuleIds: ReadonlySet<string>): { config: ProjectConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    problems.push({ message: `not valid JSON: ${message}`, offset: position ? Number(position[1]) : undefined });
    return { config: EMPTY_CONFIG, problems };
  }
  if (!isRecord(json)) {
    problems.push({ message: 'the configuration must be a JSON object' });
    return { config: EMPTY_CONFIG, problems };
  }
  for (const key of Object.keys(json)) {
    if (!KNOWN_KEYS.has(key)) problems.push({ message: `unknown key \`${key}\` (known: ${[...KNOWN_KEYS].join(', ')})` });
  }
  const severities = parseSeverities(json.rules, knownRuleIds, 'rules', problems);
  const exclude: string[] = [];
  if (json.exclude !== undefined) {
    if (Array.isArray(json.exclude) && json.exclude.every((g) => typeof g === 'string')) exclude.push(...(json.exclude as string[]));
    else problems.push({ message: '`exclude` must be an array of glob strings' });
  }
  return { config: { severities, exclude }, problems };
}

/** Later maps win. */
export function mergeSeverities(...layers: (ReadonlyMap<string, SeveritySetting> | undefined)[]): Map<string, SeveritySetting> {
  const merged = new Map<string, SeveritySetting>();
  for (const layer of layers) for (const [id, setting] of layer ?? []) merged.set(id, setting);
  return merged;
}

export interface ConfigFileSystem {
  readFile(file: string): string | undefined;
}

/** Finds the nearest `.nixguard.json` from `directory` upwards and parses it. */
export function loadProjectConfig(directory: string, fileSystem: ConfigFileSystem, knownRuleIds: ReadonlySet<string>): LoadedConfig {
  for (let dir = path.resolve(directory); ; ) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    const text = fileSystem.readFile(candidate);
    if (text !== undefined) {
      const { config, problems } = parseProjectConfig(text, knownRuleIds);
      return { config, file: candidate, problems };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { config: EMPTY_CONFIG, problems: [] };
    dir = parent;
  }
}

/** Whether `file` matches an exclude glob, globs being relative to the config's directory. */
export function isExcluded(file: string, loaded: LoadedConfig): boolean {
  if (loaded.config.exclude.length === 0) return false;
  const base = loaded.file ? path.dirname(loaded.file) : process.cwd();
  const relative = path.relative(base, path.resolve(file)).split(path.sep).join('/');
  return loaded.config.exclude.some((glob) => minimatch(relative, glob, { dot: true }) || minimatch(relative, `${glob.replace(/\/$/, '')}/**`, { dot: true }));
}
