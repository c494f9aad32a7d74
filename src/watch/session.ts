import { basename } from 'node:path';
import { findConfig } from '../config/find.js';
import { loadDesiredWithImports } from '../config/load.js';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import type { ApplyResult, ApplyUi } from '../apply/run.js';
import { fingerprintTools } from '../lock/fingerprint.js';
import { readGitPins } from '../lock/git-pins.js';
import type { ToolsLock } from '../lock/types.js';
import { stopAllServers } from '../probe/spawn.js';
import { clientCatalog, selectTargets } from '../targets/index.js';
import { applyWithDevTools } from './apply-dev.js';
import { checkDevServers, renderDevCheck } from './check-dev.js';
import { reloadAdvice, restartClaudeDesktop } from './reload.js';
import { buildOutputOf, devSources, ignoredFor, serversForChange, type DevSource } from './sources.js';
import type { World } from '../world.js';
import { visible } from '../util/sanitize.js';

export interface WatchRequest {
  file?: string;
  environment?: string;
  target?: string;
  /** false: --no-test (apply's checks only; dev servers are still checked on a save). */
  test?: boolean;
  prune?: boolean;
  debounceMs: number;
  /** Quit and reopen Claude Desktop after a dev server's passing check. */
  restartClient?: boolean;
  /** The user whose client processes a restart may signal (POSIX uid). */
  uid?: number;
  /** mcpform's version (apply's). */
  version: string;
}

/** How watch talks to the person: apply's hooks, plus its own lines. */
export interface WatchUi extends ApplyUi {
  print(text: string): void;
  /** After each apply: its report. */
  applied(result: ApplyResult): void;
  /** An apply that failed (its files are back as they were): the error, as the CLI shows it. */
  reportError(err: unknown): void;
}

export interface WatchSession {
  /** Rejects when watching must stop (a Ctrl-C during an apply, after its rollback). */
  readonly stopped: Promise<never>;
  close(): Promise<void>;
}

/**
 * `mcpform watch`: applies mcp.yaml at start and whenever it, a file it imports or its env
 * file changes (the apply core, rollback included); and re-checks a dev server — one whose
 * entry runs a local script — whenever its source is saved, reporting its tool changes and
 * reloading it in the client where the client allows it. One job at a time, debounced.
 */
