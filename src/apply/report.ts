import type { ChangeSummary } from '../util/summary.js';
import type { ApplyResult } from './run.js';
import { shellCommand } from '../util/shell-quote.js';
import { visible } from '../util/sanitize.js';

/** `apply --json`: the public, versioned shape (docs/reference.md "JSON output"). */
export interface ApplyDocument {
  formatVersion: 1;
  environment: string;
  applied: {
    target: string;
    path: string;
    /** null: nothing was written (ownership-only adoptions). */
    backup: string | null;
    summary: ChangeSummary;
    checks: { server: string; ok: boolean; protocolVersion: string | undefined; tools: number }[];
  }[];
  summary: ChangeSummary;
  lockWritten: boolean;
}

export function applyDocument(result: ApplyResult): ApplyDocument {
  return {
    formatVersion: 1,
    environment: result.environment,
    applied: result.journals.map((j) => ({
      target: j.target,
      path: j.path,
      backup: j.backup?.id ?? null,
      summary: j.summary,
      checks: j.checks.map((c) => ({
        server: c.server,
        ok: c.ok,
        protocolVersion: c.protocolVersion,
        tools: c.tools.length,
      })),
    })),
    summary: result.summary,
    lockWritten: result.lockWritten,
  };
}

/** What a person reads after a successful apply. */
export function renderApplyText(result: ApplyResult, colors: { green(s: string): string }): string {
  const { add, change, remove } = result.summary;
  const lines = [colors.green(`\nApply complete! ${add} added, ${change} changed, ${remove} removed.`)];
  for (const j of result.journals) {
    if (j.backup)
      lines.push(
        `Backup of the previous ${visible(j.path)}: ${j.backup.id} (undo with '${shellCommand(['mcpform', 'rollback', j.backup.id])}')`,
      );
    else lines.push(`${visible(j.path)} was not changed; mcpform now manages the servers it adopted.`);
  }
  if (result.journals.some((j) => j.target === 'claude-desktop' && j.backup))
    lines.push('Claude Desktop reads its config at start: quit and reopen it to load the changes.');
  return lines.join('\n');
}
