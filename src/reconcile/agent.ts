import { dirname } from 'node:path';
import { McpformError } from '../errors.js';
import type { World } from '../world.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { readEnrolled, type Enrolled } from './enroll.js';
import { driftLeft, reconcileOnce, ReconcileFailure, type ReconcileResult } from './pass.js';
import { logEvent } from './record.js';

export interface AgentRequest {
  /** Wait this long after the last change of a client file before a pass. */
  debounceMs: number;
  backoff?: BackoffOptions;
  version: string;
}

/** What the loop tells whoever runs it (the terminal in `agent run`); it does the work itself. */
export type AgentEvent =
  | { readonly type: 'started'; readonly projects: readonly string[] }
  | { readonly type: 'pass'; readonly why: string; readonly result: ReconcileResult }
  | { readonly type: 'failed'; readonly why: string; readonly project: string; readonly error: unknown }
  | {
      readonly type: 'backoff';
      readonly project: string;
      readonly target: string;
      readonly path: string;
      readonly server: string;
      readonly heals: number;
      readonly holdMs: number;
    };

export interface AgentSession {
  /** Rejects when the loop must stop (a signal during a heal, after its rollback). */
  readonly stopped: Promise<never>;
  close(): Promise<void>;
}

/** A client file caught mid-write (or written between plan and write) is read again shortly. */
const RETRIES = 8;
const RETRY_MS = 250;
/** How long a new folder watch may take to start (chokidar scans it first). */
const WATCH_SETTLE_MS = 1000;
/** Never pass more often than this on the interval, whatever mcp.yaml says. */
const MIN_INTERVAL_MS = 1000;

const retriable = (err: unknown) =>
  err instanceof McpformError && (err.code === 'INVALID_LIVE_CONFIG' || err.code === 'STALE_PLAN');

/**
 * `mcpform agent run`: a reconcile pass for every enrolled project at start, whenever one of
 * its client files changes (debounced, once the file parses again) and on its interval. One
 * pass at a time. An entry a client removes again and again is held back (Backoff), said once.
 */
export async function startAgent(world: World, req: AgentRequest, ui: (e: AgentEvent) => void): Promise<AgentSession> {
  const projects = readEnrolled(world);
  if (!projects.length)
    throw new McpformError('USAGE', 'no project is enrolled, so the agent has nothing to keep in sync', {
      hint: 'enroll one first: mcpform agent enroll ~/dotfiles',
    });
  const { watch } = await import('chokidar');
  const backoff = new Backoff(req.backoff);
  const now = () => world.now().getTime();
  /** Client file -> the projects that write it; and the folders watched for them. */
  const readers = new Map<string, Set<string>>();
  const folders = new Set<string>();
  const watcher = watch([], {
    ignoreInitial: true,
    depth: 0,
    // chokidar reports a file once its size stops changing; the pass then checks that it parses.
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
    ignored: (path: string) => !folders.has(path) && !readers.has(path),
  });
  let stopping = false;
  let reject!: (err: unknown) => void;
  const stopped = new Promise<never>((_, r) => (reject = r));
  stopped.catch(() => undefined);
  const stop = (err: unknown) => {
    stopping = true;
    reject(err);
  };

  const debounce = new Map<string, NodeJS.Timeout>();
  const intervals = new Map<string, NodeJS.Timeout>();
  const due = new Map<string, string>();
  const schedule = (file: string, why: string, delay = req.debounceMs) => {
    clearTimeout(debounce.get(file));
    debounce.set(
      file,
      setTimeout(() => {
        debounce.delete(file);
        if (!due.has(file)) due.set(file, why);
        void pump();
      }, delay),
    );
  };
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (!stopping && due.size) {
        const [file, why] = due.entries().next().value as [string, string];
        due.delete(file);
        await pass(
          projects.find((p) => p.file === file)!,
          why,
        );
      }
    } finally {
      busy = false;
    }
  };

  const keyOf = (file: string, target: string, server: string) => `${file}\0${target}\0${server}`;
  const pass = async (project: Enrolled, why: string) => {
    const hold = (target: string, server: string) => backoff.held(keyOf(project.file, target, server), now());
    let result: ReconcileResult | undefined;
    for (let attempt = 0; !stopping; attempt++) {
      const retried = (err: unknown) => attempt < RETRIES && retriable(err);
      try {
        result = await reconcileOnce(
          world,
          { file: project.file, environment: project.environment, hold, retried, version: req.version },
          { on: () => undefined, confirm: async () => undefined },
        );
        break;
      } catch (err) {
        const cause = err instanceof ReconcileFailure ? err.error : err;
        if (cause instanceof McpformError && cause.code === 'INTERRUPTED') return stop(cause);
        if (retried(cause)) {
          await new Promise((r) => setTimeout(r, RETRY_MS));
          continue;
        }
        ui({ type: 'failed', why, project: project.file, error: cause });
        watchTargets(project.file, err instanceof ReconcileFailure ? err.partial : undefined);
        break;
      }
    }
    if (result) {
      watchTargets(project.file, result);
      countHeals(project.file, result);
      ui({ type: 'pass', why, result });
    }
    if (stopping) return;
    clearTimeout(intervals.get(project.file));
    const every = Math.max(result?.intervalMs ?? 5 * 60_000, MIN_INTERVAL_MS);
    intervals.set(
      project.file,
      setTimeout(() => schedule(project.file, 'interval', 0), every),
    );
  };

  const countHeals = (file: string, result: ReconcileResult) => {
    for (const t of result.targets) {
      const drifted = new Set(driftLeft(t).map((d) => d.server));
      for (const server of t.healed) {
        const start = backoff.healed(keyOf(file, t.target, server), now());
        if (!start) continue;
        const event = {
          project: file,
          target: t.target,
          path: t.path,
          server,
          heals: start.heals,
          holdMs: start.holdMs,
        };
        logEvent(world, { event: 'backoff', ...event });
        ui({ type: 'backoff', ...event });
      }
      // An entry held back or healed stays under watch; any other is in place now.
      const prefix = keyOf(file, t.target, '');
      for (const key of backoff.keys())
        if (key.startsWith(prefix) && !drifted.has(key.slice(prefix.length))) backoff.settled(key, now());
    }
  };

  const watchTargets = (file: string, result: ReconcileResult | undefined) => {
    let added = false;
    for (const t of result?.targets ?? []) {
      const set = readers.get(t.path) ?? new Set<string>();
      set.add(file);
      readers.set(t.path, set);
      const folder = dirname(t.path);
      if (!folders.has(folder)) {
        folders.add(folder);
        watcher.add(folder);
        added = true;
      }
    }
    // A change between this pass's read and the new watch starting would go unseen until the
    // interval: one more pass once the watch is surely up.
    if (added) schedule(file, 'watching', WATCH_SETTLE_MS);
  };

  watcher.on('all', (_event, path) => {
    for (const file of readers.get(path) ?? []) schedule(file, `${path} changed`);
  });
  // An unreadable folder or the OS's limit on watches (ENOSPC) leaves the interval passes.
  watcher.on('error', (err) =>
    logEvent(world, { event: 'watch-error', message: (err as Error).message ?? String(err) }),
  );

  ui({ type: 'started', projects: projects.map((p) => p.file) });
  for (const p of projects) schedule(p.file, 'start', 0);

  return {
    stopped,
    close: async () => {
      stopping = true;
      for (const t of [...debounce.values(), ...intervals.values()]) clearTimeout(t);
      await watcher.close();
    },
  };
}
