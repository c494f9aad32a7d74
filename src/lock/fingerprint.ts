import type { ToolInfo } from '../probe/types.js';
import { canonicalJson, sha256 } from '../util/hash.js';
import { countHidden, tagText, visible } from '../util/sanitize.js';
import type { ToolsLock } from './types.js';

/**
 * Why a server's tool list cannot be recorded faithfully, or undefined. Two tools with one
 * name would share one entry (a description could hide behind its twin), and `__proto__`
 * is no key a JS object or mcp.lock can hold: either would let a tool escape the review.
 */
export function toolListProblem(tools: readonly ToolInfo[]): string | undefined {
  const seen = new Set<string>();
  for (const t of tools) {
    if (t.name === '__proto__') return `it offers a tool named '__proto__'`;
    if (seen.has(t.name)) return `it offers two tools named '${visible(t.name)}'`;
    seen.add(t.name);
  }
  return undefined;
}

/** The tools part of a lock entry: names, a fingerprint of the canonical list, per-tool details. */
export function fingerprintTools(tools: readonly ToolInfo[]): ToolsLock {
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const canonical = sorted.map((t) => ({
    name: t.name,
    description: t.description ?? '',
    inputSchema: t.inputSchema ?? {},
  }));
  const details: ToolsLock['details'] = {};
  for (const t of canonical)
    details[t.name] = { description: t.description, inputSchema: sha256(canonicalJson(t.inputSchema)) };
  const names = canonical.map((t) => t.name);
  return { names, fingerprint: fingerprintOf(names, details), details };
}

/**
 * The fingerprint of a recorded tool list: over each tool's name, description and input
 * schema hash, exactly what mcp.lock records, so anyone can recompute it from the file
 * and a hand-edited entry cannot keep a fingerprint that no longer matches its tools.
 */
export function fingerprintOf(names: readonly string[], details: ToolsLock['details']): string {
  return sha256(
    canonicalJson(
      names.map((name) => ({
        name,
        description: own(details, name)?.description ?? '',
        inputSchema: own(details, name)?.inputSchema ?? '',
      })),
    ),
  );
}

/** A tool's entry, never an inherited property: a tool named `toString` or `constructor` is a tool. */
function own<T>(details: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(details, name) ? details[name] : undefined;
}

export type ToolChange =
  | { kind: 'added'; tool: string; description: string }
  | { kind: 'removed'; tool: string }
  | { kind: 'description'; tool: string; before: string; after: string }
  | { kind: 'schema'; tool: string };

/** What changed between the locked tools and the ones a server offers now, tool by tool. */
export function compareTools(locked: ToolsLock, now: ToolsLock): ToolChange[] {
  // Tool by tool even when the fingerprints agree: what is reviewed is the list, not the hash.
  const changes: ToolChange[] = [];
  for (const name of now.names) {
    const before = own(locked.details, name);
    const after = own(now.details, name)!;
    if (!before) changes.push({ kind: 'added', tool: name, description: after.description });
    else {
      if (before.description !== after.description)
        changes.push({ kind: 'description', tool: name, before: before.description, after: after.description });
      if (before.inputSchema !== after.inputSchema) changes.push({ kind: 'schema', tool: name });
    }
  }
  for (const name of locked.names) if (!own(now.details, name)) changes.push({ kind: 'removed', tool: name });
  return changes;
}

/** `[-old-]{+new+}` around changed words, with a little context: short enough for a terminal. */
function wordDiff(diffWords: typeof import('diff').diffWords, a: string, b: string): string {
  const parts = diffWords(a, b);
  const out = parts.map((p) =>
    p.added
      ? `{+${p.value}+}`
      : p.removed
        ? `[-${p.value}-]`
        : p.value.length > 60
          ? `${p.value.slice(0, 25)}…${p.value.slice(-25)}`
          : p.value,
  );
  const text = out.join('');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** One line per change; the word diff library is loaded only when a description changed. */
export async function describeToolChanges(changes: readonly ToolChange[]): Promise<string[]> {
  const diffWords = changes.some((c) => c.kind === 'description') ? (await import('diff')).diffWords : undefined;
  // Names and descriptions come from the server: an escape sequence in them must show, not act
  // (`\e[8m` would hide the very instruction this review exists to reveal).
  return changes.flatMap((c) => {
    switch (c.kind) {
      case 'added':
        return [
          `tool added: ${visible(c.tool)}: ${visible(c.description)}`,
          ...hiddenTextWarnings({ name: c.tool, description: c.description }),
        ];
      case 'removed':
        return [`tool removed: ${visible(c.tool)}`];
      case 'schema':
        return [`input schema changed: ${visible(c.tool)}`];
      case 'description':
        return [
          `description changed: ${visible(c.tool)}: ${wordDiff(diffWords!, visible(c.before), visible(c.after))}`,
          ...hiddenTextWarnings({ name: c.tool, description: c.after }),
        ];
    }
  });
}

/**
 * What a person cannot see in a tool's name or description, as review lines: a description
 * that displays as "Lists files." may carry a paragraph of instructions in Unicode tag
 * characters or zero-width text, read by the model and by nobody else.
 */
export function hiddenTextWarnings(tool: { name: string; description?: string }): string[] {
  const out: string[] = [];
  for (const [what, text] of [
    ['name', tool.name],
    ['description', tool.description ?? ''],
  ] as const) {
    const n = countHidden(text);
    if (n === 0) continue;
    const spelled = tagText(text);
    const reads = spelled ? ` (Unicode tag characters that read "${clip(visible(spelled), 200)}")` : '';
    out.push(
      `suspicious: tool ${visible(tool.name)}: ${what} contains ${n} hidden character${n === 1 ? '' : 's'}${reads}`,
    );
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
