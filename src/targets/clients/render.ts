import type { DesiredServer } from '../../config/types.js';
import { escapePointer } from '../../util/pointer.js';
import { refuseSetDefault } from './reference-defaults.js';
import type { ClientEntry, Pins, RenderedEntry } from '../types.js';

/** Entry renderers shared by the client files: stdio (command/package), native remote, mcp-remote. */

/** npx -y NAME@VERSION: the pinned version from mcp.lock when there is one. */
export function packageCommand(server: DesiredServer, pins: Pins): string[] {
  const pkg = server.package!;
  const version = pins.get(server.name) ?? pkg.range;
  return ['-y', version === 'latest' ? pkg.name : `${pkg.name}@${version}`];
}

/**
 * A `command` or `package` server as a stdio entry: command, args, env, cwd, with the
 * pointers of its secret values. `prefix` fields come first (Claude Code's `type`).
 */
export function renderStdio(server: DesiredServer, pins: Pins, prefix: ClientEntry = {}): RenderedEntry {
  const sensitive = new Set<string>();
  const entry: ClientEntry = { ...prefix };
  const args: string[] = [];
  if (server.kind === 'package') {
    entry.command = 'npx';
    args.push(...packageCommand(server, pins));
  } else {
    entry.command = server.command;
    if (server.sensitive.has('/command')) sensitive.add('/command');
  }
  const offset = args.length;
  server.args.forEach((a, i) => {
    args.push(a);
    if (server.sensitive.has(`/args/${i}`)) sensitive.add(`/args/${i + offset}`);
  });
  entry.args = args;
  if (Object.keys(server.env).length) entry.env = { ...server.env };
  for (const p of server.sensitive) if (p.startsWith('/env/')) sensitive.add(p);
  if (server.cwd) {
    entry.cwd = server.cwd;
    if (server.sensitive.has('/cwd')) sensitive.add('/cwd');
  }
  return { entry, sensitive };
}

/** A `url` server as a native remote entry: url (as the client spells it) and headers (secrets marked). */
export function renderRemote(server: DesiredServer, prefix: ClientEntry = {}, urlField = 'url'): RenderedEntry {
  const sensitive = new Set<string>();
  const entry: ClientEntry = { ...prefix, [urlField]: server.url };
  if (server.sensitive.has('/url')) sensitive.add(`/${urlField}`);
  if (Object.keys(server.headers).length) {
    entry.headers = { ...server.headers };
    for (const name of Object.keys(server.headers)) {
      const ptr = `/headers/${escapePointer(name)}`;
      if (server.sensitive.has(ptr)) sensitive.add(ptr);
    }
  }
  return { entry, sensitive };
}

export function headerEnvName(header: string): string {
  return `MCP_HEADER_${header.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * A `url` server through mcp-remote, for clients without remote entries. Header values go
 * through env (mcp-remote expands ${VAR} in --header), so no secret sits in args.
 */
export function renderMcpRemote(server: DesiredServer): RenderedEntry {
  const sensitive = new Set<string>();
  const args = ['-y', 'mcp-remote', server.url!];
  if (server.sensitive.has('/url')) sensitive.add(`/args/${args.length - 1}`);
  if (server.transport) args.push('--transport', server.transport === 'sse' ? 'sse-only' : 'http-only');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(server.headers)) {
    const v = headerEnvName(name);
    args.push('--header', `${name}:\${${v}}`);
    env[v] = value;
    if (server.sensitive.has(`/headers/${escapePointer(name)}`)) sensitive.add(`/env/${escapePointer(v)}`);
  }
  return { entry: Object.keys(env).length ? { command: 'npx', args, env } : { command: 'npx', args }, sensitive };
}

/**
 * `secrets: reference`: the server with each interpolated field written as the client's own
 * reference to the variables mcp.yaml used (`Bearer ${env:GH_TOKEN}`), no longer secret.
 * A `${X:-default}` whose X is unset is written as its default (text of mcp.yaml, shown in
 * plans as written); one whose X is set is refused (reference-defaults.ts): no reference says
 * "else this default", and X's value must not land in the file. A field stays its value when
 * the client would read its literal text differently (a `$`), or mcpform rewrites it
 * (command, cwd).
 */
export function withReferences(server: DesiredServer, ref: (name: string) => string): DesiredServer {
  const templates = server.references ?? {};
  const prefix = ref('\0').split('\0')[0]!;
  const literal = (text: string) => !text.includes('$') && !text.includes(prefix);
  const written = (pointer: string): string | undefined => {
    const parts = templates[pointer];
    if (!parts?.length || !/^\/(args|env|headers)\/|^\/url$/.test(pointer)) return undefined;
    let out = '';
    let expressible = true;
    for (const part of parts) {
      if (typeof part === 'string') {
        expressible &&= literal(part);
        out += part;
      } else if (part.fallback === undefined) out += ref(part.name);
      else if (!part.defaulted) refuseSetDefault(server, pointer, part.name);
      else {
        expressible &&= literal(part.fallback);
        out += part.fallback;
      }
    }
    return expressible ? out : undefined;
  };
  const sensitive = new Set(server.sensitive);
  const swap = (pointer: string, value: string): string => {
    const v = written(pointer);
    if (v === undefined) return value;
    sensitive.delete(pointer);
    return v;
  };
  const map = (m: Readonly<Record<string, string>>, field: string) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, swap(`/${field}/${escapePointer(k)}`, v)]));
  return {
    ...server,
    args: server.args.map((a, i) => swap(`/args/${i}`, a)),
    env: map(server.env, 'env'),
    headers: map(server.headers, 'headers'),
    url: server.url === undefined ? undefined : swap('/url', server.url),
    sensitive,
  };
}

/** The common vocabulary has no `type` for a command entry (Claude Desktop's): `stdio` dropped. */
export function withoutStdioType(entry: ClientEntry): ClientEntry {
  if (entry.type !== 'stdio') return entry;
  const { type: _type, ...rest } = entry;
  return rest;
}

/** A client that fills in a missing type (VS Code and those that copy it): command means stdio, url means http. */
export function withImpliedType(entry: ClientEntry): ClientEntry {
  if (entry.type !== undefined) return entry;
  if ('command' in entry) return { type: 'stdio', ...entry };
  if ('url' in entry) return { type: 'http', ...entry };
  return entry;
}
