import type { DesiredServer } from '../config/types.js';
import { McpformError } from '../errors.js';
import { escapePointer } from '../util/pointer.js';
import { readJsonFile } from './json-file.js';
import type { ClientEntry, LiveConfig, Pins, RenderedEntry } from './types.js';

/**
 * Most clients keep their servers in one JSON file under a top-level `mcpServers` map
 * (Claude Desktop, Claude Code, Cursor). Reading it, and writing it back with everything
 * else in the file untouched, is the same for all of them.
 */
export function readMcpServersFile(target: string, path: string): LiveConfig {
  const file = readJsonFile(path);
  const document = file.value === undefined ? {} : file.value;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new McpformError('INVALID_LIVE_CONFIG', `${path} must hold a JSON object; mcpform will not overwrite it`);
  }
  const servers = (document as Record<string, unknown>).mcpServers ?? {};
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new McpformError(
      'INVALID_LIVE_CONFIG',
      `${path}: "mcpServers" must be an object of server entries; mcpform will not overwrite it`,
    );
  }
  for (const [name, entry] of Object.entries(servers)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new McpformError(
        'INVALID_LIVE_CONFIG',
        `${path}: mcpServers.${name} must be an object; mcpform will not overwrite it`,
      );
    }
  }
  return {
    target,
    path,
    exists: file.exists,
    hash: file.hash,
    text: file.text,
    document: document as Record<string, unknown>,
    entries: servers as Record<string, ClientEntry>,
    indent: file.indent,
  };
}

export function serializeMcpServersFile(live: LiveConfig, entries: Record<string, ClientEntry>): string {
  const doc: Record<string, unknown> = { ...live.document };
  doc.mcpServers = entries; // keeps its position when the key existed
  return `${JSON.stringify(doc, null, live.indent)}\n`;
}

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

/** A `url` server as a native remote entry: url and headers (secrets marked). */
export function renderRemote(server: DesiredServer, prefix: ClientEntry = {}): RenderedEntry {
  const sensitive = new Set<string>();
  const entry: ClientEntry = { ...prefix, url: server.url };
  if (server.sensitive.has('/url')) sensitive.add('/url');
  if (Object.keys(server.headers).length) {
    entry.headers = { ...server.headers };
    for (const name of Object.keys(server.headers)) {
      const ptr = `/headers/${escapePointer(name)}`;
      if (server.sensitive.has(ptr)) sensitive.add(ptr);
    }
  }
  return { entry, sensitive };
}
