import { findConfig } from '../../config/find.js';
import { McpformError } from '../../errors.js';
import { lockTarget, type HeldLock } from '../../apply/lock.js';
import { readSavedPlan, verifySavedPlan } from '../../apply/saved-plan.js';
import { applyPlan, type ApplyHooks, type Journal } from '../../apply/transaction.js';
import type { DesiredState } from '../../config/types.js';
import { renderToolChanges } from '../../lock/report.js';
import { checkFingerprints, ensurePins, openLock, pinsFor, saveLock, type OpenLock } from '../../lock/sync.js';
import { buildPlans, type TargetPlan } from '../../plan/build.js';
import { renderPlanText } from '../../plan/render-text.js';
import { renderFailures } from '../../probe/report.js';
import { specFromDesired, specFromEntry } from '../../probe/specs.js';
import type { ProbeResult } from '../../probe/types.js';
import { adapterFor, selectTargets } from '../../targets/index.js';
import type { ClientEntry } from '../../targets/types.js';
import { confirm } from '../confirm.js';
import type { Context } from '../context.js';
import { print, printErr, printJson, exitOnInterrupt } from '../output.js';
import { runWithProgress } from '../progress.js';
import { VERSION } from '../version.js';

export interface ApplyFlags {
  yes?: boolean;
  test?: boolean; // commander: --no-test sets test=false
  prune?: boolean;
  allowEmpty?: boolean;
  frozenLockfile?: boolean;
}

export default async function apply(ctx: Context, planFile: string | undefined, flags: ApplyFlags): Promise<void> {
  const saved = planFile ? readSavedPlan(planFile) : undefined;
  if (saved && ctx.environment && ctx.environment !== saved.environment) {
    throw new McpformError(
      'INVALID_PLAN',
      `the plan was made for environment '${saved.environment}', not '${ctx.environment}'`,
    );
  }
  const file = await findConfig(ctx.opts.file ?? saved?.config.file, ctx.cwd);
  const { loadDesired } = await import('../../config/load.js');
  const state = loadDesired(file, { environment: saved?.environment ?? ctx.environment, displayBase: ctx.cwd });
  const prune = saved ? saved.options.prune : flags.prune;
  const json = ctx.opts.json;

  // Lock first, then plan: what we show is what we apply, and nobody writes in between.
  const locks: HeldLock[] = [];
  const release = () => Promise.all(locks.map((l) => l.release()));
  exitOnInterrupt();
  try {
    for (const spec of selectTargets(state.targets, ctx.opts.target)) {
      locks.push(
        await lockTarget(adapterFor(spec.name).resolvePath(spec), { command: `apply -e ${state.environment}` }),
      );
    }
    // Missing pins are resolved now, but mcp.lock is written only once the apply succeeded:
    // a refused or cancelled apply touches nothing.
    const mcpLock = openLock(state);
    await ensurePins(mcpLock, state, { frozen: flags.frozenLockfile });
    const pins = pinsFor(mcpLock, state);
    const targets = buildPlans(state, { target: ctx.opts.target, prune, pins });
    if (saved) verifySavedPlan(saved, state, targets, VERSION);
    const plans = targets.map((t) => t.plan);
    if (!json) print(await renderPlanText(plans, ctx.colors));
    const empty = targets.filter((t) => t.plan.removesEverything);
    if (empty.length && !flags.allowEmpty) {
      throw new McpformError(
        'EMPTY_PLAN_REFUSED',
        `this would remove every server mcpform manages in ${empty.map((t) => t.plan.target.path).join(', ')}; nothing was changed`,
        {
          hint: `check the environment ('${state.environment}'); if you mean it, re-run with --allow-empty`,
        },
      );
    }
    const work = targets.filter((t) => t.plan.changes.length || t.plan.forgotten.length || t.plan.adoptions.length);
    if (work.length === 0) {
      await saveLock(mcpLock, state, flags.frozenLockfile);
      if (json) printJson({ formatVersion: 1, applied: [], summary: { add: 0, change: 0, remove: 0 } });
      return;
    }
    if (work.some((t) => t.plan.changes.length)) await confirm('Do you want to perform these actions?', flags.yes);

    const journals: Journal[] = [];
    for (const tp of work) journals.push(await applyPlan(tp, hooksFor(ctx, tp, state, flags, mcpLock, json)));
    await saveLock(mcpLock, state, flags.frozenLockfile);
    report(ctx, journals, json);
  } catch (err) {
    if (err instanceof McpformError && err.code === 'ROLLED_BACK' && !json) {
      const checks = (err.data?.checks as ProbeResult[] | undefined) ?? [];
      const details = renderFailures(checks);
      if (details) printErr(details.trimStart());
    }
    throw err;
  } finally {
    await release();
  }
}

