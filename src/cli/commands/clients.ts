import { listClients } from '../../adopt/list-clients.js';
import type { FoundClient } from '../../targets/discover.js';
import { visible } from '../../util/sanitize.js';
import type { Colors } from '../../util/colors.js';
import type { Context } from '../context.js';
import { clientsDocument } from '../documents.js';
import { print, printJson } from '../output.js';

/** `mcpform clients [--json]`: every client found on this machine, its files, who manages what. */
export default async function clients(ctx: Context, flags: { json?: boolean }): Promise<void> {
  const found = await listClients(ctx.world, { file: ctx.opts.file });
  if (flags.json || ctx.opts.json) return printJson(clientsDocument(found));
  if (found.length === 0)
    return print('No MCP client found on this machine (none of their config files or folders exist).');
  for (const f of found) for (const line of clientLines(f, ctx.colors)) print(line);
}

function clientLines(f: FoundClient, c: Colors): string[] {
  const name = f.scope === 'user' ? f.client : `${f.client} (${f.scope})`;
  const out = [`${c.bold(name)}  ${visible(f.path)}`];
  if (f.error) out.push(`    ${c.red('cannot read')}: ${visible(f.error)}`);
  else if (!f.exists) out.push('    no file yet (the client is installed)');
  else if (f.servers === 0) out.push('    no servers');
  for (const m of f.managed)
    out.push(
      `    ${m.servers.length} managed by ${m.by ? visible(m.by) : 'mcpform (mcp.yaml not recorded)'}: ${m.servers.map(visible).join(', ')}`,
    );
  if (f.unmanaged.length) out.push(`    ${f.unmanaged.length} unmanaged: ${f.unmanaged.map(visible).join(', ')}`);
  return out;
}
