// nixpkgs' compiler hardening flags (`hardeningEnable` / `hardeningDisable` of `mkDerivation`)
// and where a derivation's flag lists are written as literals. Shared by the three hardening
// rules, so they agree on which strings count as flags.
//
// The known names are those `knownHardeningFlags` in nixpkgs' make-derivation.nix accepts, plus
// `pie`, which older nixpkgs revisions still list: a flag unknown to the revision in use stops
// evaluation ("mkDerivation was called with unsupported hardening flags"), so an older name is
// kept rather than flagged as a typo. `all` is accepted only in `hardeningDisable`.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { isAttributeNamed, lastAttribute } from './attribute-names';
import { calleeName, flattenApplication, stringLiteralValue } from './module-model';

/** Every known flag and, in a few words, what disabling it gives up (for messages). */
export const HARDENING_FLAG_LOSSES: ReadonlyMap<string, string> = new Map([
  ['bindnow', 'eager symbol binding: the GOT stays writable at run time'],
  ['format', 'compile-time rejection of non-literal printf formats'],
  ['fortify', 'checked libc buffer functions (and `fortify3` with them)'],
  ['fortify3', 'checks of buffers whose size is only known at run time'],
  ['glibcxxassertions', 'libstdc++ precondition checks such as bounds of `operator[]`'],
  ['libcxxhardeningextensive', "libc++'s extensive bounds and precondition checks"],
  ['libcxxhardeningfast', "libc++'s fast bounds and precondition checks"],
  ['nostrictaliasing', 'nothing security-related (it only tolerates aliasing bugs)'],
  ['pacret', 'pointer authentication of return addresses (aarch64)'],
  ['pic', 'position-independent code, which address randomization needs'],
  ['pie', 'address randomization of the executable itself'],
  ['relro', 'read-only relocations after loading'],
  ['shadowstack', 'the hardware shadow stack for return addresses (x86 CET)'],
  ['stackclashprotection', 'stack probing: large allocations can jump the guard page'],
  ['stackprotector', 'stack canaries: overflows get exploited instead of aborting'],
  ['strictflexarrays1', 'bounds knowledge of trailing arrays (and `strictflexarrays3`)'],
  ['strictflexarrays3', 'the strictest bounds knowledge of trailing arrays'],
  ['strictoverflow', 'defined wrap-around: the compiler may delete overflow checks'],
  ['trivialautovarinit', 'pattern initialization of uninitialized stack variables'],
  ['zerocallusedregs', 'zeroing of used registers on return (fewer ROP gadgets)'],
]);

export const KNOWN_HARDENING_FLAGS: readonly string[] = [...HARDENING_FLAG_LOSSES.keys()];

/** Flags whose loss is not a security loss: `hardening-flag-disabled` stays silent on them. */
export const NON_SECURITY_HARDENING_FLAGS: ReadonlySet<string> = new Set(['nostrictaliasing']);

export type HardeningList = 'hardeningDisable' | 'hardeningEnable';

export interface HardeningFlagLiteral {
  /** The string expression node. */
  readonly node: NodeId;
  /** Its value (`"format"` gives `format`). */
  readonly flag: string;
}

/** `hardeningDisable` or `hardeningEnable` when the binding's last attribute is one of them. */
export function hardeningListOf(table: SyntaxTable, binding: NodeId): HardeningList | undefined {
  if (table.kind(binding) !== Kind.Binding) return undefined;
  const attr = lastAttribute(table, binding);
  if (attr === NO_NODE) return undefined;
  if (isAttributeNamed(table, attr, 'hardeningDisable')) return 'hardeningDisable';
  return isAttributeNamed(table, attr, 'hardeningEnable') ? 'hardeningEnable' : undefined;
}

/**
 * The literal flag strings a list expression is made of, looking through `++`, `if`, parentheses
 * and `lib.optional(s) cond …`; any other part (a variable, `old.hardeningDisable`, a function
 * call) contributes nothing, since its value is unknown.
 */
export function hardeningFlagLiterals(table: SyntaxTable, listExpression: NodeId): HardeningFlagLiteral[] {
  const literals: HardeningFlagLiteral[] = [];
  // Each item is an expression and whether it stands for a list (or for one element).
  const work: Array<{ node: NodeId; isList: boolean }> = [{ node: listExpression, isList: true }];
  while (work.length > 0) {
    const { node, isList } = work.pop()!;
    if (node === NO_NODE) continue;
    switch (table.kind(node)) {
      case Kind.ParenthesizedExpression:
        work.push({ node: table.childByField(node, Field.Expression), isList });
        break;
      case Kind.IfExpression:
        work.push({ node: table.childByField(node, Field.Alternative), isList });
        work.push({ node: table.childByField(node, Field.Consequence), isList });
        break;
      case Kind.ListExpression:
        if (!isList) break;
        for (const element of table.childrenByField(node, Field.Element).reverse()) work.push({ node: element, isList: false });
        break;
      case Kind.BinaryExpression: {
        const operator = table.childByField(node, Field.Operator);
        if (!isList || operator === NO_NODE || table.nodeText(operator) !== '++') break;
        work.push({ node: table.childByField(node, Field.Right), isList: true });
        work.push({ node: table.childByField(node, Field.Left), isList: true });
        break;
      }
      case Kind.ApplyExpression: {
        if (!isList) break;
        const { callee, args } = flattenApplication(table, node);
        const name = calleeName(table, callee);
        if (args.length !== 2) break;
        if (name === 'optionals') work.push({ node: args[1], isList: true });
        else if (name === 'optional') work.push({ node: args[1], isList: false });
        break;
      }
      case Kind.StringExpression:
      case Kind.IndentedStringExpression: {
        if (isList) break;
        const flag = stringLiteralValue(table, node);
        if (flag !== undefined) literals.push({ node, flag });
        break;
      }
      default:
        break;
    }
  }
  return literals;
}

/** The flag literals of a `hardeningDisable`/`hardeningEnable` binding, with which list it is. */
export function hardeningBindingFlags(table: SyntaxTable, binding: NodeId): { list: HardeningList; flags: HardeningFlagLiteral[] } | undefined {
  const list = hardeningListOf(table, binding);
  if (list === undefined) return undefined;
  return { list, flags: hardeningFlagLiterals(table, table.childByField(binding, Field.Expression)) };
}

const NO_FLAG_LITERALS: readonly HardeningFlagLiteral[] = [];

/** The flag literals of a `hardeningDisable` binding; empty for any other binding. */
export function disabledFlagLiterals(table: SyntaxTable, binding: NodeId): readonly HardeningFlagLiteral[] {
  const found = hardeningBindingFlags(table, binding);
  return found?.list === 'hardeningDisable' ? found.flags : NO_FLAG_LITERALS;
}
