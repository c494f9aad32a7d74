import { existsSync } from 'node:fs';
import { McpformError } from '../../errors.js';
import { defineClient, type ResolveContext } from '../define.js';
import { pathsOf } from '../../world.js';
import { isV2, opencode } from './opencode.js';

/**
 * Kilo's global file: `~/.config/kilo/` (`$XDG_CONFIG_HOME/kilo/`), as opencode's (Kilo CLI
 * is an opencode fork: xdg-basedir, `~/.config` on every OS — inferred from the fork, not
 * checked in Kilo's own source): `kilo.jsonc`, or `kilo.json` when only that one is there.
 */
function userPath(ctx: ResolveContext, exists = existsSync): string {
  const j = pathsOf(ctx).join;
  const dir = j(ctx.env.XDG_CONFIG_HOME || j(ctx.home, '.config'), 'kilo');
  const jsonc = j(dir, 'kilo.jsonc');
  const json = j(dir, 'kilo.json');
  return !exists(jsonc) && exists(json) ? json : jsonc;
}

/** The project's `kilo.jsonc`, or `.kilo/kilo.jsonc` when only that one is there. */
function projectPath(ctx: ResolveContext, exists = existsSync): string {
  const j = pathsOf(ctx).join;
  const top = j(ctx.configDir!, 'kilo.jsonc');
  const nested = j(ctx.configDir!, '.kilo', 'kilo.jsonc');
  return !exists(top) && exists(nested) ? nested : top;
}

/**
 * Kilo Code CLI: top-level `mcp` in kilo.jsonc, opencode's format as is (`type: local` with
 * the command as one array and `environment`; `type: remote`, url, headers; `enabled`), and
 * `{env:VAR}` references. Its real CLI (7.7.7, issue 25 / CLIENTS.md) accepted
 * opencode-format entries unchanged, so entries are rendered and read by opencode's adapter.
 * - `user`: `~/.config/kilo/kilo.jsonc`;
 * - `project`: `kilo.jsonc` (or `.kilo/kilo.jsonc`) beside mcp.yaml (from CLIENTS.md; not
 *   checked in Kilo's source).
 */
export const kilo = defineClient({
  name: 'kilo',
  format: 'jsonc',
  scopes: ['user', 'project'],
  launch: 'cli',
  // as opencode, whose code it forks: the folder `kilo` runs in (not checked in Kilo's source).
  serverCwd: 'project',
  windowsStart: 'resolving', // as opencode: the MCP SDK's cross-spawn resolves npx.cmd
  remote: 'native',
  variableReference: opencode.variableReference,
  managedFields: opencode.managedFields,
  serversPath: (_ctx, document) => (isV2(document) ? ['mcp', 'servers'] : ['mcp']),
  resolvePath: (ctx) => (ctx.scope === 'project' ? projectPath(ctx) : userPath(ctx)),
  toCanonical: (entry) => opencode.toCanonical(entry),
  // opencode's renderer; Windows wrapping is kilo's own (`resolving`: none), applied by defineClient.
  render: (server, pins) => {
    if (server.kind !== 'url' && server.cwd !== undefined) {
      const message = `server '${server.name}' sets cwd, which Kilo's local servers do not have (they start in the project folder)`;
      throw new McpformError('INVALID_CONFIG', `${message}; nothing was changed`, {
        problems: [{ message, location: server.origin }],
        hint: "remove cwd, or use absolute paths in the server's args, for the 'kilo' target",
      });
    }
    return opencode.render(server, pins, undefined, 'linux');
  },
});
