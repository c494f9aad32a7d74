import { dirname } from 'node:path';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { verifyPinnedPackages } from '../lock/integrity.js';
import { renderToolChanges } from '../lock/report.js';
import { judgeFingerprint, type FingerprintVerdict } from '../lock/rug-pull.js';
import { pendingLockChanges, pinsFor, saveLock } from '../lock/sync.js';
import type { OpenLock } from '../lock/types.js';
import type { TargetPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { runPlan } from '../plan/run.js';
import { runChecks } from '../probe/checks.js';
import { specFromDesired, specOfEntry } from '../probe/specs.js';
import { checksBehind, type ProbeResult } from '../probe/types.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import type { ClientEntry } from '../targets/types.js';
import { totalSummary } from '../util/summary.js';
import { acquireFileMutex, type HeldMutex } from '../state/file-mutex.js';
import type { World } from '../world.js';
import type { ApplyUi } from './events.js';
import { guarded, type FileOutcome, type Guard } from './guard.js';
import { readSavedPlan, verifySavedPlan } from './saved-plan.js';
import {
  checkWritten,
  prepareTarget,
  recordOwnership,
  refreshTarget,
  writeTargetFile,
  type ApplyHooks,
  type Journal,
  type PreparedTarget,
} from './transaction.js';
import { shellCommand } from '../util/shell-quote.js';
import { realPathOf } from '../util/real-path.js';

export type { ApplyEvent, ApplyUi } from './events.js';

/** What the user asked for: the command's flags, nothing read from the process. */
export interface ApplyRequest {
  /** A saved plan (`plan --out`) to apply exactly. */
  planFile?: string;
  /** mcp.yaml (`-f`); else the saved plan's, else found from the cwd. */
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
  /** mcpform's version, which a saved plan must match. */
  version: string;
  /**
   * Applies only part of each target's plan (reconcile: the drifted owned entries), decided
   * on the plan made under the file locks. Never with a saved plan.
   */
  narrow?: (tp: TargetPlan) => Plan;
}

export interface ApplyResult {
  environment: string;
  journals: Journal[];
  summary: { add: number; change: number; remove: number };
  /** Whether mcp.lock was written. */
  lockWritten: boolean;
}

/**
 * `mcpform apply` (and watch): load -> lock -> pins -> plan -> confirm -> transaction ->
 * mcp.lock, all inside one guard (./guard.ts): until mcp.lock is saved, any failure or signal
 * puts every file back. The locks are released only after that. Apply runs its own health
 * checks; `ui` hears of each step (events) and answers the one question.
 */
export async function runApply(world: World, req: ApplyRequest, ui: ApplyUi): Promise<ApplyResult> {
  const saved = req.planFile ? readSavedPlan(req.planFile) : undefined;
  if (saved && req.environment && req.environment !== saved.environment) {
    throw new McpformError(
      'INVALID_PLAN',
      `the plan was made for environment '${saved.environment}', not '${req.environment}'`,
    );
  }
  const mutexes: HeldMutex[] = [];
  try {
    return await guarded({ what: 'apply', world }, async (guard) => {
      guard.step = 'loading mcp.yaml';
      const {
        state,
        targets: planned,
        lock: mcpLock,
      } = await runPlan(
        world,
        {
          file: req.file ?? saved?.config.file,
          environment: saved?.environment ?? req.environment,
          target: req.target,
          prune: saved ? saved.options.prune : req.prune,
          frozenLockfile: req.frozenLockfile,
        },
        {
          // The file mutexes first, then plan: what we show is what we apply, and nobody writes in between.
          loaded: async (state) => {
            guard.step = 'waiting for the lock on the client files';
            for (const path of targetFiles(state, req.target, world)) {
              const mutex = acquireFileMutex(path, { world, command: `apply -e ${state.environment}` });
              // Even if a signal wins the race, the mutex is released (its holder dies soon after, at worst).
              mutex.then(
                (m) => mutexes.push(m),
                () => undefined, // raced below
              );
              await guard.race(mutex);
            }
            // Missing pins are resolved now, but mcp.lock is written only once the apply succeeded.
            guard.step = 'resolving package versions';
          },
          wait: (p) => guard.race(p),
          keepLockOpen: true,
        },
      );
      const narrow = saved ? undefined : req.narrow;
      const targets = narrow ? planned.map((tp) => ({ ...tp, plan: narrow(tp) })) : planned;
      if (saved) verifySavedPlan(saved, state, targets, req.version);
      await ui.on({ type: 'planned', plans: targets.map((t) => t.plan) });
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
      // Every target is checked (the plan still holds on its file, writable) before the first write.
      const prepared = work.map(prepareTarget);
      const journals = await transact(prepared, state, mcpLock, req, world, ui, guard);
      guard.step = 'writing mcp.lock';
      const lockWritten = await saveLock(mcpLock, state, Boolean(req.frozenLockfile), { world });
      return { environment: state.environment, journals, summary: totalSummary(journals), lockWritten };
    });
  } catch (err) {
    const rolledBack = rollbackOf(err);
    if (rolledBack) await ui.on({ type: 'rolled-back', ...rolledBack });
    throw err;
  } finally {
    await Promise.all(mutexes.map((m) => m.release()));
  }
}

/**
 * One mutex per file: two targets in one file (Claude Code's local scope beside a target on
 * ~/.claude.json), also through a symlink, must not wait for each other.
 */
function targetFiles(state: DesiredState, target: string | undefined, world: World): string[] {
  const byRealPath = new Map<string, string>();
  for (const spec of selectTargets(state.targets, target)) {
    const path = adapterFor(spec.name).resolvePath(spec, world);
    if (!byRealPath.has(realPathOf(path))) byRealPath.set(realPathOf(path), path);
  }
  return [...byRealPath.values()];
}

/** What a failure after a write put back (guard.ts), and the checks it concerns. */
function rollbackOf(err: unknown): { files: readonly FileOutcome[]; checks: readonly ProbeResult[] } | undefined {
  if (!(err instanceof McpformError) || (err.code !== 'ROLLED_BACK' && err.code !== 'INTERRUPTED')) return undefined;
  const files = err.data?.files;
  return files ? { files, checks: checksBehind(err) ?? [] } : undefined;
}

/** Write and check every target, then the fingerprint verdicts, then record ownership of them all. */
async function transact(
  prepared: PreparedTarget[],
  state: DesiredState,
  mcpLock: OpenLock,
  req: ApplyRequest,
  world: World,
  ui: ApplyUi,
  guard: Guard,
): Promise<Journal[]> {
  const journals: Journal[] = [];
  const verdicts: FingerprintVerdict[] = [];
  const entries = new Map<PreparedTarget, Readonly<Record<string, ClientEntry>>>();
  for (const p of prepared) {
    guard.check();
    const { plan } = p.tp;
    // Read again right before this target's own write: not from a snapshot taken before the
    // earlier targets' checks (./rebase.ts).
    const fresh = refreshTarget(p);
    if (plan.changes.length === 0) {
      entries.set(p, fresh.live.entries);
      journals.push({ target: p.tp.adapter.name, path: plan.target.path, checks: [], summary: plan.summary });
      continue;
    }
    guard.step = `writing ${plan.target.path}`;
    const written = await writeTargetFile(fresh, guard, world);
    guard.check();
    const checks = await checkWritten(p.tp, written, hooksFor(p.tp, state, mcpLock, req, world, ui, verdicts), guard);
    entries.set(p, written.entries);
    const backup = guard.touchedFiles.filter((t) => t.path === plan.target.path).pop()?.backup;
    journals.push({ target: p.tp.adapter.name, path: plan.target.path, backup, checks, summary: plan.summary });
  }
  guard.step = 'comparing tool fingerprints with mcp.lock';
  await decideFingerprints(verdicts, journals, req, ui);
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
 * Rug-pull protection, decided on the verdicts the checks' progress lines showed: a server
 * whose tools changed since mcp.lock recorded them fails the apply until `mcpform lock
 * --update SERVER` accepts the change; one whose tools cannot be recorded is refused.
 */
async function decideFingerprints(
  verdicts: readonly FingerprintVerdict[],
  journals: readonly Journal[],
  req: ApplyRequest,
  ui: ApplyUi,
): Promise<void> {
  const checks = journals.flatMap((j) => j.checks);
  const refused = verdicts.find((v) => v.refused)?.refused;
  if (refused) throw refused;
  const changed = verdicts.flatMap((v) => (v.changed ? [v.changed] : []));
  if (changed.length) {
    const names = changed.map((c) => c.server);
    await ui.on({ type: 'notice', text: await renderToolChanges(changed) });
    throw new McpformError(
      'FINGERPRINT_CHANGED',
      `the tools of ${names.join(', ')} changed since mcp.lock recorded them (rug-pull protection)`,
      {
        hint: `review the changes above and accept them with '${shellCommand(['mcpform', 'lock', '--update', ...names])}'`,
        data: { checks, toolChanges: changed },
      },
    );
  }
  const recorded = verdicts.filter((v) => v.recorded).map((v) => v.result.server);
  if (req.frozenLockfile && recorded.length)
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock has no tool fingerprint for ${recorded.join(', ')}, and --frozen-lockfile forbids writing it`,
      { hint: "run 'mcpform lock' and commit mcp.lock", data: { checks } },
    );
}

/** How one target's written servers are checked: as its client starts them, each result judged once. */
function hooksFor(
  tp: TargetPlan,
  state: DesiredState,
  mcpLock: OpenLock,
  req: ApplyRequest,
  world: World,
  ui: ApplyUi,
  verdicts: FingerprintVerdict[],
): ApplyHooks {
  const declared = new Map(state.servers.map((s) => [s.name, s]));
  const declaredNames = new Set(declared.keys());
  return {
    runChecks:
      req.test === false
        ? undefined
        : async (specs) => {
            await ui.on({
              type: 'notice',
              text: `\nChecking ${specs.length} changed server${specs.length === 1 ? '' : 's'} with a real MCP handshake...`,
            });
            const judge = async (r: ProbeResult) => {
              const verdict = await judgeFingerprint(mcpLock, declaredNames, r);
              verdicts.push(verdict);
              return verdict.result;
            };
            return (await runChecks(specs, world, { judge }, (e) => ui.on(e))).raw;
          },
    specFor: (name, entry) => {
      const server = declared.get(name);
      if (server?.test.skip) return undefined;
      // Remote servers are checked at their URL; the mcp-remote bridge is the client's business.
      if (server?.kind === 'url') return specFromDesired(server, tp.adapter, pinsFor(mcpLock, state), world);
      // Started as the target's client starts servers (its PATH, not the shell's).
      return specOfEntry(name, tp.adapter.toCanonical(entry, world.env), server, {
        adapter: tp.adapter,
        world,
        projectDir: dirname(state.file),
      });
    },
  };
}
