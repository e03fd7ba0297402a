// The CLI's two streams. Kept in one place so every message goes through the same path.
export function writeStdout(text: string): void {
  process.stdout.write(text);
}

export function writeStderr(text: string): void {
  process.stderr.write(text);
}
