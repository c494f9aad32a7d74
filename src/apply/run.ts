import { findConfig } from '../config/find.js';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { verifyPinnedPackages } from '../lock/integrity.js';
import { renderToolChanges } from '../lock/report.js';
import { previewFingerprint } from '../lock/rug-pull.js';
import { checkFingerprints, ensurePins, openLock, pendingLockChanges, pinsFor, saveLock } from '../lock/sync.js';
import { readGitPins } from '../lock/git-pins.js';
import type { OpenLock } from '../lock/types.js';
import { buildPlans, type TargetPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { secretValues, specFromDesired, specFromEntry } from '../probe/specs.js';
import type { ProbeResult, ProbeSpec } from '../probe/types.js';
import { adapterFor, clientCatalog, selectTargets } from '../targets/index.js';
import type { ClientEntry } from '../targets/types.js';
import { totalSummary } from '../util/summary.js';
import type { World } from '../world.js';
import { guarded, type Guard, type SignalSource } from './guard.js';
import { acquireFileMutex, type HeldMutex } from '../state/file-mutex.js';
import { readSavedPlan, verifySavedPlan } from './saved-plan.js';
import {
  checkWritten,
  prepareTarget,
  recordOwnership,
  reprepare,
  writeTargetFile,
  type ApplyHooks,
  type Journal,
  type PreparedTarget,
} from './transaction.js';

/** What the user asked for: the command's flags, nothing read from the process. */
export interface ApplyRequest {
  /** A saved plan (`plan --out`) to apply exactly. */
  planFile?: string;
  /** mcp.yaml (`-f`); else the saved plan's, else found from `cwd`. */
  file?: string;
  /** The environment name (`-e`). */
  environment?: string;
  target?: string;
  yes?: boolean;
  /** false: --no-test. */
  test?: boolean;
  prune?: boolean;
  allowEmpty?: boolean;
  frozenLockfile?: boolean;
}

/**
 * The World apply runs in (the CLI context's), so tests can run it in-process; servers are
 * checked in the environment the target's client gives them on its platform.
 */
export interface ApplyWorld extends World {
  /** mcpform's version, which a saved plan must match. */
  version: string;
  /** Where SIGINT, SIGTERM and SIGHUP come from (default: the process). */
  signals?: SignalSource;
}

/** How apply talks to the person running it: the CLI prints, tests record. */
export interface ApplyUi {
  /** The plan, before anything is asked or written. */
  showPlan(plans: readonly Plan[]): Promise<void> | void;
  /** Resolves on yes; throws NOT_CONFIRMED otherwise. Not called with --yes or when only ownership changes. */
  confirm(question: string): Promise<void>;
  /**
   * The health checks (the CLI shows their progress). `verdict` is what apply will make of
   * each result (the rug-pull comparison), for the progress line; the results go back as run.
   */
  runChecks(specs: ProbeSpec[], verdict?: (result: ProbeResult) => Promise<ProbeResult>): Promise<ProbeResult[]>;
  /** Progress and reports for a person (stderr in the CLI). */
  notice(text: string): void;
}

export interface ApplyResult {
  environment: string;
  journals: Journal[];
  summary: { add: number; change: number; remove: number };
  /** Whether mcp.lock was written. */
  lockWritten: boolean;
}

/**
 * `mcpform apply` (and watch): file mutexes -> pins -> plan -> confirm -> transaction -> mcp.lock,
 * all inside one guard (./guard.ts): until mcp.lock is saved, any failure or signal puts
 * every file back. The file mutexes are released only after that.
 */
export async function runApply(req: ApplyRequest, world: ApplyWorld, ui: ApplyUi): Promise<ApplyResult> {
  const saved = req.planFile ? readSavedPlan(req.planFile) : undefined;
  if (saved && req.environment && req.environment !== saved.environment) {
    throw new McpformError(
      'INVALID_PLAN',
      `the plan was made for environment '${saved.environment}', not '${req.environment}'`,
    );
  }
  const file = await findConfig(req.file ?? saved?.config.file, world);
  const { loadDesiredWithImports } = await import('../config/load.js');
  const state = await loadDesiredWithImports(file, {
    environment: saved?.environment ?? req.environment,
    world: world,
    git: { frozen: req.frozenLockfile },
    clients: clientCatalog,
    gitPins: readGitPins,
  });
  const prune = saved ? saved.options.prune : req.prune;

  const mutexes: HeldMutex[] = [];
  try {
    return await guarded({ what: 'apply', signals: world.signals, world }, async (guard) => {
      // The file mutexes first, then plan: what we show is what we apply, and nobody writes in between.
      guard.step = 'waiting for the lock on the client files';
      // One mutex per file: two targets in one file (Claude Code's local scope beside a target
      // on ~/.claude.json) must not wait for each other.
      const paths = selectTargets(state.targets, req.target).map((spec) =>
        adapterFor(spec.name).resolvePath(spec, world),
      );
      for (const path of new Set(paths)) {
        const mutex = acquireFileMutex(path, { world, command: `apply -e ${state.environment}` });
        // Even if a signal wins the race, the mutex is released (its holder dies soon after, at worst).
        mutex.then(
          (l) => mutexes.push(l),
          () => undefined, // raced below
        );
        await guard.race(mutex);
      }
      // Missing pins are resolved now, but mcp.lock is written only once the apply succeeded.
      guard.step = 'resolving package versions';
      const mcpLock = openLock(state);
      await guard.race(ensurePins(mcpLock, state, { frozen: req.frozenLockfile, world }));
      const targets = buildPlans(state, world, { target: req.target, prune, pins: pinsFor(mcpLock, state) });
      if (saved) verifySavedPlan(saved, state, targets, world.version);
      await ui.showPlan(targets.map((t) => t.plan));
      refuseEmpty(targets, state, req.allowEmpty);
      const work = targets.filter((t) => t.plan.changes.length || t.plan.forgotten.length || t.plan.adoptions.length);
      if (req.frozenLockfile) refuseLockChanges(mcpLock, state, work, req.test !== false);
      // What will be installed (by the checks, or by the client) must be what mcp.lock pins.
      guard.step = 'verifying pinned packages with the registry';
      const installs = work.flatMap((t) => t.plan.changes.filter((c) => c.action !== 'delete').map((c) => c.server));
      await guard.race(verifyPinnedPackages(mcpLock, state, installs, world));
      if (work.length && !req.yes && work.some((t) => t.plan.changes.length)) {
        guard.step = 'waiting for confirmation';
        await guard.race(ui.confirm('Do you want to perform these actions?'));
      }
      // Every target is checked (unchanged since the plan, writable) before the first write.
      const prepared = work.map(prepareTarget);
      const journals = await transact(prepared, state, mcpLock, req, world, ui, guard);
      guard.step = 'writing mcp.lock';
      const lockWritten = await saveLock(mcpLock, state, Boolean(req.frozenLockfile), { world });
      return { environment: state.environment, journals, summary: totalSummary(journals), lockWritten };
    });
  } finally {
    await Promise.all(mutexes.map((l) => l.release()));
  }
}

/** Write and check every target, then the fingerprints, then record ownership of them all. */
async function transact(
  prepared: PreparedTarget[],
  state: DesiredState,
  mcpLock: OpenLock,
  req: ApplyRequest,
  world: ApplyWorld,
  ui: ApplyUi,
  guard: Guard,
): Promise<Journal[]> {
  const journals: Journal[] = [];
  const entries = new Map<PreparedTarget, Readonly<Record<string, ClientEntry>>>();
  for (const p of prepared) {
    guard.check();
    const { plan } = p.tp;
    if (plan.changes.length === 0) {
      entries.set(p, p.live.entries);
      journals.push({ target: p.tp.adapter.name, path: plan.target.path, checks: [], summary: plan.summary });
      continue;
    }
    guard.step = `writing ${plan.target.path}`;
    const sharesFile = guard.touchedFiles.some((t) => t.path === plan.target.path && t.written);
    const written = await writeTargetFile(sharesFile ? reprepare(p) : p, guard, world);
    guard.check();
    const checks = await checkWritten(p.tp, written, hooksFor(p.tp, state, mcpLock, req, ui, world), guard);
    entries.set(p, written.entries);
    const backup = guard.touchedFiles.filter((t) => t.path === plan.target.path).pop()?.backup;
    journals.push({ target: p.tp.adapter.name, path: plan.target.path, backup, checks, summary: plan.summary });
  }
  guard.step = 'comparing tool fingerprints with mcp.lock';
  await verifyFingerprints(journals, state, mcpLock, req, ui);
  guard.step = 'recording ownership';
  for (const p of prepared) {
    guard.check();
    await recordOwnership(p, entries.get(p)!, guard, world);
  }
  guard.check();
  return journals;
}

function refuseEmpty(targets: TargetPlan[], state: DesiredState, allowEmpty?: boolean): void {
  const empty = targets.filter((t) => t.plan.removesEverything);
  if (empty.length && !allowEmpty) {
    throw new McpformError(
      'EMPTY_PLAN_REFUSED',
      `this would remove every server mcpform manages in ${empty.map((t) => t.plan.target.path).join(', ')}; nothing was changed`,
      { hint: `check the environment ('${state.environment}'); if you mean it, re-run with --allow-empty` },
    );
  }
}

/**
 * --frozen-lockfile, decided before anything is written: mcp.lock must not change, and
 * every server the checks will run must already have its tool fingerprint recorded.
 */
function refuseLockChanges(open: OpenLock, state: DesiredState, work: TargetPlan[], testing: boolean): void {
  const hint = "run 'mcpform lock' and commit mcp.lock";
  const pending = pendingLockChanges(open, state);
  if (pending.length)
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock would change (${pending.join('; ')}), and --frozen-lockfile forbids writing it; nothing was changed`,
      { hint },
    );
  if (!testing) return;
  const declared = new Map(state.servers.map((s) => [s.name, s]));
  const unrecorded = [
    ...new Set(
      work.flatMap((t) =>
        t.plan.changes
          .filter((c) => c.action !== 'delete' && declared.has(c.server) && !declared.get(c.server)!.test.skip)
          .map((c) => c.server),
      ),
    ),
  ].filter((name) => !open.lock.servers[name]?.tools);
  if (unrecorded.length)
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock has no tool fingerprint for ${unrecorded.join(', ')}, and --frozen-lockfile forbids writing it; nothing was changed`,
      { hint },
    );
}

