import type { Colors } from '../util/colors.js';
import { visible } from '../util/sanitize.js';
import { renderColumns } from '../util/table.js';
import type { Enrolled } from './enroll.js';
import type { Drift } from './drift.js';
import { driftLeft, type ReconcileResult } from './pass.js';
import type { ProjectStatus, StatusFile, TargetStatus } from './record.js';

const drifted = (d: readonly Drift[]) => d.map((x) => `${visible(x.server)} (${x.kind})`).join(', ');

/** `mcpform reconcile`: one line per client file, then what to do about what is left. */
export function renderReconcileText(r: ReconcileResult, c: Colors): string {
  const lines: string[] = [];
  for (const t of r.targets) {
    const where = `${t.target}  ${visible(t.path)}`;
    if (t.healed.length) lines.push(`${c.green('healed')}   ${where}: ${t.healed.map(visible).join(', ')}`);
    if (t.held.length)
      lines.push(`${c.yellow('held')}     ${where}: ${t.held.map(visible).join(', ')} (a client keeps removing it)`);
    const left = driftLeft(t).filter((d) => !t.held.includes(d.server));
    if (left.length) lines.push(`${c.yellow('drifted')}  ${where}: ${drifted(left)}`);
    if (!t.drift.length && !t.healed.length) lines.push(`${c.green('in sync')}  ${where}`);
    if (t.pending.length)
      lines.push(
        `         ${t.pending.length} change(s) from mcp.yaml not applied yet (${t.pending.map(visible).join(', ')}): run 'mcpform apply'`,
      );
  }
  if (!r.selfHeal && r.targets.some((t) => driftLeft(t).length))
    lines.push(
      "Not healed: selfHeal is off for this project. Heal now with 'mcpform reconcile --heal', or set reconcile.selfHeal: true in mcp.yaml.",
    );
  return lines.join('\n');
}

/** `mcpform reconcile --json`: versioned, as every JSON document mcpform prints. */
export function reconcileDocument(r: ReconcileResult) {
  return {
    formatVersion: 1 as const,
    file: r.file,
    environment: r.environment,
    selfHeal: r.selfHeal,
    targets: r.targets.map((t) => ({ ...t, status: targetState(t) })),
  };
}

function targetState(t: ReconcileResult['targets'][number]): TargetStatus['state'] {
  if (t.held.length) return 'backing-off';
  if (driftLeft(t).length) return 'drifted';
  return t.healed.length ? 'healed' : 'in-sync';
}

/** Every enrolled project with its last recorded pass (one not passed yet has no targets). */
export function statusRows(
  status: StatusFile,
  enrolled: readonly Enrolled[],
): (ProjectStatus & { enrolled: boolean })[] {
  const files = new Set([...enrolled.map((e) => e.file), ...status.projects.map((p) => p.file)]);
  return [...files].map((file) => {
    const p = status.projects.find((x) => x.file === file);
    const e = enrolled.find((x) => x.file === file);
    return {
      ...(p ?? { file, selfHeal: false, checkedAt: '', targets: [] }),
      ...(e?.environment && !p?.environment ? { environment: e.environment } : {}),
      enrolled: Boolean(e),
    };
  });
}

/** `mcpform status --json`. */
export function statusDocument(status: StatusFile, enrolled: readonly Enrolled[]) {
  return { formatVersion: 1 as const, projects: statusRows(status, enrolled) };
}

const STATE_TEXT: Record<TargetStatus['state'], string> = {
  'in-sync': 'in sync',
  drifted: 'drifted',
  healed: 'healed',
  'backing-off': 'backing off',
  error: 'error',
};

/** `mcpform status`: a table per project and client. */
export function renderStatusText(status: StatusFile, enrolled: readonly Enrolled[]): string {
  const rows = statusRows(status, enrolled);
  if (!rows.length)
    return "No project reconciled or enrolled yet: run 'mcpform agent enroll DIR' or 'mcpform reconcile'.";
  const table: string[][] = [['PROJECT', 'CLIENT', 'FILE', 'STATE', 'HEALED', 'LAST CHECK', 'LAST ERROR']];
  for (const p of rows) {
    const project = `${visible(p.file)}${p.enrolled ? '' : ' (not enrolled)'}`;
    if (!p.targets.length)
      table.push([
        project,
        '-',
        '-',
        p.lastError ? 'error' : 'not checked yet',
        '-',
        p.checkedAt || '-',
        p.lastError ? visible(p.lastError) : '',
      ]);
    for (const t of p.targets) {
      const state =
        STATE_TEXT[t.state] +
        (t.drift.length && t.state !== 'error' ? `: ${drifted(t.drift)}` : '') +
        (t.held.length ? ` (${t.held.map(visible).join(', ')})` : '');
      table.push([
        project,
        t.target,
        visible(t.path),
        state,
        String(t.healed),
        t.checkedAt,
        t.lastError ? visible(t.lastError) : '',
      ]);
    }
  }
  return renderColumns(table);
}
