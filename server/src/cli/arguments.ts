// A small command-line parser: `--name value`, `--name=value`, boolean flags, repeatable
// options, positionals, and `--` to end options. Anything it does not know is a UsageError.
import { UsageError } from './usage-error';

export interface OptionSpec {
  /** Takes a value (`--format json`); otherwise it is a flag. */
  readonly value?: boolean;
  readonly repeatable?: boolean;
}

export interface ParsedArguments {
  readonly positionals: string[];
  /** Flags map to `['true']`; value options to their values in order. */
  readonly options: Map<string, string[]>;
}

export function parseArguments(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>, command: string): ParsedArguments {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = equals >= 0 ? argument.slice(0, equals) : argument;
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option '${name}' for \`nixguard ${command}\` (see \`nixguard ${command} --help\`)`);
    let value = 'true';
    if (spec.value) {
      if (equals >= 0) value = argument.slice(equals + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new UsageError(`option '${name}' needs a value`);
    } else if (equals >= 0) {
      throw new UsageError(`option '${name}' takes no value`);
    }
    const values = options.get(name) ?? [];
    if (values.length > 0 && !spec.repeatable) throw new UsageError(`option '${name}' given more than once`);
    values.push(value);
    options.set(name, values);
  }
  return { positionals, options };
}

export function singleValue(parsed: ParsedArguments, name: string): string | undefined {
  return parsed.options.get(name)?.[0];
}

export function hasFlag(parsed: ParsedArguments, name: string): boolean {
  return parsed.options.has(name);
}

export function choiceValue<Choice extends string>(parsed: ParsedArguments, name: string, choices: readonly Choice[], fallback: Choice): Choice {
  const value = singleValue(parsed, name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`option '${name}' must be one of ${choices.join(', ')}, got '${value}'`);
  return value as Choice;
}

export function integerValue(parsed: ParsedArguments, name: string, minimum: number): number | undefined {
  const value = singleValue(parsed, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < minimum) throw new UsageError(`option '${name}' must be a whole number of at least ${minimum}, got '${value}'`);
  return Number(value);
}
