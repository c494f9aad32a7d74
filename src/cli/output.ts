import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

/** Colour only on a TTY, never with NO_COLOR or --no-color. */
export function colorsFor(stream: NodeJS.WriteStream, wanted: boolean): Colors {
  const enabled =
    wanted &&
    !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') &&
    Boolean(stream.isTTY) &&
    process.env.TERM !== 'dumb';
  return createColors(enabled || process.env.FORCE_COLOR === '1');
}

export function print(text = ''): void {
  process.stdout.write(text.endsWith('\n') || text === '' ? text || '\n' : `${text}\n`);
}

export function printErr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

let interruptHandled = false;
/**
 * Ctrl-C leaves through process.exit, so the 'exit' hook kills every server process group
 * we started (probe/spawn.ts). Registered once, however many commands run in this process.
 */
export function exitOnInterrupt(): void {
  if (interruptHandled) return;
  interruptHandled = true;
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}
