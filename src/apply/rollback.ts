import { readFileSync, unlinkSync } from 'node:fs';
import { inScope, type BackupScope } from './backup-scope.js';
import { McpformError } from '../errors.js';
import { readOwnership, writeOwnership } from '../state/ownership.js';
import { sha256 } from '../util/hash.js';
import { isReadOnly, writeFileAtomic, writeTarget } from '../util/fs.js';
import type { World } from '../world.js';
import { createBackup, findBackup, readBackupContent, type BackupMeta } from './backups.js';
import { guarded, type SignalSource } from './guard.js';
import { acquireFileMutex } from '../state/file-mutex.js';
import { findAdapter } from '../targets/index.js';
import { shellCommand } from '../util/shell-quote.js';

export interface RollbackWorld extends World {
  /** Where the terminating signals come from (default: the process). */
  signals?: SignalSource;
}

/** What a backup held, as its client reads it: null when the file did not exist then. */
export type BackupServers = { servers: string[] } | { problem: string } | null;

export interface RollbackUi {
  /** What is about to be restored. */
  preview(backup: BackupMeta, then: BackupServers): void;
  confirm(question: string): Promise<void>;
}

export interface RollbackResult {
  backup: BackupMeta;
  /** false: the file already had exactly that content. */
  changed: boolean;
  /** The backup of the file as it was before this rollback. */
  undo?: BackupMeta;
}

/**
 * `mcpform rollback`: restores a backup byte-for-byte, under the file's lock and the same
 * guard as apply. The current file is backed up first, so a rollback can be undone too.
 */
export async function runRollback(
  id: string | undefined,
  world: RollbackWorld,
  ui: RollbackUi,
  scope: BackupScope,
): Promise<RollbackResult> {
  if (!id && scope.kind === 'all' && scope.why !== 'asked') {
    const why = scope.why === 'unreadable' ? `mcp.yaml cannot be read (${scope.problem})` : 'no mcp.yaml here';
    throw new McpformError('USAGE', `${why} to say which client files are yours, so no backup is the newest`, {
      hint: "name the backup ('mcpform backups' lists them) or pass --all for the newest on this machine",
    });
  }
  const backup = findBackup(id, world, (b) => inScope(scope, b));
  const mutex = await acquireFileMutex(backup.path, { world, command: `rollback ${backup.id}` });
  try {
    return await guarded({ what: 'rollback', signals: world.signals, world }, async (guard) => {
      const dest = writeTarget(backup.path);
      const current = readOrNull(dest);
      const content = readBackupContent(backup, world);
      ui.preview(backup, serversIn(backup, content));
      if (current !== null && content !== null && current.equals(content)) return { backup, changed: false };
      if (current === null && content === null) return { backup, changed: false };
      if (current !== null && isReadOnly(dest))
        throw new McpformError('READ_ONLY', `${backup.path} is read-only; nothing was changed`, {
          hint: `make it writable (${shellCommand(['chmod', 'u+w', dest])}) and run again`,
        });
      guard.step = 'waiting for confirmation';
      await guard.race(ui.confirm('Do you want to restore this backup?'));
      guard.step = `restoring ${backup.path}`;
      const ownershipNow = readOwnership(backup.target, backup.path, world, backup.ownership?.serversPath);
      const undo = await createBackup(
        {
          target: backup.target,
          path: backup.path,
          content: current,
          hash: current ? sha256(current) : null,
          environment: backup.environment,
          reason: `rollback to ${backup.id}`,
          ownership: ownershipNow,
        },
        world,
      );
      const touched = guard.touch({
        target: backup.target,
        path: backup.path,
        dest,
        original: current,
        backup: undo,
        written: false,
      });
      touched.written = true; // before: a put that failed half-way is undone too
      await put(dest, content, backup);
      guard.check();
      if (backup.ownership) {
        await writeOwnership(backup.ownership, world);
        touched.ownershipBefore = ownershipNow;
      }
      return { backup, changed: true, undo };
    });
  } finally {
    await mutex.release();
  }
}

/**
 * The servers in a backup, read by the client the backup belongs to (its format, its server
 * map: VS Code's `servers`, Codex's TOML tables, Continue's list...) at the place apply
 * recorded for it (a Claude Code project inside ~/.claude.json).
 */
export function serversIn(backup: BackupMeta, content: Buffer | null): BackupServers {
  if (content === null) return null;
  const adapter = findAdapter(backup.target);
  if (!adapter) return { problem: `no client named '${backup.target}' to read it` };
  try {
    const live = adapter.parse(content, backup.path, { serversPath: backup.ownership?.serversPath });
    return { servers: Object.keys(live.entries) };
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    // The backup is restored as it is, whatever its content: only the reason it cannot be read.
    return { problem: err.message.replace(/; mcpform will not (over)?write it$/, '') };
  }
}

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new McpformError(
      'UNREADABLE',
      `${path} cannot be read (${(err as NodeJS.ErrnoException).code}); nothing was changed`,
    );
  }
}

/** The exact bytes of the backup (or the absence of the file) at `dest`, and proof of it. */
async function put(dest: string, content: Buffer | null, backup: BackupMeta): Promise<void> {
  if (content === null) {
    try {
      unlinkSync(dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return;
  }
  await writeFileAtomic(dest, content, backup.mode === undefined ? {} : { mode: backup.mode });
  if (!readFileSync(dest).equals(content)) {
    throw new McpformError('WRITE_FAILED', `restoring ${backup.path} did not produce the backup's bytes`);
  }
}
