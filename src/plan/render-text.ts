import type { Colors } from '../util/colors.js';
import { visible } from '../util/sanitize.js';
import { totalSummary } from '../util/summary.js';
import type { Change, FieldChange, Plan } from './types.js';

const MASK = '(sensitive)';

type DiffArrays = typeof import('diff').diffArrays;

/**
 * The plan as a Terraform user reads it. No I/O: returns the text. (Async only because the
 * list-diff library is loaded when a list actually changed: most plans never need it.)
 */
export async function renderPlanText(plans: readonly Plan[], c: Colors): Promise<string> {
  const listChanged = plans.some((p) =>
    p.changes.some((ch) => ch.fields.some((f) => !f.sensitive && Array.isArray(f.before) && Array.isArray(f.after))),
  );
  const diffArrays = listChanged ? (await import('diff')).diffArrays : undefined;
  const out: string[] = [];
  const total = totalSummary(plans);
  for (const plan of plans) {
    out.push(
      c.bold(
        `Target ${(plan.target.readers ?? [plan.target.name]).join(' + ')}: ${visible(plan.target.path)}${plan.target.exists ? '' : ' (does not exist yet; it will be created)'}`,
      ),
    );
    out.push(`Environment: ${visible(plan.environment)}`);
    out.push('');
    if (plan.changes.length) {
      out.push('mcpform will perform the following actions:');
      out.push('');
      for (const change of plan.changes) out.push(...renderChange(change, c, diffArrays), '');
    }
    if (plan.adoptions.length) {
      out.push(
        `Will adopt (already exactly as declared; apply records ownership, the file does not change): ${names(plan.adoptions)}`,
        '',
      );
    }
    if (plan.unmanaged.length) {
      out.push(
        `Unmanaged servers (in the file, not in mcp.yaml; left alone, --prune removes them): ${names(plan.unmanaged)}`,
        '',
      );
    }
    const elsewhere = byOwner(plan.managedElsewhere ?? []);
    for (const [owner, names] of elsewhere) {
      // Paths and names read from the state dir and the live file: shown, never interpreted.
      out.push(`Managed by ${visible(owner)} (left alone, --prune included): ${visible(names.join(', '))}`, '');
    }
    if (plan.unclaimed?.length) {
      out.push(
        `(${names(plan.unclaimed)}: written by mcpform for an mcp.yaml it cannot name now, from before it recorded owners or from a file that is gone; declare ${plan.unclaimed.length === 1 ? 'it' : 'them'} here to manage ${plan.unclaimed.length === 1 ? 'it' : 'them'} from this mcp.yaml.)`,
        '',
      );
    }
    if (plan.forgotten.length) {
      out.push(`Removed from the file outside mcpform (will be forgotten): ${names(plan.forgotten)}`, '');
    }
    if (plan.removesEverything) {
      out.push(
        c.yellow(
          `Warning: this removes every server mcpform manages in ${visible(plan.target.path)}; apply needs --allow-empty (is the environment right?)`,
        ),
        '',
      );
    }
  }
  const n = total.add + total.change + total.remove;
  out.push(
    n === 0
      ? c.green('No changes.') + ' The client configuration matches mcp.yaml.'
      : c.bold(`Plan: ${total.add} to add, ${total.change} to change, ${total.remove} to remove.`),
  );
  return `${out.join('\n')}\n`;
}

/** Server names, from mcp.yaml and from the client's file: shown, never interpreted. */
function names(list: readonly string[]): string {
  return list.map(visible).join(', ');
}

function byOwner(list: readonly { server: string; owner: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { server, owner } of list) out.set(owner, [...(out.get(owner) ?? []), server]);
  return out;
}

function renderChange(change: Change, c: Colors, diffArrays?: DiffArrays): string[] {
  const lines: string[] = [];
  const name = visible(change.server);
  switch (change.action) {
    case 'create':
      lines.push(`  ${c.green('+')} ${c.bold(name)}  ${c.dim('will be created')}`);
      break;
    case 'update':
      lines.push(`  ${c.yellow('~')} ${c.bold(name)}  ${c.dim('will be updated in place')}`);
      break;
    case 'delete':
      lines.push(`  ${c.red('-')} ${c.bold(name)}  ${c.dim('will be removed')}`);
      break;
    case 'adopt':
      lines.push(
        `  ${c.cyan('adopt')} ${c.bold(name)}  ${c.dim(`exists unmanaged; will be taken over ${change.fields.length ? 'and updated' : 'as it is'}`)}`,
      );
      break;
  }
  if (change.drift) {
    lines.push(
      c.yellow(
        `      ! ${name} was changed outside mcpform since the last apply; ` +
          (change.action === 'delete' ? 'removing it discards those edits' : 'apply overwrites those edits'),
      ),
    );
  }
  const width = Math.max(0, ...change.fields.map((f) => visible(f.field).length));
  for (const f of change.fields) lines.push(...renderField(f, width, c, diffArrays));
  return lines;
}

function renderField(f: FieldChange, width: number, c: Colors, diffArrays?: DiffArrays): string[] {
  const sym = f.kind === 'add' ? c.green('+') : f.kind === 'remove' ? c.red('-') : c.yellow('~');
  const label = `      ${sym} ${visible(f.field).padEnd(width)} = `;
  if (f.sensitive) {
    const v = f.kind === 'add' ? MASK : f.kind === 'remove' ? `${MASK} -> null` : `${MASK} -> ${MASK}`;
    return [`${label}${v}`];
  }
  if (f.kind === 'change' && diffArrays && Array.isArray(f.before) && Array.isArray(f.after)) {
    const lines = [`${label}[`];
    for (const part of diffArrays(f.before as unknown[], f.after as unknown[])) {
      for (const v of part.value) {
        const text = show(v);
        if (part.added) lines.push(`          ${c.green('+')} ${text},`);
        else if (part.removed) lines.push(`          ${c.red('-')} ${text},`);
        else lines.push(`            ${text},`);
      }
    }
    lines.push('        ]');
    return lines;
  }
  if (f.kind === 'add') return [`${label}${show(f.after)}`];
  if (f.kind === 'remove') return [`${label}${show(f.before)} -> null`];
  return [`${label}${show(f.before)} -> ${show(f.after)}`];
}

/** A value as JSON, with what JSON leaves raw (bidi, zero-width, C1) spelled out too. */
function show(v: unknown): string {
  return visible(String(JSON.stringify(v)));
}
