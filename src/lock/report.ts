import { visible } from '../util/sanitize.js';
import { describeToolChanges, type ToolChange } from './fingerprint.js';
import type { LockResult } from './run.js';

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

/** What `mcpform lock` did, for a person: pins, tools accepted and recorded, the file. */
export async function renderLockText(result: LockResult): Promise<string[]> {
  const out: string[] = [];
  // A moved import's pin is on its own line already, in the review printed before the checks.
  const shown = (p: string) => result.imports?.some((c) => p.startsWith(`${c.key}: `));
  for (const p of result.pinned) if (!shown(p)) out.push(`pinned ${visible(p)}`);
  if (result.accepted.length) out.push(`accepted tool changes:\n${await renderToolChanges(result.accepted)}`);
  const accepted = new Set(result.accepted.map((a) => a.server));
  for (const s of result.recorded.filter((s) => !accepted.has(s))) out.push(`recorded the tools of ${visible(s)}`);
  for (const s of result.unrecorded)
    out.push(
      `could not record the tools of ${visible(s)}: its handshake failed (above); mcp.lock has no fingerprint of it yet`,
    );
  for (const s of result.skipped) out.push(`skipped ${visible(s)} (test: { skip: true }): no tool fingerprint`);
  out.push(result.written ? `Wrote ${visible(result.path)}.` : `${visible(result.path)} is up to date.`);
  return out;
}
