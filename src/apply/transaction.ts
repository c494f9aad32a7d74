import { dirname } from 'node:path';
import { makeDir } from '../util/make-dir.js';
import { McpformError } from '../errors.js';
import { applyPlanToEntries } from '../plan/compute.js';
import type { TargetPlan } from '../plan/build.js';
import { firstFailure, type ProbeResult, type ProbeSpec } from '../probe/types.js';
import { ensureHashKey } from '../state/hash-key.js';
import { nextOwnership } from './next-ownership.js';
import { writeOwnership } from '../state/ownership.js';
import type { ClientEntry, LiveConfig } from '../targets/types.js';
import { isReadOnly, writeFileAtomic, writeTarget } from '../util/fs.js';
import { createBackup, type BackupMeta } from './backups.js';
import type { Guard } from './guard.js';
import { readNow, rebaseOnto, undoEdits } from './rebase.js';
import type { World } from '../world.js';
import { shellCommand } from '../util/shell-quote.js';

/** The steps of one target's transaction. run.ts calls them in order, inside one guard. */

export interface ApplyHooks {
  /** Health checks to run for the servers written (in parallel); omitted with --no-test. */
  runChecks?: (specs: ProbeSpec[]) => Promise<ProbeResult[]>;
  /** How to check one written server; undefined skips it (test.skip). */
  specFor: (name: string, entry: ClientEntry) => ProbeSpec | undefined;
}

/** What apply did to one target: the value the command prints, and tests inspect. */
export interface Journal {
  target: string;
  path: string;
  /** Absent when nothing was written (ownership-only adoptions). */
  backup?: BackupMeta;
  checks: ProbeResult[];
  summary: TargetPlan['plan']['summary'];
}

/** A target that passed the checks before any write. */
export interface PreparedTarget {
  tp: TargetPlan;
  live: LiveConfig;
  /** Where the bytes go: the file, or the target of its symlink. */
  dest: string;
  original: Buffer | null;
}

/**
 * Before anything is written, for every target: the file may be written (a read-only file is
 * the user saying "do not touch"), and the plan still holds on it (./rebase.ts: the client
 * may have written elsewhere in it meanwhile, not to the entries the plan decided on).
 */
export function prepareTarget(tp: TargetPlan): PreparedTarget {
  const path = tp.plan.target.path;
  const dest = writeTarget(path);
  const now = readNow(tp, dest);
  const live = rebaseOnto(tp, tp.live, now);
  if (tp.plan.changes.length && now.bytes !== null && isReadOnly(dest)) {
    throw new McpformError('READ_ONLY', `${path} is read-only; mcpform will not replace it, and nothing was changed`, {
      hint: `make it writable (${shellCommand(['chmod', 'u+w', dest])}) if mcpform should manage it`,
    });
  }
  return { tp, live, dest, original: now.bytes };
}

/**
 * Right before its own write (or its ownership record), a target reads its file again: an
 * earlier target's health checks may have taken long enough for the client to write it, and
 * two server maps can share one file (an earlier target of this run wrote it). The edit is
 * made on the file as it is now, and the backup holds those bytes (the guard restores in
 * reverse, down to the original).
 */
export function refreshTarget(p: PreparedTarget): PreparedTarget {
  const now = readNow(p.tp, p.dest);
  return { ...p, live: rebaseOnto(p.tp, p.live, now), original: now.bytes };
}

/**
 * Back up, then write the new file atomically. The guard knows the file before the write
 * starts; from the moment the write succeeded, any failure restores it. Returns the file as
 * written, read back.
 */
export async function writeTargetFile(p: PreparedTarget, guard: Guard, world: World): Promise<LiveConfig> {
  const { adapter, plan } = p.tp;
  const path = plan.target.path;
  const backup = await createBackup(
    {
      target: adapter.name,
      path,
      content: p.original,
      hash: p.live.hash,
      environment: plan.environment,
      reason: `apply: ${plan.summary.add} to add, ${plan.summary.change} to change, ${plan.summary.remove} to remove`,
      ownership: p.tp.ownership,
    },
    world,
  );
  const touched = guard.touch({
    target: adapter.name,
    path,
    dest: p.dest,
    original: p.original,
    backup,
    written: false,
  });
  const text = adapter.serialize(p.live, applyPlanToEntries(p.live.entries, plan));
  // What a rollback needs if the client writes the file after us: our bytes, to tell, and
  // our edits, to take out of whatever it wrote.
  touched.wrote = Buffer.from(text);
  touched.undo = () => undoEdits(p.tp, p.dest, p.live.entries);
  // Before the write: one that failed after its rename (a failed fsync of the folder) has
  // changed the file all the same. A file found unchanged is left alone by the rollback.
  touched.written = true;
  try {
    touched.madeDirs = makeDir(dirname(p.dest));
    // A new file may hold secrets: private until the user says otherwise. An existing file keeps its mode.
    await writeFileAtomic(p.dest, text, p.live.exists ? {} : { mode: 0o600 });
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
  return adapter.read(path, p.live.spec);
}

/** Health-check the changed servers exactly as the file now says, not as we meant to write them. */
export async function checkWritten(
  tp: TargetPlan,
  written: LiveConfig,
  hooks: ApplyHooks,
  guard: Guard,
): Promise<ProbeResult[]> {
  if (!hooks.runChecks) return [];
  const specs = tp.plan.changes
    .filter((c) => c.action !== 'delete')
    .map((c) => hooks.specFor(c.server, written.entries[c.server] ?? {}))
    .filter((s): s is ProbeSpec => s !== undefined);
  guard.step = `health checks of ${tp.plan.target.path}`;
  const checks = specs.length ? await guard.race(hooks.runChecks(specs)) : [];
  const failed = checks.filter((r) => !r.ok);
  if (failed.length) {
    throw new McpformError(
      'HEALTH_FAILED',
      failed.map((r) => `${r.server} failed ${firstFailure(r)?.name}: ${firstFailure(r)?.detail}`).join('; '),
      {
        hint: "'mcpform test' reproduces the checks without touching the file",
        data: { checks },
      },
    );
  }
  return checks;
}

/**
 * Ownership after the plan: what was written (or adopted as it is) is owned; deletions and
 * forgotten entries are not. The guard puts the previous record back if the run fails later.
 */
export async function recordOwnership(
  p: PreparedTarget,
  entries: Readonly<Record<string, ClientEntry>>,
  guard: Guard,
  world: World,
): Promise<void> {
  const { plan } = p.tp;
  const touched =
    // The first record of this file whose ownership is not yet saved: with two server maps in
    // one file, each target's record is put back with the write that came before it.
    guard.touchedFiles.find((t) => t.path === plan.target.path && !t.ownershipBefore) ??
    guard.touch({
      target: p.tp.adapter.name,
      path: plan.target.path,
      dest: p.dest,
      original: p.original,
      written: false,
    });
  try {
    // The hash key is made on the first apply; a state dir that cannot hold it fails here, restored.
    const key = ensureHashKey(world);
    await writeOwnership(nextOwnership(p.tp.ownership, plan, entries, { key, now: world.now() }), world);
  } catch (err) {
    throw new McpformError(
      'WRITE_FAILED',
      `cannot record which servers mcpform manages in ${plan.target.path} (${(err as Error).message})`,
      { hint: "mcpform's state dir (MCPFORM_STATE_DIR) must be writable", cause: err },
    );
  }
  // Atomic like the client file: a write that failed left the old record in place.
  touched.ownershipBefore = p.tp.ownership;
}
