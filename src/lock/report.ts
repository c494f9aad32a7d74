import { describeToolChange, type ToolChange } from './fingerprint.js';

/** The rug-pull report: per server, each tool that was added, removed or changed. */
export function renderToolChanges(changed: readonly { server: string; changes: readonly ToolChange[] }[]): string {
  const out: string[] = [];
  for (const c of changed) {
    out.push(`${c.server}: its tools changed since mcp.lock recorded them:`);
    for (const ch of c.changes) out.push(`  ${describeToolChange(ch)}`);
  }
  return out.join('\n');
}
