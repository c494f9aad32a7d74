import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { McpformError } from '../errors.js';
import { applyPlanToEntries } from '../plan/compute.js';
import type { TargetPlan } from '../plan/build.js';
import { firstFailure, type ProbeResult, type ProbeSpec } from '../probe/types.js';
import { entryHash, writeOwnership, type Ownership } from '../state/ownership.js';
import type { ClientEntry } from '../targets/types.js';
import { writeFileAtomic } from '../util/fs.js';
import { createBackup, type BackupMeta } from './backups.js';

export interface ApplyHooks {
  /** Health checks to run for the servers written (in parallel); omitted with --no-test. */
  runChecks?: (specs: ProbeSpec[]) => Promise<ProbeResult[]>;
  /** How to check one written server; undefined skips it (test.skip). */
  specFor: (name: string, entry: ClientEntry) => ProbeSpec | undefined;
  /** After the checks passed: a reason to roll back anyway (mcp.lock's rug-pull check). */
  verifyChecks?: (results: ProbeResult[]) => Promise<string | undefined>;
  env?: NodeJS.ProcessEnv;
}

/** What apply did: the value the command prints, and tests inspect. */
export interface Journal {
  target: string;
  path: string;
  /** Absent when nothing was written (ownership-only adoptions). */
  backup?: BackupMeta;
  checks: ProbeResult[];
  summary: TargetPlan['plan']['summary'];
}

/**
 * The transaction for one target; the caller holds its lock. Re-read and check the base
 * -> back up -> write atomically -> read back -> health-check what changed -> on failure
 * restore the backup byte-for-byte -> on success record ownership.
 */
export async function applyPlan(tp: TargetPlan, hooks: ApplyHooks): Promise<Journal> {
  const { adapter, plan } = tp;
  const path = plan.target.path;
  if (plan.changes.length === 0) return recordOnly(tp, hooks);
  const live = adapter.read(path);
  if (live.hash !== plan.target.baseHash) {
    throw new McpformError('STALE_PLAN', `${path} changed since the plan was made; nothing was changed`, {
      hint: "run 'mcpform plan' again",
    });
  }
  const original = live.exists ? readFileSync(path) : null;
  const backup = await createBackup(
    {
      target: adapter.name,
      path,
      content: original,
      hash: live.hash,
      environment: plan.environment,
      reason: `apply: ${plan.summary.add} to add, ${plan.summary.change} to change, ${plan.summary.remove} to remove`,
      ownership: tp.ownership,
    },
    hooks.env,
  );

  const text = adapter.serialize(live, applyPlanToEntries(live.entries, plan));
  try {
    mkdirSync(dirname(path), { recursive: true });
    // A new file may hold secrets: private until the user says otherwise. An existing file keeps its mode.
    await writeFileAtomic(path, text, live.exists ? {} : { mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new McpformError(
      'WRITE_FAILED',
      `cannot write ${path} (${code ?? (err as Error).message}); the file was not changed`,
      {
        hint:
          code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
            ? 'the file or its folder is not writable; check permissions'
            : undefined,
        cause: err,
      },
    );
  }

  // Check the servers exactly as the file now says, not as we meant to write them.
  const written = adapter.read(path);
  const changed = plan.changes.filter((c) => c.action !== 'delete').map((c) => c.server);
  let checks: ProbeResult[] = [];
  if (hooks.runChecks) {
    const specs = changed
      .map((name) => hooks.specFor(name, written.entries[name] ?? {}))
      .filter((s): s is ProbeSpec => s !== undefined);
    checks = specs.length ? await hooks.runChecks(specs) : [];
  }
  const failed = checks.filter((r) => !r.ok);
  const rejected = failed.length ? undefined : await hooks.verifyChecks?.(checks);
  if (failed.length || rejected) {
    await restore(path, original, backup);
    const why =
      rejected ??
      failed.map((r) => `${r.server} failed ${firstFailure(r)?.name}: ${firstFailure(r)?.detail}`).join('; ');
    throw new McpformError(
      'ROLLED_BACK',
      `apply failed and was rolled back: ${why}. ${path} is byte-for-byte as before (backup ${backup.id})`,
      {
        hint: "see the details above; 'mcpform test' reproduces the checks without touching the file",
        data: { checks },
      },
    );
  }

  await recordOwnership(tp, written.entries, hooks.env);
  return { target: adapter.name, path, backup, checks, summary: plan.summary };
}

/** Ownership after the plan: what was written (or adopted as it is) is owned; deletions and forgotten entries are not. */
async function recordOwnership(
  tp: TargetPlan,
  entries: Readonly<Record<string, ClientEntry>>,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  const { plan } = tp;
  const ownership: Ownership = {
    formatVersion: 1,
    target: tp.adapter.name,
    path: plan.target.path,
    servers: { ...tp.ownership.servers },
  };
  const now = new Date().toISOString();
  const own = (name: string) =>
    (ownership.servers[name] = { hash: entryHash(entries[name] ?? {}), appliedAt: now, environment: plan.environment });
  for (const c of plan.changes) {
    if (c.action === 'delete') delete ownership.servers[c.server];
    else own(c.server);
  }
  for (const name of plan.adoptions) own(name);
  for (const name of plan.forgotten) delete ownership.servers[name];
  await writeOwnership(ownership, env);
}

/** Nothing to write (only adoptions or forgotten entries): record ownership, touch no file. */
async function recordOnly(tp: TargetPlan, hooks: ApplyHooks): Promise<Journal> {
  const live = tp.adapter.read(tp.plan.target.path);
  if (live.hash !== tp.plan.target.baseHash) {
    throw new McpformError(
      'STALE_PLAN',
      `${tp.plan.target.path} changed since the plan was made; nothing was changed`,
      { hint: "run 'mcpform plan' again" },
    );
  }
  await recordOwnership(tp, live.entries, hooks.env);
  return { target: tp.adapter.name, path: tp.plan.target.path, checks: [], summary: tp.plan.summary };
}

/** Puts the exact original bytes (or the absence of the file) back, and proves it. */
export async function restore(path: string, original: Buffer | null, backup: BackupMeta): Promise<void> {
  if (original === null) {
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return;
  }
  await writeFileAtomic(path, original, backup.mode === undefined ? {} : { mode: backup.mode });
  if (!readFileSync(path).equals(original)) {
    throw new McpformError(
      'WRITE_FAILED',
      `restoring ${path} did not produce the original bytes; the backup is ${backup.id} in the state dir`,
    );
  }
}
