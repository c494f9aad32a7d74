import { findConfig } from '../config/find.js';
import type { GitLoadOptions } from '../config/git/host.js';
import type { DesiredState } from '../config/types.js';
import { colorsFor, type Colors } from '../util/colors.js';

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
  /** The process's environment variables. */
  processEnv: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  cwd: string;
  now: () => Date;
  colors: Colors;
}

export function makeContext(opts: GlobalOptions): Context {
  return {
    opts,
    environment: opts.env,
    processEnv: process.env,
    platform: process.platform,
    cwd: process.cwd(),
    now: () => new Date(),
    colors: colorsFor(process.stdout, opts.color !== false, process.env),
  };
}

/** find -> load: the first two stages every command that reads mcp.yaml runs. */
export async function loadContextState(ctx: Context, git?: GitLoadOptions): Promise<DesiredState> {
  const file = await findConfig(ctx.opts.file, ctx.cwd, ctx.processEnv);
  const { loadDesiredWithImports } = await import('../config/load.js');
  return loadDesiredWithImports(file, { environment: ctx.environment, displayBase: ctx.cwd, env: ctx.processEnv, git });
}
