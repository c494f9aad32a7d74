/**
 * A reader that went away (`mcpform backups | head -1`) is not an error: stop writing to
 * stdout and carry on, so a closed pipe never cuts a transaction short.
 */
let stdoutClosed = false;
export function ignoreClosedStdout(): void {
  process.stdout.on('error', () => (stdoutClosed = true));
}

function writeOut(text: string): void {
  if (!stdoutClosed) process.stdout.write(text);
}

export function print(text = ''): void {
  writeOut(text.endsWith('\n') || text === '' ? text || '\n' : `${text}\n`);
}

export function printErr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  writeOut(`${JSON.stringify(value, null, 2)}\n`);
}

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
let interruptHandled = false;
/**
 * For commands that start servers without writing anything (test, doctor, watch between
 * runs): SIGINT, SIGTERM and SIGHUP leave through process.exit, so the 'exit' hook kills
 * every server process group we started (probe/spawn.ts). While apply's guard listens
 * too (src/apply/guard.ts), it decides: it restores the files first, then the command exits.
 */
export function exitOnInterrupt(): void {
  if (interruptHandled) return;
  interruptHandled = true;
  for (const [sig, n] of Object.entries(SIGNAL_NUMBERS)) {
    process.on(sig, () => {
      if (process.listenerCount(sig) > 1) return;
      process.exit(128 + n);
    });
  }
}
