import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

/** Colour only on a TTY, never with NO_COLOR or --no-color; FORCE_COLOR=1 forces it. */
export function colorsFor(stream: { isTTY?: boolean }, wanted: boolean, env: NodeJS.ProcessEnv): Colors {
  const enabled = wanted && !('NO_COLOR' in env && env.NO_COLOR !== '') && Boolean(stream.isTTY) && env.TERM !== 'dumb';
  return createColors(enabled || env.FORCE_COLOR === '1');
}
