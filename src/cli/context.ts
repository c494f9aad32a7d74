import { findConfig } from '../config/find.js';
import type { DesiredState } from '../config/types.js';
import { colorsFor, type Colors } from './output.js';

/** Global options, as every command sees them. */
export interface GlobalOptions {
  file?: string;
  env?: string;
  target?: string;
  json?: boolean;
  color?: boolean;
}

export interface Context {
  opts: GlobalOptions;
  colors: Colors;
  cwd: string;
}

export function makeContext(opts: GlobalOptions): Context {
  return { opts, colors: colorsFor(process.stdout, opts.color !== false), cwd: process.cwd() };
}

/** find -> load: the first two stages every command that reads mcp.yaml runs. */
export async function loadContextState(ctx: Context): Promise<DesiredState> {
  const file = await findConfig(ctx.opts.file, ctx.cwd);
  const { loadDesired } = await import('../config/load.js');
  return loadDesired(file, { environment: ctx.opts.env, displayBase: ctx.cwd });
}
