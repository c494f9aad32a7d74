import { defineClient, type ResolveContext } from '../define.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * Amp's user settings: `~/.config/amp/settings.json` on macOS and Linux,
 * `%USERPROFILE%\.config\amp\settings.json` on Windows (ampcode.com manual, "Configuration";
 * whether it honours XDG_CONFIG_HOME is not documented, so it is not read).
 */
function userPath(ctx: ResolveContext): string {
  return pathsOf(ctx).join(ctx.home, '.config', 'amp', 'settings.json');
}

/**
 * Sourcegraph Amp (CLI and editor extensions): servers under the one flat key
 * `amp.mcpServers` of its settings file (VS Code-style dotted setting names, so the key is
 * `"amp.mcpServers"`, not a nested `amp` object). Entries: command, args, env | url,
 * headers; `disabled` and tool filters are the user's and kept. The transport of a url is
 * found by Amp itself, so the entry carries no `type`.
 * - `user`: see `userPath`;
 * - `workspace`: `.amp/settings.json` beside mcp.yaml (Amp asks to approve its servers once).
 * Read as JSONC (Amp also accepts `settings.jsonc`; comments in `settings.json`: not
 * verified). Amp's `$VAR` expansion in entries is not verified, so `secrets: reference` is
 * not offered.
 */
export const amp = defineClient({
  name: 'amp',
  format: 'jsonc',
  scopes: ['user', 'workspace'],
  launch: 'cli',
  // not established from Amp's docs (closed source).
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['amp.mcpServers'],
  resolvePath: (ctx) =>
    ctx.scope === 'workspace' ? pathsOf(ctx).join(ctx.configDir!, '.amp', 'settings.json') : userPath(ctx),
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server) : renderStdio(server, pins)),
});
