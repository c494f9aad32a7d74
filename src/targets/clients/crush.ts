import { existsSync } from 'node:fs';
import type { DesiredServer } from '../../config/types.js';
import { McpformError } from '../../errors.js';
import { defineClient, type ResolveContext } from '../define.js';
import type { Pins, RenderedEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio, withoutStdioType } from './render.js';

/**
 * Crush's global file (charmbracelet/crush internal/config/load.go `globalConfig`):
 * `$XDG_CONFIG_HOME/crush/crush.json` when set (on every OS), else Windows
 * `%LOCALAPPDATA%\crush\crush.json` (else `%USERPROFILE%\AppData\Local\...`), else
 * `~/.config/crush/crush.json`.
 */
function userPath(ctx: ResolveContext): string {
  const j = pathsOf(ctx).join;
  if (ctx.env.XDG_CONFIG_HOME) return j(ctx.env.XDG_CONFIG_HOME, 'crush', 'crush.json');
  if (ctx.platform === 'win32') {
    return j(ctx.env.LOCALAPPDATA || j(ctx.home, 'AppData', 'Local'), 'crush', 'crush.json');
  }
  return j(ctx.home, '.config', 'crush', 'crush.json');
}

/** The project's `crush.json`, or `.crush.json` when that is the only one there (Crush merges both). */
function projectPath(ctx: ResolveContext, exists = existsSync): string {
  const j = pathsOf(ctx).join;
  const plain = j(ctx.configDir!, 'crush.json');
  const dotted = j(ctx.configDir!, '.crush.json');
  return !exists(plain) && exists(dotted) ? dotted : plain;
}

function render(server: DesiredServer, pins: Pins): RenderedEntry {
  if (server.kind === 'url') return renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' });
  if (server.cwd !== undefined) {
    throw new McpformError(
      'UNSUPPORTED_BY_CLIENT',
      `server '${server.name}' sets cwd, which Crush's MCP entries cannot (they have no working-directory field)`,
      { hint: `remove cwd, or keep the server away from crush with targets: { crush: { servers: [...] } }` },
    );
  }
  return renderStdio(server, pins, { type: 'stdio' });
}

/**
 * Crush (Charm), `mcp` in crush.json (charmbracelet/crush internal/config/config.go
 * `MCPConfig`): `type` is `stdio` (the schema's default, filled in when absent), `http` or
 * `sse`; command, args, env | url, headers; `disabled` and the newer `timeout` /
 * `disabled_tools` are the user's and kept. No `cwd` field: a server with one is refused.
 * - `user`: see `userPath`;
 * - `project`: `crush.json` (or `.crush.json`) beside mcp.yaml.
 * Strict JSON (Go's encoding/json; a comment is an error there). Crush expands `$VAR` in
 * `env` and `headers` only (ResolvedEnv/ResolvedHeaders), not in args or url, so
 * `secrets: reference` is not offered.
 */
export const crush = defineClient({
  name: 'crush',
  format: 'json',
  scopes: ['user', 'project'],
  launch: 'cli',
  // its own cwd, the folder `crush` runs in (CLIENTS.md launch table; no cwd field in MCPConfig).
  serverCwd: 'project',
  // not verified: Go's exec.LookPath reads PATHEXT, so a bare npx likely starts; the form every client starts.
  windowsStart: 'plain',
  remote: 'native',
  managedFields: ['type', 'command', 'args', 'env', 'url', 'headers'],
  serversPath: () => ['mcp'],
  resolvePath: (ctx) => (ctx.scope === 'project' ? projectPath(ctx) : userPath(ctx)),
  // the schema's default type (`jsonschema:"default=stdio"`) for a command entry without one.
  normalize: (entry) => (entry.type === undefined && 'command' in entry ? { type: 'stdio', ...entry } : entry),
  toCanonical: withoutStdioType,
  render,
});
