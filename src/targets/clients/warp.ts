import type { DesiredServer } from '../../config/types.js';
import { defineClient } from '../define.js';
import type { ClientEntry, Pins, RenderedEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/** A stdio entry with Warp's `working_directory` for `cwd` (its secret pointer moved with it). */
function render(server: DesiredServer, pins: Pins): RenderedEntry {
  if (server.kind === 'url') return renderRemote(server);
  const { entry, sensitive } = renderStdio(server, pins);
  if (entry.cwd === undefined) return { entry, sensitive };
  const { cwd, ...rest } = entry;
  const moved = new Set([...sensitive].map((p) => (p === '/cwd' ? '/working_directory' : p)));
  return { entry: { ...rest, working_directory: cwd }, sensitive: moved };
}

/** The common vocabulary: `working_directory` is `cwd`. */
function toCanonical(entry: ClientEntry): ClientEntry {
  if (entry.working_directory === undefined) return entry;
  const { working_directory, ...rest } = entry;
  return { ...rest, cwd: working_directory };
}

/**
 * Warp (the terminal's local agents), `mcpServers` in a `.mcp.json` of its own
 * (warpdotdev/warp app/src/ai/mcp: `JSONTransportType` CLIServer { command, args, env,
 * working_directory } | SSEServer { url, headers }, read with serde_json; docs.warp.dev
 * agents/capabilities/mcp):
 * - `user`: `~/.warp/.mcp.json` (the global file, whose servers start on their own; that
 *   Windows uses the same folder is not verified);
 * - `project`: `.warp/.mcp.json` beside mcp.yaml (Warp asks before starting its servers).
 * Strict JSON. Warp replaces every `${VAR}` in the file with the variable's value before it
 * parses it (parsing.rs `substitute_env_vars`; an unset or empty one stops the server), so
 * `secrets: reference` writes `${VAR}`. The transport of a url is found by Warp itself.
 */
export const warp = defineClient({
  name: 'warp',
  format: 'json',
  scopes: ['user', 'project'],
  launch: 'gui',
  // not established: `working_directory` is optional and Warp's default for it is not documented.
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  variableReference: (name) => '${' + name + '}',
  managedFields: ['command', 'args', 'env', 'working_directory', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => pathsOf(ctx).join(ctx.scope === 'project' ? ctx.configDir! : ctx.home, '.warp', '.mcp.json'),
  toCanonical,
  render,
});