export async function startWatch(world: World, req: WatchRequest, ui: WatchUi): Promise<WatchSession> {
  const file = await findConfig(req.file, world);
  const { watch: chokidar } = await import('chokidar');
  const home = world.home;
  let sources: DevSource[] = [];
  const stamp = () => world.now().toTimeString().slice(0, 8);
  const awaitWriteFinish = { stabilityThreshold: 100, pollInterval: 25 };
  const configWatcher = chokidar([], { ignoreInitial: true, awaitWriteFinish });
  const sourceWatcher = chokidar([], {
    ignoreInitial: true,
    awaitWriteFinish,
    ignored: (path: string, stats?: { isDirectory(): boolean }) => ignoredFor(sources)(path, stats),
  });
  let configFiles = new Set<string>();
  let sourcePaths = new Set<string>();
  /** Tools at each dev server's last passing check: what the next one is compared with. */
  const last = new Map<string, ToolsLock>();
  /** Dev servers whose last check failed. */
  const broken = new Set<string>();
  let stopping = false;
  let reject!: (err: unknown) => void;
  const stopped = new Promise<never>((_, r) => (reject = r));
  const stop = (err: unknown) => {
    stopping = true;
    reject(err);
  };
  stopped.catch(() => undefined);

  const load = async (): Promise<DesiredState | undefined> => {
    try {
      return await loadDesiredWithImports(file, {
        environment: req.environment,
        world,
        clients: clientCatalog,
        gitPins: readGitPins,
      });
    } catch {
      return undefined; // a broken mcp.yaml is what the user is about to fix: keep watching it
    }
  };
  /** Watch what the last good load read, and the sources of its dev servers. */
  const refresh = (state: DesiredState | undefined) => {
    const nextConfig = new Set(state ? [...state.sources, state.envFile] : [file]);
    configWatcher.unwatch([...configFiles].filter((f) => !nextConfig.has(f)));
    configWatcher.add([...nextConfig].filter((f) => !configFiles.has(f)));
    configFiles = nextConfig;
    if (!state) return;
    // `test: { skip: true }` means no health check for this server, also not on a save.
    const skipped = new Set(state.servers.filter((s) => s.test.skip).map((s) => s.name));
    sources = devSources(state, home).filter((s) => !skipped.has(s.server));
    const nextSources = new Set(sources.flatMap((s) => [s.root, ...s.scripts]));
    sourceWatcher.unwatch([...sourcePaths].filter((p) => !nextSources.has(p)));
    sourceWatcher.add([...nextSources].filter((p) => !sourcePaths.has(p)));
    sourcePaths = nextSources;
  };

  // One job at a time; what changes meanwhile is queued (config first: it may change the servers).
  let configDue: string | undefined;
  const serversDue = new Map<string, number>();
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (!stopping && (configDue || serversDue.size)) {
        if (configDue) {
          const why = configDue;
          configDue = undefined;
          await applyCycle(why);
        } else {
          const due = new Map(serversDue);
          serversDue.clear();
          await checkCycle(due);
        }
      }
    } catch (err) {
      // A bug, not a state of the user's files: said, and watching goes on.
      ui.reportError(err);
    } finally {
      busy = false;
    }
  };

  const applyCycle = async (why: string) => {
    ui.print(`\n[${stamp()}] ${why}: planning and applying...`);
    try {
      const result = await applyAcceptingDev();
      ui.applied(result);
      // apply's checks are the latest run of the dev servers it checked: the next save compares with them.
      for (const r of result.journals.flatMap((j) => j.checks))
        if (r.ok && sources.some((s) => s.server === r.server)) {
          last.set(r.server, fingerprintTools(r.tools));
          broken.delete(r.server);
        }
      const targets = ((await load())?.targets ?? []).filter((t) => !req.target || t.name === req.target);
      if (targets.some((t) => t.name === 'claude-desktop'))
        ui.print(`[${stamp()}] Done. Claude Desktop reads its config only at start: restart it to load changes.`);
      else ui.print(`[${stamp()}] Done.`);
    } catch (err) {
      if (err instanceof McpformError && err.code === 'INTERRUPTED') return stop(err);
      ui.reportError(err);
      ui.print(`[${stamp()}] Not applied; fix the problem above and save again.`);
    }
    refresh(await load());
  };

  const applyAcceptingDev = () =>
    applyWithDevTools(
      world,
      {
        file,
        environment: req.environment,
        target: req.target,
        yes: true,
        test: req.test,
        prune: req.prune,
        version: req.version,
      },
      ui,
      async () => {
        const state = await load();
        return state && { state, dev: devSources(state, home).map((s) => s.server) };
      },
    );

  /** `saved`: after a save (reload the client); the first check at start only sets the baseline. */
  /** The dev check running now: a newer save of one of its servers cuts it short. */
  let checking: { names: Set<string>; superseded: Set<string> } | undefined;
  const checkCycle = async (due: Map<string, number>, saved = true) => {
    const state = await load();
    if (!state) {
      ui.print(`\n[${stamp()}] ${basename(file)} does not load: fix it first; the server is checked after that.`);
      return;
    }
    const names = [...due.keys()].filter((n) => sources.some((s) => s.server === n));
    if (!names.length) return;
    ui.print(
      `\n[${stamp()}] ${saved ? `source of ${names.join(', ')} changed` : 'start'}: checking ${names.join(', ')}...`,
    );
    let checks: Awaited<ReturnType<typeof checkDevServers>>;
    checking = { names: new Set(names), superseded: new Set() };
    const { superseded } = checking;
    try {
      checks = await checkDevServers(names, state, world, last, req.target);
    } catch (err) {
      // mcp.lock unreadable or held, an unknown --target: said, and watch goes on.
      ui.reportError(err);
      ui.print(`[${stamp()}] Not checked; watching for the next save.`);
      return;
    } finally {
      checking = undefined;
    }
    for (const c of checks) {
      if (!c.result.ok && superseded.has(c.result.server)) {
        ui.print(`${visible(c.result.server)}: check cut short by a newer save (checked again next)`);
        continue;
      }
      const at = due.get(c.result.server);
      ui.print(await renderDevCheck(c, at === undefined || !saved ? undefined : performance.now() - at));
      if (c.result.ok) broken.delete(c.result.server);
      else broken.add(c.result.server);
    }
    const passed = checks.filter((c) => c.result.ok).map((c) => c.result.server);
    // Never restart a client onto a server that does not start (this one, or another dev server).
    if (broken.size) {
      ui.print(
        `  Not reloaded in the client: ${[...broken].map(visible).join(', ')} fails its check; watching for the next save.`,
      );
      return;
    }
    if (saved && passed.length) await reload(state, passed.join(', '));
  };
  const reload = async (state: DesiredState, servers: string) => {
    for (const t of selectTargets(state.targets, req.target)) {
      const advice = reloadAdvice(t.name, servers);
      if (!(advice.restartable && req.restartClient)) {
        ui.print(`  ${advice.text}.`);
        continue;
      }
      try {
        await restartClaudeDesktop(world.platform, world.env, req.uid);
        ui.print(`  Restarted Claude Desktop: it now runs the new ${servers}.`);
      } catch (err) {
        ui.print(`  Could not restart Claude Desktop (${(err as Error).message}); restart it by hand.`);
      }
    }
  };

  // An unreadable folder or the OS's limit on watches (ENOSPC on Linux) is said, not fatal.
  for (const w of [configWatcher, sourceWatcher])
    w.on('error', (err) => void ui.on({ type: 'notice', text: `watch: ${(err as Error).message ?? String(err)}` }));

  let configTimer: NodeJS.Timeout | undefined;
  const configChanged = new Set<string>();
  configWatcher.on('all', (_event, path) => {
    configChanged.add(basename(path));
    clearTimeout(configTimer);
    configTimer = setTimeout(() => {
      configDue = `${[...configChanged].join(', ')} changed`;
      configChanged.clear();
      void pump();
    }, req.debounceMs);
  });
  let sourceTimer: NodeJS.Timeout | undefined;
  const sourceChanged = new Map<string, number>();
  sourceWatcher.on('all', (_event, path) => {
    if (configFiles.has(path)) return;
    const at = performance.now();
    for (const s of serversForChange(path, sources)) if (!sourceChanged.has(s)) sourceChanged.set(s, at);
    if (!sourceChanged.size) return;
    clearTimeout(sourceTimer);
    sourceTimer = setTimeout(() => {
      for (const [s, t] of sourceChanged) if (!serversDue.has(s)) serversDue.set(s, t);
      // A check of the code before this save (one that hangs, say) is stale: stop its servers,
      // so the check of this save starts now, not after a timeout. Only dev checks run then.
      const stale = checking && [...sourceChanged.keys()].filter((s) => checking!.names.has(s));
      if (stale?.length) {
        // Every server of that check stops (they run together), so each is checked again.
        for (const s of checking!.names) {
          checking!.superseded.add(s);
          if (!serversDue.has(s)) serversDue.set(s, performance.now());
        }
        stopAllServers();
      }
      sourceChanged.clear();
      void pump();
    }, req.debounceMs);
  });

  const state = await load();
  refresh(state);
  // chokidar says 'ready' once what was added is scanned (never, when nothing was).
  await Promise.all([ready(configWatcher), sourcePaths.size ? ready(sourceWatcher) : undefined]);
  const listed = [...configFiles].map((f) => basename(f));
  ui.print(`Watching ${listed.map(visible).join(', ')} (Ctrl-C to stop).`);
  if (sources.length) {
    ui.print(`Watching the source of ${sources.map((s) => `${visible(s.server)} (${visible(s.root)})`).join(', ')}.`);
    for (const s of sources) {
      const built = buildOutputOf(s);
      if (built)
        ui.print(
          `${s.server} runs its build output (${built}): a save is checked once the build writes there (run your build in watch mode, e.g. tsc --watch).`,
        );
    }
    ui.print(
      'These are dev servers: watch records their tool changes in mcp.lock, printed; package, npx and url servers are never accepted that way.',
    );
    // First the dev servers' own check: a baseline for the next save, and mcp.lock current
    // before the apply compares fingerprints.
    busy = true;
    await checkCycle(new Map(sources.map((s) => [s.server, performance.now()])), false).finally(() => (busy = false));
  }
  configDue = 'start';
  void pump();

  return {
    stopped,
    close: async () => {
      clearTimeout(configTimer);
      clearTimeout(sourceTimer);
      await Promise.all([configWatcher.close(), sourceWatcher.close()]);
    },
  };
}

function ready(w: { on(event: 'ready', cb: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => w.on('ready', resolve));
}
