import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { colorsFor, type Colors } from '../util/colors.js';
import type { World } from '../world.js';
import { readWorld } from './world.js';

/** Global options, as every command sees them. */
export interface GlobalOptions {
  file?: string;
  env?: string;
  target?: string;
  json?: boolean;
  color?: boolean;
}

/**
 * What a command may know about the world. Core functions take what they need from here as
 * arguments (never `process.env` or `process.cwd()` deep inside), so tests can call them
 * in-process with a fake home, platform and clock.
 */
export interface Context {
  opts: GlobalOptions;
  /** The environment *name* (`-e`), not variables: `--env`, else MCPFORM_ENV (applied later), else default. */
  environment?: string;
  /** The machine: env, platform, cwd, home, clock (src/world.ts). */
  world: World;
  colors: Colors;
}

/**
 * A pipe or a file is never a terminal, and fstat says so without node:tty, which loads the
 * socket and stream machinery (3 ms of a cold start) that a plan to a pipe never needs.
 */
function stdoutIsTTY(): boolean {
  try {
    if (!fstatSync(1).isCharacterDevice()) return false;
  } catch {
    return false; // no stdout at all
  }
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(1);
}

export function makeContext(opts: GlobalOptions, world: World = readWorld()): Context {
  return {
    opts,
    environment: opts.env,
    world,
    colors: colorsFor(stdoutIsTTY, opts.color !== false, world.env),
  };
}
