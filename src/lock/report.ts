import { visible } from '../util/mask-terminal.js';
import { describeToolChanges, type ToolChange } from './fingerprint.js';

/** The rug-pull report: per server, each tool that was added, removed or changed. */
export async function renderToolChanges(
  changed: readonly { server: string; changes: readonly ToolChange[] }[],
): Promise<string> {
  const out: string[] = [];
  for (const c of changed) {
    out.push(`${visible(c.server)}: its tools changed since mcp.lock recorded them:`);
    for (const line of await describeToolChanges(c.changes)) out.push(`  ${line}`);
  }
  return out.join('\n');
}