function hooksFor(
  ctx: Context,
  tp: TargetPlan,
  state: DesiredState,
  flags: ApplyFlags,
  mcpLock: OpenLock,
  json?: boolean,
): ApplyHooks {
  const declared = new Map(state.servers.map((s) => [s.name, s]));
  return {
    // Rug-pull protection: a server whose tools changed since mcp.lock recorded them fails
    // the apply until `mcpform lock --update SERVER` accepts the change.
    verifyChecks: async (results) => {
      const report = checkFingerprints(mcpLock, results, new Set(declared.keys()));
      if (report.changed.length) {
        if (!json) printErr(await renderToolChanges(report.changed));
        return `the tools of ${report.changed.map((c) => c.server).join(', ')} changed since mcp.lock recorded them (rug-pull protection); review the changes above and accept them with 'mcpform lock --update ${report.changed.map((c) => c.server).join(' ')}'`;
      }
      if (flags.frozenLockfile && report.recorded.length)
        return `mcp.lock has no tool fingerprint for ${report.recorded.join(', ')}, and --frozen-lockfile forbids writing it`;
      return undefined;
    },
    runChecks:
      flags.test === false
        ? undefined
        : (specs) => {
            if (!json)
              printErr(
                `\nChecking ${specs.length} changed server${specs.length === 1 ? '' : 's'} with a real MCP handshake...`,
              );
            return runWithProgress(specs, { quiet: json });
          },
    specFor: (name: string, entry: ClientEntry) => {
      const server = declared.get(name);
      if (server?.test.skip) return undefined;
      // Remote servers are checked at their URL; the mcp-remote bridge is Claude's business.
      if (server?.kind === 'url') return specFromDesired(server, tp.adapter, pinsFor(mcpLock, state), ctx);
      return specFromEntry(
        name,
        entry,
        server
          ? { timeoutMs: server.test.timeoutMs, expectTools: server.test.expectTools, call: server.test.call }
          : {},
        // Started as the target's client starts servers (its PATH, not the shell's).
        { adapter: tp.adapter, machine: ctx },
      );
    },
  };
}

function report(ctx: Context, journals: Journal[], json?: boolean): void {
  const total = { add: 0, change: 0, remove: 0 };
  for (const j of journals) {
    total.add += j.summary.add;
    total.change += j.summary.change;
    total.remove += j.summary.remove;
  }
  if (json) {
    printJson({
      formatVersion: 1,
      applied: journals.map((j) => ({
        target: j.target,
        path: j.path,
        backup: j.backup?.id ?? null,
        summary: j.summary,
        checks: j.checks.map((c) => ({
          server: c.server,
          ok: c.ok,
          protocolVersion: c.protocolVersion,
          tools: c.tools.length,
        })),
      })),
      summary: total,
    });
    return;
  }
  print(ctx.colors.green(`\nApply complete! ${total.add} added, ${total.change} changed, ${total.remove} removed.`));
  for (const j of journals) {
    if (j.backup)
      print(`Backup of the previous ${j.path}: ${j.backup.id} (undo with 'mcpform rollback ${j.backup.id}')`);
    else print(`${j.path} was not changed; mcpform now manages the servers it adopted.`);
  }
  if (journals.some((j) => j.target === 'claude-desktop' && j.backup))
    print('Claude Desktop reads its config at start: quit and reopen it to load the changes.');
}
