import { diagnose } from '../../doctor/diagnose.js';
import { renderDoctorText } from '../../doctor/render.js';
import { ExitCode } from '../../errors.js';
import type { Context } from '../context.js';
import { doctorDocument } from '../documents.js';
import { print, printErr, printJson } from '../output.js';

/** `mcpform doctor [SERVER...]`: runs the core (src/doctor/diagnose.ts), prints each client's findings. */
export default async function doctor(ctx: Context, servers: string[]): Promise<void> {
  const json = ctx.opts.json;
  const { file, target } = ctx.opts;
  const run = await diagnose(ctx.world, { file, environment: ctx.environment, target, servers }, (event) => {
    if (!json) printErr(`Checking the ${event.target} config and starting each server as the client would...`);
  });
  // Exit 1 with --json: the report, and the `error` every failing --json document carries.
  if (json) printJson(doctorDocument(run.reports, run));
  else {
    const titled = run.reports.length > 1;
    const text = (r: (typeof run.reports)[number]) =>
      (titled ? `${ctx.colors.bold(`Target ${r.target}:`)}\n` : '') + renderDoctorText(r, ctx.colors);
    print(run.reports.map(text).join('\n\n'));
  }
  if (run.failure) throw new ExitCode(1);
}
