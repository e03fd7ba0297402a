// An error the user can fix by changing the command line or the files it names: printed as one
// line on stderr (never a stack trace) and the process exits with 2.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
