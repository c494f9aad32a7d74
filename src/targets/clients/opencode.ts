import { existsSync } from 'node:fs';
import type { DesiredServer } from '../../config/types.js';
import { McpformError } from '../../errors.js';
import { defineClient, type ResolveContext } from '../define.js';
import { isPlain } from '../formats/path.js';
import type { ClientEntry, Pins, RenderedEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * opencode's global config (core Global.Path.config, xdg-basedir: `~/.config` on every OS):
 * `opencode.json`, or `opencode.jsonc` when that is the one there (it reads both).
 */
function configPath(ctx: ResolveContext, exists = existsSync): string {
  const { join } = pathsOf(ctx);
  const dir = join(ctx.env.XDG_CONFIG_HOME || join(ctx.home, '.config'), 'opencode');
  const json = join(dir, 'opencode.json');
  const jsonc = join(dir, 'opencode.jsonc');
  return !exists(json) && exists(jsonc) ? jsonc : json;
}

/**
 * The V2 layout, `mcp.servers.<name>`, as opencode's v2-compat tells it from a V1 server
 * that happens to be named "servers": an envelope has no scalar `type`/`enabled` of its own.
 */
export function isV2(document: unknown): boolean {
  const mcp = isPlain(document) ? document.mcp : undefined;
  const servers = isPlain(mcp) ? mcp.servers : undefined;
  if (!isPlain(servers)) return false;
  return !['type', 'enabled'].some(
    (k) =>
      Object.hasOwn(servers, k) && (servers[k] === null || typeof servers[k] !== 'object' || Array.isArray(servers[k])),
  );
}

/** `{ type: local, command: [cmd, ...args], environment }`, the secret pointers moved with them. */
function renderLocal(server: DesiredServer, pins: Pins): RenderedEntry {
  if (server.cwd !== undefined) {
    const message = `server '${server.name}' sets cwd, which opencode's local servers do not have (they start in the project folder)`;
    throw new McpformError('INVALID_CONFIG', `${message}; nothing was changed`, {
      problems: [{ message, location: server.origin }],
      hint: "remove cwd, or use absolute paths in the server's args, for the 'opencode' target",
    });
  }
  const { entry, sensitive } = renderStdio(server, pins);
  const moved = new Set<string>();
  for (const p of sensitive) {
    if (p === '/command') moved.add('/command/0');
    else if (p.startsWith('/args/')) moved.add(`/command/${Number(p.slice(6)) + 1}`);
    else if (p.startsWith('/env/')) moved.add(`/environment/${p.slice(5)}`);
  }
  const out: ClientEntry = { type: 'local', command: [entry.command, ...(entry.args as string[])] };
  if (entry.env) out.environment = entry.env;
  return { entry: out, sensitive: moved };
}

/** opencode's entry in Claude Desktop's vocabulary. */
function toCanonical(entry: ClientEntry): ClientEntry {
  const { type, command, environment, ...rest } = entry;
  if (type === 'remote') return rest;
  if (type !== 'local' || !Array.isArray(command)) return entry;
  const [cmd, ...args] = command as unknown[];
  return { ...rest, command: cmd, args, ...(environment !== undefined && { env: environment }) };
}

/**
 * opencode: `mcp` in opencode.json[c] (JSONC); the V2 `mcp.servers` layout is kept when the
 * file uses it. Local servers are `type: local` with the command as one array and
 * `environment`; remote ones `type: remote`, url, headers. `{env:VAR}` is substituted in the
 * file's text before it is parsed.
 */
export const opencode = defineClient({
  name: 'opencode',
  format: 'jsonc',
  launch: 'cli',
  // its own cwd, the folder `opencode` runs in (anomalyco/opencode packages/opencode/src/mcp; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // the MCP SDK's cross-spawn resolves npx.cmd
  remote: 'native',
  variableReference: (name) => '{env:' + name + '}',
  managedFields: ['type', 'command', 'environment', 'url', 'headers'],
  serversPath: (_ctx, document) => (isV2(document) ? ['mcp', 'servers'] : ['mcp']),
  resolvePath: (ctx) => configPath(ctx),
  toCanonical,
  render: (server, pins) =>
    server.kind === 'url' ? renderRemote(server, { type: 'remote' }) : renderLocal(server, pins),
});
