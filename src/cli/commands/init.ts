import { runInit } from '../../adopt/init.js';
import { renderInitText } from '../../adopt/render-init.js';
import type { Context } from '../context.js';
import { print } from '../output.js';

/** `mcpform init [--import] [--from A,B|all] [--force]`: runs the core (src/adopt/init.ts), says what it wrote. */
export default async function init(
  ctx: Context,
  opts: { force?: boolean; import?: boolean; from?: string },
): Promise<void> {
  const result = await runInit(ctx.world, { file: ctx.opts.file, target: ctx.opts.target, ...opts });
  for (const line of renderInitText(result)) print(line);
}
