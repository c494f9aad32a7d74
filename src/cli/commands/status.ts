import { readEnrolled } from '../../reconcile/enroll.js';
import { readStatus } from '../../reconcile/record.js';
import { renderStatusText, statusDocument } from '../../reconcile/render.js';
import type { Context } from '../context.js';
import { print, printJson } from '../output.js';

/** `mcpform status` / `mcpform agent status`: the last pass of every project, per client. */
export default async function status(ctx: Context, flags: { json?: boolean }): Promise<void> {
  const recorded = readStatus(ctx.world);
  const enrolled = readEnrolled(ctx.world);
  if (flags.json || ctx.opts.json) printJson(statusDocument(recorded, enrolled));
  else print(renderStatusText(recorded, enrolled));
}