/**
 * Rug-pull protection: a server whose tools changed since mcp.lock recorded them fails the
 * apply until `mcpform lock --update SERVER` accepts the change.
 */
async function verifyFingerprints(
  journals: Journal[],
  state: DesiredState,
  mcpLock: OpenLock,
  req: ApplyRequest,
  ui: ApplyUi,
): Promise<void> {
  const checks = journals.flatMap((j) => j.checks);
  const report = checkFingerprints(mcpLock, checks, new Set(state.servers.map((s) => s.name)));
  if (report.changed.length) {
    const names = report.changed.map((c) => c.server);
    ui.notice(await renderToolChanges(report.changed));
    throw new McpformError(
      'FINGERPRINT_CHANGED',
      `the tools of ${names.join(', ')} changed since mcp.lock recorded them (rug-pull protection)`,
      {
        hint: `review the changes above and accept them with 'mcpform lock --update ${names.join(' ')}'`,
        data: { checks, toolChanges: report.changed },
      },
    );
  }
  if (req.frozenLockfile && report.recorded.length)
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock has no tool fingerprint for ${report.recorded.join(', ')}, and --frozen-lockfile forbids writing it`,
      { hint: "run 'mcpform lock' and commit mcp.lock", data: { checks } },
    );
}

function hooksFor(
  tp: TargetPlan,
  state: DesiredState,
  mcpLock: OpenLock,
  req: ApplyRequest,
  ui: ApplyUi,
  world: ApplyWorld,
): ApplyHooks {
  const declared = new Map(state.servers.map((s) => [s.name, s]));
  return {
    runChecks:
      req.test === false
        ? undefined
        : (specs) => {
            ui.notice(
              `\nChecking ${specs.length} changed server${specs.length === 1 ? '' : 's'} with a real MCP handshake...`,
            );
            const declaredNames = new Set(declared.keys());
            return ui.runChecks(specs, (r) => previewFingerprint(mcpLock, declaredNames, r));
          },
    specFor: (name, entry) => {
      const server = declared.get(name);
      if (server?.test.skip) return undefined;
      // Remote servers are checked at their URL; the mcp-remote bridge is the client's business.
      if (server?.kind === 'url') return specFromDesired(server, tp.adapter, pinsFor(mcpLock, state), world);
      return specFromEntry(
        name,
        tp.adapter.toCanonical(entry, world.env),
        server
          ? {
              timeoutMs: server.test.timeoutMs,
              expectTools: server.test.expectTools,
              call: server.test.call,
              secrets: secretValues(server),
            }
          : {},
        // Started as the target's client starts servers (its PATH, not the shell's).
        { adapter: tp.adapter, world },
      );
    },
  };
}
