import { visible } from '../util/sanitize.js';
import type { InitResult, ManagedElsewhere } from './init.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What `mcpform init` wrote and what to do next, for a person. */
export function renderInitText(r: InitResult): string[] {
  if (r.kind === 'starter') return [`Wrote ${r.path}. Next: 'mcpform plan' to see what it would change.`];
  const secrets = Object.keys(r.imported.secrets);
  const moved = secrets.length
    ? [
        `Moved ${plural(secrets.length, 'secret value')} into ${r.envPath} (mode 0600, git-ignored): ${secrets.join(', ')}.`,
      ]
    : [];
  if (r.kind === 'claude-desktop') {
    const { servers, skipped, notes } = r.imported;
    return [
      `Imported ${plural(servers.length, 'server')} from ${r.source} into ${r.path}: ${servers.map(visible).join(', ') || '(none)'}.`,
      ...moved,
      ...elsewhere(r.elsewhere),
      ...skipped.map((s) => `Skipped ${visible(s.name)}: ${visible(s.why)}.`),
      ...notes.map((n) => `Note: ${visible(n.name)}: ${visible(n.note)}.`),
      "Next: 'mcpform plan' should say \"No changes.\"; the first 'mcpform apply' adopts these servers without changing the file.",
    ];
  }
  const { servers, conflicts, skipped, notes } = r.imported;
  const out = [
    `Imported ${plural(servers.length, 'server')} from ${plural(r.sources.length, 'client')} into ${r.path}:`,
  ];
  for (const s of r.sources) {
    const own = servers.filter((x) => x.clients.includes(s.adapter.name)).map((x) => x.name);
    out.push(`  ${s.adapter.name} (${visible(s.path)}): ${own.map(visible).join(', ') || '(none)'}`);
  }
  out.push(...moved);
  for (const c of conflicts) {
    const [first, ...others] = c.variants;
    out.push(
      `Conflict: '${visible(c.server)}' is defined differently in ${first!.clients.join(', ')} and ${others.map((v) => v.clients.join(', ')).join('; ')}.`,
      `  kept as ${visible(first!.name)} for ${first!.clients.join(', ')}`,
    );
    for (const v of others)
      out.push(
        `  kept as ${visible(v.name)}, applied nowhere yet: ${v.clients.join(', ')} still call${v.clients.length === 1 ? 's' : ''} it '${visible(c.server)}'. To manage it, rename that entry to '${visible(v.name)}' in the client's file and add it to targets.${v.clients[0]}.servers.`,
      );
  }
  out.push(...elsewhere(r.elsewhere));
  for (const u of r.unreadable) out.push(`Skipped ${u.client}: ${visible(u.why)}`);
  for (const s of skipped) out.push(`Skipped ${s.client} ${visible(s.name)}: ${s.why}.`);
  for (const n of notes) out.push(`Note: ${n.client} ${visible(n.name)}: ${n.note}.`);
  out.push(
    "Next: 'mcpform plan' should say \"No changes.\" for every client; the first 'mcpform apply' adopts these servers without changing the files.",
  );
  return out;
}

/** Entries left out because another project manages them, and the ways out. */
function elsewhere(left: readonly ManagedElsewhere[]): string[] {
  if (left.length === 0) return [];
  return [
    ...left.map(
      (l) => `Left out ${l.client} ${visible(l.name)}: ${visible(l.owner)} manages it (an entry has one owner).`,
    ),
    "  To manage it from here instead: remove it from that mcp.yaml, run 'mcpform apply' there, then 'mcpform init --import --force' here.",
  ];
}
