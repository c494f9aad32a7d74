import { Document, isMap, isSeq, YAMLMap } from 'yaml';
import { DEFAULT_TEST_TIMEOUT_MS, type DesiredServer } from '../config/types.js';
import { entryChange } from '../plan/diff.js';
import { claudeDesktop } from '../targets/clients/claude-desktop.js';
import type { ClientEntry, TargetAdapter } from '../targets/types.js';
import { keepsDeclaredCwd, resolveDeclaredCommand } from '../util/paths.js';
import { parseMcpRemote } from '../targets/mcp-remote.js';
import { argSpans, envSpans, headerSpans, urlSpans, type SecretSpan } from './secret-spans.js';

export interface ImportResult {
  /** The new mcp.yaml. */
  yaml: string;
  /** Secret values moved out of mcp.yaml: NAME -> value, for .env. */
  secrets: Record<string, string>;
  servers: string[];
  /** Entries that could not be imported, with the reason. */
  skipped: { name: string; why: string }[];
  /** Imported servers the first plan will still show as changed, and why. */
  notes: { name: string; note: string }[];
}

export interface ImportOptions {
  /** The client whose file the entries come from (default Claude Desktop): it must render them back. */
  adapter?: TargetAdapter;
  /** The folder the new mcp.yaml goes in, to tell which paths it would resolve differently. */
  baseDir: string;
  /** Where the new mcp.yaml's modeline points for its schema (default: a local install's). */
  schema?: string;
  /** The OS the client file belongs to: the form the entries render back in (`cmd /c npx` on Windows). */
  platform: NodeJS.Platform;
}

/** The schema of mcp.yaml as a project that installs mcpform locally has it. */
export const LOCAL_SCHEMA = './node_modules/mcpform/schemas/mcp.schema.json';

/** A server as import writes it: plain values, before secrets become ${VAR}s. */
type Candidate =
  | { kind: 'command'; command: string; args: string[]; env: Record<string, string>; cwd?: string; verbatim: boolean }
  | { kind: 'url'; url: string; headers: Record<string, string>; transport?: 'http' | 'sse' };

/**
 * The live client entries as an mcp.yaml that renders back to exactly those entries, so
 * that `plan` says "No changes." and apply changes no byte. Each entry becomes, in order of
 * preference, a `url` server (native remote entries, and `mcp-remote` bridges) or a
 * `command` server — whichever the client's adapter renders back unchanged. Paths mcp.yaml
 * would resolve differently (relative, `~`) are marked `verbatim`. Secrets — secret-looking
 * env keys and headers, secret flags, URL passwords and well-known token shapes anywhere —
 * become ${VAR} references; their values go to .env. Pure: the caller writes the files.
 */
export function importEntries(
  entries: Readonly<Record<string, ClientEntry>>,
  existingEnv: Readonly<Record<string, string>>,
  opts: ImportOptions,
): ImportResult {
  const adapter = opts.adapter ?? claudeDesktop;
  const { baseDir } = opts;
  const secrets: Record<string, string> = {};
  const skipped: ImportResult['skipped'] = [];
  const notes: ImportResult['notes'] = [];
  const taken = new Map(Object.entries(existingEnv));
  const reference = (wanted: string, server: string, value: string): string => {
    let name = envName(wanted);
    if (taken.has(name) && taken.get(name) !== value) name = envName(`${server}_${wanted}`);
    for (let i = 2; taken.has(name) && taken.get(name) !== value; i++) name = envName(`${server}_${wanted}_${i}`);
    taken.set(name, value);
    secrets[name] = value;
    return `\${${name}}`;
  };
  // The text with its secret spans as references and every other `${` kept literal.
  const withRefs = (server: string, text: string, spans: readonly SecretSpan[]): string => {
    let out = '';
    let pos = 0;
    for (const s of spans) {
      out += literal(text.slice(pos, s.start));
      out += reference(s.perServer ? `${server}_${s.name}` : s.name, server, text.slice(s.start, s.end));
      pos = s.end;
    }
    return out + literal(text.slice(pos));
  };

  const doc = new Document({}) as Document.Parsed;
  doc.commentBefore = ` yaml-language-server: $schema=${opts.schema ?? LOCAL_SCHEMA}\n Imported from the Claude Desktop config by \`mcpform init --import\`.\n Secret values were moved to .env (git-ignored) and are referenced as \${VAR}.`;
  doc.set('version', 1);
  const servers = new YAMLMap();
  const imported: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const candidates = candidatesOf(entry, baseDir);
    const chosen = candidates.find((c) => changedFields(adapter, name, entry, c, opts.platform).length === 0);
    // Else the closest: the command as it is, or a remote entry the client has natively
    // (an unusual `type` spelling shows in the plan); never a remote Claude Desktop cannot run.
    const pick =
      chosen ??
      candidates.find((c) => c.kind === 'command') ??
      candidates.find((c) => c.kind === 'url' && adapter.name !== 'claude-desktop');
    if (!pick) {
      skipped.push({
        name,
        why:
          typeof entry.url === 'string'
            ? `a remote (url) entry, which ${adapter.name === 'claude-desktop' ? 'Claude Desktop does not run' : `${adapter.name} would be given differently`}; add it with \`url:\` by hand`
            : 'it has no command',
      });
      continue;
    }
    if (!chosen)
      notes.push({
        name,
        note: `the first plan will show ${changedFields(adapter, name, entry, pick, opts.platform).join(', ')} as changed`,
      });
    const server: Record<string, unknown> = {};
    if (pick.kind === 'url') {
      server.url = withRefs(name, pick.url, urlSpans(pick.url));
      if (Object.keys(pick.headers).length)
        server.headers = mapValues(pick.headers, (k, v) => withRefs(name, v, headerSpans(k, v)));
      if (pick.transport) server.transport = pick.transport;
    } else {
      server.command = literal(pick.command);
      if (pick.args.length) server.args = pick.args.map((a, i) => withRefs(name, a, argSpans(pick.args, i)));
      if (Object.keys(pick.env).length) server.env = mapValues(pick.env, (k, v) => withRefs(name, v, envSpans(k, v)));
      if (pick.cwd !== undefined) server.cwd = literal(pick.cwd);
      if (pick.verbatim) server.verbatim = true;
    }
    servers.set(name, doc.createNode(server));
    imported.push(name);
  }
  doc.set('servers', servers);
  for (const pair of (doc.get('servers') as YAMLMap).items) {
    if (!isMap(pair.value)) continue;
    const args = pair.value.get('args');
    if (isSeq(args)) args.flow = true; // args: ["-y", "pkg"], as people write them
  }
  return { yaml: doc.toString({ lineWidth: 0 }), secrets, servers: imported, skipped, notes };
}

