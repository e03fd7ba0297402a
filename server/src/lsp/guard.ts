// Every handler runs inside `guard`: an exception is logged (with the handler's name) and the
// handler answers its fallback (`null`/`[]`), so one bad document never takes the server down.
// Cancellation is the exception to the rule: it reaches the client as `RequestCancelled`.
import { CancellationToken, Connection, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/** ResponseError resets its prototype, so a subclass could not be told apart: check the code. */
function isCancellation(error: unknown): boolean {
  return error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled;
}

/** Yields to the event loop so that a `$/cancelRequest` sent right after the request is seen. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function guard<T>(connection: Connection, name: string, fallback: T, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isCancellation(error)) throw error;
    connection.console.error(`${name} failed: ${errorText(error)}`);
    return fallback;
  }
}

/** For notifications: nothing to answer, so only log. */
export function guardNotification(connection: Connection, name: string, run: () => void | Promise<void>): void {
  void guard(connection, name, undefined, run);
}
