import { listBackups } from '../../apply/backups.js';
import { renderColumns } from '../../util/table.js';
import type { Context } from '../context.js';
import { backupsDocument } from '../documents.js';
import { print, printJson } from '../output.js';
import { visible } from '../../util/sanitize.js';

export default async function backups(ctx: Context): Promise<void> {
  const all = listBackups(ctx.world);
  if (ctx.opts.json) return printJson(backupsDocument(all));
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
