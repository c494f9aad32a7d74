import { basename } from 'node:path';
import { findConfig } from '../../config/find.js';
import { renderApplyText } from '../../apply/report.js';
import { runApply } from '../../apply/run.js';
import { McpformError } from '../../errors.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { Context } from '../context.js';
import { exitOnInterrupt, print, printErr } from '../output.js';
import { runWithProgress } from '../progress.js';
import { reportError } from '../report-error.js';
import { VERSION } from '../version.js';

export interface WatchFlags {
  test?: boolean;
  prune?: boolean;
  debounce?: string;
}

/**
 * Re-plans and applies (health checks and rollback included) whenever mcp.yaml, a file it
 * imports, or its env file changes. Debounced; a change during a run queues one more run.
 */
export default async function watch(ctx: Context, flags: WatchFlags): Promise<void> {
  const file = await findConfig(ctx.opts.file, ctx.cwd);
  const debounceMs = Number(flags.debounce ?? 300);
  const { watch: chokidar } = await import('chokidar');
  const watcher = chokidar([], {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
  });
  let watched = new Set<string>();

  const stamp = () => new Date().toTimeString().slice(0, 8);
  /** What to watch: the sources of the last successful load, else at least mcp.yaml. */
  const refreshWatchList = async () => {
    let files = [file];
    try {
      const { loadDesiredWithImports } = await import('../../config/load.js');
      const state = await loadDesiredWithImports(file, {
        environment: ctx.environment,
        displayBase: ctx.cwd,
        env: ctx.processEnv,
      });
      files = [...state.sources, state.envFile];
    } catch {
      // a broken mcp.yaml is exactly what the user is about to fix: keep watching it
    }
    const next = new Set(files);
    watcher.unwatch([...watched].filter((f) => !next.has(f)));
    watcher.add([...next].filter((f) => !watched.has(f)));
    watched = next;
  };

  let running = false;
  let again = false;
  const cycle = async (why: string) => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    print(`\n[${stamp()}] ${why}: planning and applying...`);
    try {
      // The same core as `mcpform apply --yes`: one guard, so a change that fails its checks
      // (or a Ctrl-C during them) leaves the files exactly as they were.
      const result = await runApply(
        {
          file,
          environment: ctx.environment,
          target: ctx.opts.target,
          yes: true,
          test: flags.test,
          prune: flags.prune,
        },
        { processEnv: ctx.processEnv, platform: ctx.platform, cwd: ctx.cwd, now: ctx.now, version: VERSION },
        {
          showPlan: async (plans) => print(await renderPlanText(plans, ctx.colors)),
          confirm: async () => undefined,
          runChecks: (specs) => runWithProgress(specs),
          notice: (text) => printErr(text),
        },
      );
      if (result.journals.length) print(renderApplyText(result, ctx.colors));
      print(`[${stamp()}] Done. Claude Desktop reads its config only at start: restart it to load changes.`);
    } catch (err) {
      const code = reportError(err);
      // Interrupted mid-run: the files are back; stop watching, as the user asked.
      if (err instanceof McpformError && err.code === 'INTERRUPTED') process.exit(code);
      print(`[${stamp()}] Not applied; fix the problem above and save again.`);
    }
    await refreshWatchList();
    running = false;
    if (again) {
      again = false;
      await cycle('changed during the last run');
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  watcher.on('all', (_event, path) => {
    changed.add(basename(path));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const names = [...changed].join(', ');
      changed.clear();
      void cycle(`${names} changed`);
    }, debounceMs);
  });

  await refreshWatchList();
  await new Promise<void>((resolve) => watcher.on('ready', resolve));
  print(`Watching ${[...watched].map((f) => basename(f)).join(', ')} (Ctrl-C to stop).`);
  await cycle('start');
  // Runs until Ctrl-C (exitOnInterrupt: every server process is killed on the way out).
  exitOnInterrupt();
  await new Promise<never>(() => {});
}
