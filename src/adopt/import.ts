import { Document, isMap, isSeq, YAMLMap } from 'yaml';
import { SECRET_KEY } from '../config/names.js';
import type { ClientEntry } from '../targets/types.js';

export interface ImportResult {
  /** The new mcp.yaml. */
  yaml: string;
  /** Secret values moved out of mcp.yaml: NAME -> value, for .env. */
  secrets: Record<string, string>;
  servers: string[];
  /** Entries that could not be imported, with the reason. */
  skipped: { name: string; why: string }[];
}

const SECRET_FLAG = /^--?[\w-]*(token|secret|key|password|auth|credential)[\w-]*$/i;
const SECRET_FLAG_VALUE = /^(--?[\w-]*(?:token|secret|key|password|auth|credential)[\w-]*=)(.+)$/i;
const SECRET_HEADER = /^((?:authorization|[\w-]*(?:token|secret|key|auth)[\w-]*)\s*:\s*)(.+)$/i;

/**
 * The live client entries as an mcp.yaml, losing nothing: names, command, args, env, cwd.
 * Secret-looking values (PRODUCT.md rule: env keys matching token|secret|key|..., and
 * secret flags or auth headers in args) become ${VAR} references; their values go to .env.
 * Pure: the caller writes the files.
 */
export function importEntries(
  entries: Readonly<Record<string, ClientEntry>>,
  existingEnv: Readonly<Record<string, string>> = {},
): ImportResult {
  const secrets: Record<string, string> = {};
  const skipped: ImportResult['skipped'] = [];
  const taken = new Map(Object.entries(existingEnv));
  const reference = (wanted: string, server: string, value: string): string => {
    let name = envName(wanted);
    if (taken.has(name) && taken.get(name) !== value) name = envName(`${server}_${wanted}`);
    for (let i = 2; taken.has(name) && taken.get(name) !== value; i++) name = envName(`${server}_${wanted}_${i}`);
    taken.set(name, value);
    secrets[name] = value;
    return `\${${name}}`;
  };
  // A literal `${` in an imported value must stay literal in mcp.yaml.
  const literal = (v: string) => v.replace(/\$\{/g, '$${');

  const doc = new Document({}) as Document.Parsed;
  doc.commentBefore =
    ' yaml-language-server: $schema=./node_modules/mcpform/schemas/mcp.schema.json\n Imported from the Claude Desktop config by `mcpform init --import`.\n Secret values were moved to .env (git-ignored) and are referenced as ${VAR}.';
  doc.set('version', 1);
  const servers = new YAMLMap();
  const imported: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (typeof entry.command !== 'string' || entry.command === '') {
      skipped.push({
        name,
        why:
          typeof entry.url === 'string'
            ? 'a remote (url) entry, which Claude Desktop does not run; add it with `url:` by hand'
            : 'it has no command',
      });
      continue;
    }
    const server: Record<string, unknown> = { command: literal(entry.command) };
    if (Array.isArray(entry.args) && entry.args.length) {
      const args = entry.args.map(String);
      server.args = args.map((a, i) => {
        const prev = args[i - 1] ?? '';
        const flagValue = SECRET_FLAG_VALUE.exec(a);
        if (flagValue)
          return literal(flagValue[1]!) + reference(flagValue[1]!.replace(/^-+|=$/g, ''), name, flagValue[2]!);
        const header = prev === '--header' ? SECRET_HEADER.exec(a) : null;
        if (header && !/\$\{/.test(header[2]!))
          return literal(header[1]!) + reference(`${header[1]!.replace(/\s*:\s*$/, '')}_header`, name, header[2]!);
        if (SECRET_FLAG.test(prev) && !a.startsWith('-')) return reference(prev.replace(/^-+/, ''), name, a);
        return literal(a);
      });
    }
    if (entry.env && typeof entry.env === 'object' && Object.keys(entry.env).length) {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(entry.env as Record<string, unknown>)) {
        env[k] = SECRET_KEY.test(k) && typeof v === 'string' && v !== '' ? reference(k, name, v) : literal(String(v));
      }
      server.env = env;
    }
    if (typeof entry.cwd === 'string') server.cwd = literal(entry.cwd);
    servers.set(name, doc.createNode(server));
    imported.push(name);
  }
  doc.set('servers', servers);
  for (const pair of (doc.get('servers') as YAMLMap).items) {
    if (!isMap(pair.value)) continue;
    const args = pair.value.get('args');
    if (isSeq(args)) args.flow = true; // args: ["-y", "pkg"], as people write them
  }
  return { yaml: doc.toString({ lineWidth: 0 }), secrets, servers: imported, skipped };
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
