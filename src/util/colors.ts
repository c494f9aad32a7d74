/**
 * ANSI styles, as picocolors writes them (its formatter, nesting included: a bold span inside
 * bold text stays bold). Not picocolors itself: it reads process.stdout when it is loaded,
 * and creating that stream costs a cold start 3 ms that a `plan` otherwise never pays
 * (cli/output.ts writes to the descriptor). test/util/colors.test.ts holds it to picocolors'
 * output.
 */
const formatter =
  (open: string, close: string, replace = open) =>
  (input: unknown): string => {
    const text = `${input as string}`;
    let index = text.indexOf(close, open.length);
    if (index === -1) return open + text + close;
    // An inner style's close would end ours too: re-open after it.
    let result = '';
    let cursor = 0;
    do {
      result += text.substring(cursor, index) + replace;
      cursor = index + close.length;
      index = text.indexOf(close, cursor);
    } while (index !== -1);
    return open + result + text.substring(cursor) + close;
  };

export function createColors(enabled: boolean) {
  const f = enabled ? formatter : () => (input: unknown) => `${input as string}`;
  return {
    isColorSupported: enabled,
    bold: f('\x1b[1m', '\x1b[22m', '\x1b[22m\x1b[1m'),
    dim: f('\x1b[2m', '\x1b[22m', '\x1b[22m\x1b[2m'),
    red: f('\x1b[31m', '\x1b[39m'),
    green: f('\x1b[32m', '\x1b[39m'),
    yellow: f('\x1b[33m', '\x1b[39m'),
    cyan: f('\x1b[36m', '\x1b[39m'),
    gray: f('\x1b[90m', '\x1b[39m'),
  };
}

export type Colors = ReturnType<typeof createColors>;

/**
 * Colour only on a TTY, never with NO_COLOR or --no-color; FORCE_COLOR=1 forces it.
 * `isTTY` is asked last: node:tty loads the socket and stream machinery (cli/context.ts).
 */
export function colorsFor(isTTY: () => boolean, wanted: boolean, env: NodeJS.ProcessEnv): Colors {
  if (env.FORCE_COLOR === '1') return createColors(true);
  return createColors(wanted && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb' && isTTY());
}
