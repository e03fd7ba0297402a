// Which configuration applies to a file: the `--config` file for every file, or else the
// nearest `.nixguard.json` walking up from the file's folder. Lookups are cached per folder, and
// each config file's problems are reported once, as warnings: a bad config never stops a run.
import * as fs from 'fs';
import * as path from 'path';
import { minimatch } from 'minimatch';
import { CONFIG_FILE_NAME, EMPTY_CONFIG, isExcluded, LoadedConfig, loadProjectConfig, parseProjectConfig } from '../features/configuration';
import { ALL_RULES } from '../rules';
import { describeIoError } from './file-report';
import { UsageError } from './usage-error';

const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.id));

export class ProjectConfigs {
  private readonly byDirectory = new Map<string, LoadedConfig>();
  private readonly fileTexts = new Map<string, string | undefined>();
  private readonly reported = new Set<string>();

  private constructor(
    private readonly explicit: LoadedConfig | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** `configFile` is the `--config` option; an unreadable one is a usage error (exit 2). */
  static create(configFile: string | undefined, warn: (message: string) => void): ProjectConfigs {
    if (configFile === undefined) return new ProjectConfigs(undefined, warn);
    const file = path.resolve(configFile);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read config file '${configFile}': ${describeIoError(error)}`);
    }
    const { config, problems } = parseProjectConfig(text, KNOWN_RULE_IDS);
    const configs = new ProjectConfigs({ config, file, problems }, warn);
    configs.reportProblems({ config, file, problems }, text);
    return configs;
  }

  /** The configuration for a file (or folder) at `file`. */
  forPath(file: string, isDirectory: boolean): LoadedConfig {
    if (this.explicit) return this.explicit;
    const directory = isDirectory ? path.resolve(file) : path.dirname(path.resolve(file));
    let loaded = this.byDirectory.get(directory);
    if (!loaded) {
      loaded = loadProjectConfig(directory, { readFile: (candidate) => this.readConfigText(candidate) }, KNOWN_RULE_IDS);
      this.byDirectory.set(directory, loaded);
      this.reportProblems(loaded, loaded.file ? this.fileTexts.get(loaded.file) : undefined);
    }
    return loaded;
  }

  isFileExcluded(file: string): boolean {
    return isExcluded(file, this.forPath(file, false));
  }

  /**
   * Whether a whole folder can be skipped: it matches an exclude glob itself, or a glob
   * `dir/**` names everything below it.
   */
  isDirectoryExcluded(directory: string): boolean {
    // The folder's own .nixguard.json governs what is inside it, not the folder itself.
    const loaded = this.forPath(path.dirname(path.resolve(directory)), true);
    if (loaded.config.exclude.length === 0) return false;
    if (isExcluded(directory, loaded)) return true;
    const base = loaded.file ? path.dirname(loaded.file) : process.cwd();
    const relative = path.relative(base, path.resolve(directory)).split(path.sep).join('/');
    return loaded.config.exclude.some((glob) => glob.endsWith('/**') && minimatch(relative, glob.slice(0, -3), { dot: true }));
  }

  /**
   * Tells the lookup which names a folder holds, so that looking for `.nixguard.json` in
   * folders being walked costs no failed reads.
   */
  noteDirectoryListing(directory: string, names: readonly string[]): void {
    if (!names.includes(CONFIG_FILE_NAME)) this.fileTexts.set(path.join(path.resolve(directory), CONFIG_FILE_NAME), undefined);
  }

  private readConfigText(candidate: string): string | undefined {
    if (this.fileTexts.has(candidate)) return this.fileTexts.get(candidate);
    let text: string | undefined;
    try {
      text = fs.readFileSync(candidate, 'utf8');
    } catch (error) {
      // A config that exists but cannot be read is worth a warning; a missing one is the norm.
      const code = error && typeof error === 'object' && 'code' in error ? (error as { code?: unknown }).code : undefined;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.warn(`warning: cannot read ${displayPath(candidate)}: ${describeIoError(error)}; using the default configuration`);
      text = undefined;
    }
    this.fileTexts.set(candidate, text);
    return text;
  }

  private reportProblems(loaded: LoadedConfig, text: string | undefined): void {
    if (!loaded.file || loaded.problems.length === 0 || this.reported.has(loaded.file)) return;
    this.reported.add(loaded.file);
    const usesDefaults = loaded.config === EMPTY_CONFIG;
    for (const problem of loaded.problems) {
      const where = text !== undefined && problem.offset !== undefined ? `:${lineColumn(text, problem.offset)}` : '';
      const consequence = usesDefaults ? 'using the default configuration' : 'ignoring this setting';
      this.warn(`warning: ${displayPath(loaded.file)}${where}: ${problem.message}; ${consequence}`);
    }
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

/** Paths as the user sees them: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  if (relative === '') return '.';
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? path.resolve(file) : relative;
}
