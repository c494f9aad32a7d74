import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { McpformError } from '../errors.js';
import { STATE_DIR_HINT, stateDir } from '../state/dirs.js';
import { makeOwnDir } from '../util/make-dir.js';
import type { Ownership } from '../state/ownership.js';
import { writeFileAtomic } from '../util/fs.js';
import type { World } from '../world.js';

export const KEEP_BACKUPS = 20;

export interface BackupMeta {
  id: string;
  createdAt: string;
  target: string;
  path: string;
  /** Whether the client file existed; restoring a backup of "absent" removes the file. */
  existed: boolean;
  mode?: number;
  hash: string | null;
  environment?: string;
  /** Why: "apply: 1 to add, 0 to change, 0 to remove" or "rollback to <id>". */
  reason: string;
  /** Ownership as it was, restored with the file so plan stays truthful. */
  ownership?: Ownership;
}

function backupsDir(world: World): string {
  return join(stateDir(world), 'backups');
}

/** Time-sortable id: 20261124T194910123Z-a1b2. */
function newId(at: Date): string {
  return `${at.toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
}

/**
 * Copies the client file's exact bytes into the state dir (mode 0600: it holds what the
 * client file holds, secrets included), then prunes to the newest KEEP_BACKUPS.
 */
export async function createBackup(
  input: {
    target: string;
    path: string;
    content: Buffer | null;
    hash: string | null;
    environment?: string;
    reason: string;
    ownership?: Ownership;
  },
  world: World,
): Promise<BackupMeta> {
  const at = world.now();
  const id = newId(at);
  const dir = join(backupsDir(world), id);
  makeOwnDir(dir, 'the backups folder', STATE_DIR_HINT);
  chmodSync(backupsDir(world), 0o700);
  let mode: number | undefined;
  if (input.content !== null) {
    mode = statSync(input.path).mode & 0o777;
    await writeFileAtomic(join(dir, 'content'), input.content, { mode: 0o600 });
  }
  const meta: BackupMeta = {
    id,
    createdAt: at.toISOString(),
    target: input.target,
    path: input.path,
    existed: input.content !== null,
    mode,
    hash: input.hash,
    environment: input.environment,
    reason: input.reason,
    ownership: input.ownership,
  };
  await writeFileAtomic(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600 });
  pruneBackups(world);
  return meta;
}

export function listBackups(world: World): BackupMeta[] {
  const dir = backupsDir(world);
  if (!existsSync(dir)) return [];
  const out: BackupMeta[] = [];
  for (const id of readdirSync(dir).sort().reverse()) {
    try {
      out.push(JSON.parse(readFileSync(join(dir, id, 'meta.json'), 'utf8')) as BackupMeta);
    } catch {
      // a backup interrupted before its meta was written is not a backup
    }
  }
  return out;
}

export function readBackupContent(meta: BackupMeta, world: World): Buffer | null {
  if (!meta.existed) return null;
  return readFileSync(join(backupsDir(world), meta.id, 'content'));
}

/**
 * The backup named by `id` (or a unique prefix of it), from every backup on the machine; with
 * no id, the newest of those `mine` accepts (the current project's files, apply/backup-scope.ts).
 */
export function findBackup(
  id: string | undefined,
  world: World,
  mine: (b: BackupMeta) => boolean = () => true,
): BackupMeta {
  const all = listBackups(world);
  if (all.length === 0)
    throw new McpformError('NO_BACKUP', 'there are no backups yet; mcpform makes one before every apply');
  if (!id) {
    const newest = all.find(mine);
    if (!newest)
      throw new McpformError('NO_BACKUP', "there are no backups of this project's client files", {
        hint: "'mcpform backups --all' lists every backup on this machine; restore one by its id",
      });
    return newest;
  }
  const hit = all.filter((b) => b.id === id || b.id.startsWith(id));
  if (hit.length !== 1)
    throw new McpformError(
      'NO_BACKUP',
      hit.length ? `backup id '${id}' is ambiguous` : `no backup '${id}'; see 'mcpform backups'`,
    );
  return hit[0]!;
}

function pruneBackups(world: World): void {
  const dir = backupsDir(world);
  const ids = readdirSync(dir).sort();
  for (const id of ids.slice(0, Math.max(0, ids.length - KEEP_BACKUPS)))
    rmSync(join(dir, id), { recursive: true, force: true });
}
