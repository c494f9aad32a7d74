import { existsSync, readFileSync } from 'node:fs';
import { createBackup, findBackup, readBackupContent } from '../../apply/backups.js';
import { lockTarget } from '../../apply/lock.js';
import { restore } from '../../apply/transaction.js';
import { readOwnership, writeOwnership } from '../../state/ownership.js';
import { sha256 } from '../../targets/json-file.js';
import { confirm } from '../confirm.js';
import type { Context } from '../context.js';
import { print, printJson } from '../output.js';

/** Restores a backup byte-for-byte; the current file is backed up first, so this can be undone too. */
export default async function rollback(ctx: Context, id: string | undefined, flags: { yes?: boolean }): Promise<void> {
  const backup = findBackup(id);
  const lock = await lockTarget(backup.path, { command: `rollback ${backup.id}` });
  try {
    const current = existsSync(backup.path) ? readFileSync(backup.path) : null;
    const content = readBackupContent(backup);
    if (!ctx.opts.json) {
      print(`Restore ${backup.path} to backup ${backup.id}`);
      print(
        `  taken ${backup.createdAt} before: ${backup.reason}${backup.environment ? ` (environment ${backup.environment})` : ''}`,
      );
      print(content === null ? '  the file did not exist then: it will be removed' : `  ${servers(content)}`);
    }
    if (current !== null && content !== null && current.equals(content)) {
      if (!ctx.opts.json) print('The file already has exactly that content. Nothing to do.');
      else printJson({ formatVersion: 1, restored: backup.id, changed: false });
      return;
    }
    await confirm('Do you want to restore this backup?', flags.yes);
    const before = await createBackup({
      target: backup.target,
      path: backup.path,
      content: current,
      hash: current ? sha256(current) : null,
      environment: backup.environment,
      reason: `rollback to ${backup.id}`,
      ownership: readOwnership(backup.target, backup.path),
    });
    await restore(backup.path, content, backup);
    if (backup.ownership) await writeOwnership(backup.ownership);
    if (ctx.opts.json) return printJson({ formatVersion: 1, restored: backup.id, changed: true, undo: before.id });
    print(
      `Rolled back ${backup.path} to backup ${backup.id}. The state before this rollback is backup ${before.id} (undo with 'mcpform rollback ${before.id}').`,
    );
  } finally {
    await lock.release();
  }
}

function servers(content: Buffer): string {
  try {
    const names = Object.keys((JSON.parse(content.toString('utf8')) as { mcpServers?: object }).mcpServers ?? {});
    return names.length ? `servers then: ${names.join(', ')}` : 'no servers then';
  } catch {
    return 'the file then was not valid JSON';
  }
}