/** A literal `${` in an imported value stays literal in mcp.yaml: `$${`. */
export function literal(v: string): string {
  return v.replace(/\$\{/g, () => '$${');
}

function mapValues(m: Record<string, string>, f: (k: string, v: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = f(k, v);
  return out;
}

function candidatesOf(entry: ClientEntry, baseDir: string): Candidate[] {
  const out: Candidate[] = [];
  const strMap = (m: unknown): Record<string, string> => {
    const o: Record<string, string> = {};
    if (m && typeof m === 'object' && !Array.isArray(m))
      for (const [k, v] of Object.entries(m)) if (v !== null && v !== undefined) o[k] = String(v);
    return o;
  };
  if (typeof entry.url === 'string' && /^https?:\/\//.test(entry.url)) {
    const t = typeof entry.type === 'string' ? entry.type.toLowerCase() : '';
    out.push({
      kind: 'url',
      url: entry.url,
      headers: strMap(entry.headers),
      ...(t === 'sse' ? { transport: 'sse' as const } : {}),
    });
  }
  const bridged = parseMcpRemote(entry);
  if (bridged) out.push({ kind: 'url', ...bridged });
  if (typeof entry.command === 'string' && entry.command !== '') {
    const cwd = typeof entry.cwd === 'string' ? entry.cwd : undefined;
    out.push({
      kind: 'command',
      command: entry.command,
      args: Array.isArray(entry.args) ? entry.args.map(String) : [],
      env: strMap(entry.env),
      ...(cwd === undefined ? {} : { cwd }),
      // mcp.yaml resolves ./command, relative cwd and ~ against its folder: keep them as they are.
      verbatim:
        resolveDeclaredCommand(baseDir, entry.command) !== entry.command ||
        (cwd !== undefined && !keepsDeclaredCwd(baseDir, cwd)),
    });
  }
  return out;
}

/** The fields a plan would show as changed if mcp.yaml declared `c` for this live entry. */
function changedFields(
  adapter: TargetAdapter,
  name: string,
  live: ClientEntry,
  c: Candidate,
  platform: NodeJS.Platform,
): string[] {
  const server: DesiredServer = {
    name,
    kind: c.kind,
    ...(c.kind === 'url'
      ? { url: c.url, headers: c.headers, transport: c.transport, args: [], env: {} }
      : { command: c.command, args: c.args, env: c.env, cwd: c.cwd, headers: {} }),
    test: { timeoutMs: DEFAULT_TEST_TIMEOUT_MS, expectTools: [], skip: false },
    sensitive: new Set(),
    secrets: [],
    origin: { file: 'mcp.yaml', line: 1, col: 1 },
  };
  const rendered = adapter.render(server, new Map(), undefined, platform);
  return entryChange(live, rendered.entry, adapter.managedFields, new Set()).fields.map((f) => f.field);
}

/** A valid, conventional variable name: GITHUB_TOKEN, MY_SERVER_API_KEY. */
export function envName(s: string): string {
  const n = s
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(n) ? n : `VAR_${n}`;
}

/** Appends KEY=value lines to a .env text (existing keys kept), quoting as dotenv reads it back. */
export function appendEnv(
  text: string,
  vars: Readonly<Record<string, string>>,
  existing: Readonly<Record<string, string>>,
): string {
  const lines = Object.entries(vars)
    .filter(([k]) => !(k in existing))
    .map(([k, v]) => `${k}=${quoteEnv(v)}`);
  if (lines.length === 0) return text;
  return `${text}${text && !text.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n`;
}

/** dotenv reads single-quoted values literally; double quotes only when a single quote is inside. */
function quoteEnv(v: string): string {
  if (!/[\s#"'\\$`]|^$/.test(v)) return v;
  if (!v.includes("'") && !v.includes('\n')) return `'${v}'`;
  return JSON.stringify(v);
}
