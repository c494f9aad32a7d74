import { backupScope } from '../../apply/backup-scope.js';
import { runRollback, type BackupServers } from '../../apply/rollback.js';
import { confirm } from '../confirm.js';
import type { Context } from '../context.js';
import { rollbackDocument } from '../documents.js';
import { print, printJson } from '../output.js';
import { shellCommand } from '../../util/shell-quote.js';
import { visible } from '../../util/sanitize.js';

/** Restores a backup byte-for-byte; the current file is backed up first, so this can be undone too. */
export default async function rollback(
  ctx: Context,
  id: string | undefined,
  flags: { yes?: boolean; all?: boolean },
): Promise<void> {
  const json = ctx.opts.json;
  const scope = await backupScope(ctx.world, { file: ctx.opts.file, target: ctx.opts.target, all: flags.all });
  const result = await runRollback(
    id,
    ctx.world,
    {
      preview: (backup, then) => {
        if (json) return;
        print(`Restore ${visible(backup.path)} to backup ${backup.id}`);
        print(
          `  taken ${backup.createdAt} before: ${visible(backup.reason)}${backup.environment ? ` (environment ${visible(backup.environment)})` : ''}`,
        );
        print(`  ${describe(then)}`);
      },
      confirm: (question) => confirm(question, flags.yes),
    },
    scope,
  );
  if (json) return printJson(rollbackDocument(result));
  if (!result.changed) return print('The file already has exactly that content. Nothing to do.');
  print(
    `Rolled back ${visible(result.backup.path)} to backup ${result.backup.id}. ` +
      `The state before this rollback is backup ${result.undo!.id} (undo with '${shellCommand(['mcpform', 'rollback', result.undo!.id])}').`,
  );
}

function describe(then: BackupServers): string {
  if (then === null) return 'the file did not exist then: it will be removed';
  if ('problem' in then) return `the file then could not be read: ${visible(then.problem)}`;
  return then.servers.length ? `servers then: ${then.servers.map(visible).join(', ')}` : 'no servers then';
}
