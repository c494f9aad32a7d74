import { writeFileSync } from 'node:fs';
import { ExitCode } from '../../errors.js';
import { runTest, type TestEvent } from '../../health/run.js';
import { renderFailures, renderMarkdown, renderTable } from '../../probe/report.js';
import type { Context } from '../context.js';
import { testDocument } from '../documents.js';
import { print, printErr, printJson } from '../output.js';
import { progressView } from '../progress.js';
import { visible } from '../../util/sanitize.js';

export interface TestFlags {
  live?: boolean;
  json?: boolean;
  report?: string;
}

/** `mcpform test [SERVER...]`: runs the core (src/health/run.ts), shows its progress, prints the results. */
export default async function test(ctx: Context, servers: string[], flags: TestFlags): Promise<void> {
  const json = flags.json || ctx.opts.json;
  const world = ctx.world;
  const progress = progressView(ctx.world, { quiet: json });
  const show = (event: TestEvent) => {
    if (event.type === 'testing') {
      const n = event.servers.length;
      if (!json) printErr(`Testing ${n} server${n === 1 ? '' : 's'} (${visible(event.source)})`);
    } else if (event.type === 'recorded') {
      if (!json) printErr(`Recorded the tools of ${event.servers.map(visible).join(', ')} in mcp.lock`);
    } else return progress(event);
  };
  const { file, target } = ctx.opts;
  const run = await runTest(world, { file, environment: ctx.environment, target, servers, live: flags.live }, show);
  const { environment, source, results } = run;
  if (!results.length) return json ? printJson(testDocument(run)) : print(`No servers to test (${visible(source)}).`);
  if (flags.report)
    writeFileSync(flags.report, renderMarkdown(results, { environment, when: world.now().toISOString(), source }));
  if (json) printJson(testDocument(run));
  else {
    print(renderTable(results));
    const failures = renderFailures(results);
    if (failures) print(failures);
    if (flags.report) print(`\nReport written to ${flags.report}`);
  }
  if (run.failure) throw new ExitCode(1);
}
