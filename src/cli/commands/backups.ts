import { backupScope, inScope } from '../../apply/backup-scope.js';
import { listBackups } from '../../apply/backups.js';
import { renderColumns } from '../../util/table.js';
import type { Context } from '../context.js';
import { backupsDocument } from '../documents.js';
import { print, printJson } from '../output.js';
import { visible } from '../../util/sanitize.js';

export default async function backups(ctx: Context, flags: { all?: boolean }): Promise<void> {
  const scope = await backupScope(ctx.world, { file: ctx.opts.file, target: ctx.opts.target, all: flags.all });
  const all = listBackups(ctx.world).filter((b) => inScope(scope, b));
  if (ctx.opts.json) return printJson(backupsDocument(all));
  if (scope.kind === 'project')
    print(`Backups of the client files ${visible(scope.file)} targets ('--all': every backup):`);
  else if (scope.why === 'no-project') print('No mcp.yaml here: every backup on this machine.');
  else if (scope.why === 'unreadable') print(`${visible(scope.problem)}: every backup on this machine.`);
  if (all.length === 0) return print('No backups yet. mcpform makes one before every apply and rollback.');
  const rows = [
    ['ID', 'CREATED', 'ENV', 'FILE', 'REASON'],
    // Paths and environment names come from mcp.yaml and the state dir: shown, never obeyed.
    ...all.map((b) => [
      b.id,
      b.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      visible(b.environment ?? '-'),
      visible(b.existed ? b.path : `${b.path} (did not exist)`),
      visible(b.reason),
    ]),
  ];
  print(renderColumns(rows));
  print(`\nRestore one with: mcpform rollback ID   (the newest: mcpform rollback)`);
}
