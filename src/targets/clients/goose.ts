import type { DesiredServer } from '../../config/types.js';
import { McpformError } from '../../errors.js';
import { defineClient } from '../define.js';
import type { ClientEntry, RenderedEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderMcpRemote, renderRemote, renderStdio } from './render.js';

/** Goose's default extension timeout (seconds), written on new entries only. */
const TIMEOUT = 300;

/** A rendered stdio entry in Goose's spelling: `cmd`, `args`, `envs` (pointers moved with them). */
function asGooseStdio(server: DesiredServer, r: RenderedEntry): RenderedEntry {
  const { command, args, env } = r.entry;
  const entry: ClientEntry = { type: 'stdio', name: server.name, cmd: command, args };
  if (env) entry.envs = env;
  const sensitive = new Set(
    [...r.sensitive].map((p) => p.replace(/^\/command$/, '/cmd').replace(/^\/env\//, '/envs/')),
  );
  return { entry: { ...entry, enabled: true, timeout: TIMEOUT }, sensitive };
}

function renderGoose(server: DesiredServer, pins: ReadonlyMap<string, string>): RenderedEntry {
  if (server.cwd !== undefined) {
    throw new McpformError(
      'UNSUPPORTED_BY_CLIENT',
      `server '${server.name}' sets cwd, which Goose extensions cannot (it has no working-directory field)`,
      { hint: `remove cwd, or keep the server away from goose with targets: { goose: { servers: [...] } }` },
    );
  }
  if (server.kind !== 'url') return asGooseStdio(server, renderStdio(server, pins));
  // Goose dropped SSE: an SSE-only server goes through the mcp-remote bridge.
  if (server.transport === 'sse') return asGooseStdio(server, renderMcpRemote(server));
  const r = renderRemote(server, { type: 'streamable_http', name: server.name }, 'uri');
  const sensitive = new Set([...r.sensitive].map((p) => p.replace(/^\/url$/, '/uri')));
  return { entry: { ...r.entry, enabled: true, timeout: TIMEOUT }, sensitive };
}

/**
 * Goose: `extensions` in `~/.config/goose/config.yaml` (XDG, macOS too; Windows
 * `%APPDATA%\Block\goose\config\config.yaml`; `GOOSE_PATH_ROOT/config/config.yaml`), a map
 * keyed by name. Edited through the yaml Document API, so comments and every other key
 * survive mcpform (Goose's own saves rewrite the file). `enabled` and `timeout` are written
 * on new entries but not managed: a user who disabled an extension in Goose keeps it
 * disabled. launch `gui`: the desktop app is how most people run Goose, and it gets the
 * desktop session's PATH; a server that starts there also starts from the goose CLI.
 */
export const goose = defineClient({
  name: 'goose',
  format: 'yaml',
  launch: 'gui',
  // the session's folder, GOOSE_WORKING_DIR, else its cwd (block/goose extension manager; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // Rust's which resolves npx.cmd through PATHEXT
  remote: 'native',
  managedFields: ['type', 'name', 'cmd', 'args', 'envs', 'uri', 'headers'],
  serversPath: () => ['extensions'],
  // `developer`, `computercontroller`, ...: part of Goose itself, not servers from this file.
  builtIn: (entry) => entry.type === 'builtin' || entry.type === 'platform',
  resolvePath: (ctx) => {
    const { join } = pathsOf(ctx);
    if (ctx.env.GOOSE_PATH_ROOT) return join(ctx.env.GOOSE_PATH_ROOT, 'config', 'config.yaml');
    if (ctx.platform === 'win32') {
      const appData = ctx.env.APPDATA || join(ctx.home, 'AppData', 'Roaming');
      return join(appData, 'Block', 'goose', 'config', 'config.yaml');
    }
    return join(ctx.env.XDG_CONFIG_HOME || join(ctx.home, '.config'), 'goose', 'config.yaml');
  },
  render: (server, pins) => renderGoose(server, pins),
  toCanonical: (entry) => {
    const { type, name: _name, cmd, envs, uri, enabled: _e, timeout: _t, ...rest } = entry;
    if (type === 'streamable_http' || type === 'sse' || (typeof uri === 'string' && cmd === undefined)) {
      return { ...rest, type: type === 'sse' ? 'sse' : 'http', url: uri };
    }
    const out: ClientEntry = { ...rest, command: cmd };
    if (envs !== undefined) out.env = envs;
    return out;
  },
});
