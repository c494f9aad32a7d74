import { defineClient, type ResolveContext } from '../define.js';
import type { ClientEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/** zed crates/paths `config_dir()`: `%APPDATA%\Zed`; `~/.config/zed` on macOS; XDG (or Flatpak's) on Linux. */
function settingsPath(ctx: ResolveContext): string {
  const { env } = ctx;
  const { join } = pathsOf(ctx);
  if (ctx.platform === 'win32')
    return join(env.APPDATA || join(ctx.home, 'AppData', 'Roaming'), 'Zed', 'settings.json');
  if (ctx.platform === 'darwin') return join(ctx.home, '.config', 'zed', 'settings.json');
  const base = env.FLATPAK_XDG_CONFIG_HOME || env.XDG_CONFIG_HOME || join(ctx.home, '.config');
  return join(base, 'zed', 'settings.json');
}

/**
 * The 2025 shape Zed still migrates: `"command": { "path", "args", "env" }`. Read as the
 * current one, so an equivalent entry is "No changes." and an edit writes the current shape.
 */
function normalize(entry: ClientEntry): ClientEntry {
  const c = entry.command;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return entry;
  const legacy = c as { path?: unknown; args?: unknown; env?: unknown };
  const { command: _command, ...rest } = entry;
  return {
    ...rest,
    command: legacy.path,
    ...(legacy.args !== undefined && { args: legacy.args }),
    ...(legacy.env !== undefined && { env: legacy.env }),
  };
}

/**
 * Zed: `context_servers` inside the whole editor settings.json (JSONC; every other setting
 * and comment kept). Stdio entries are command/args/env; remote ones url/headers. No
 * `source` key (legacy, stripped by Zed's migrator). Zed does not expand variables.
 */
export const zed = defineClient({
  name: 'zed',
  format: 'jsonc',
  // Started outside a terminal, Zed loads the login shell's environment first (unix; zed
  // main.rs `load_login_shell_environment`): its servers get the shell's PATH.
  launch: 'cli',
  // the active project's folder, the first worktree (zed crates/context_server; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // Zed starts servers through a shell since PR #42382
  remote: 'native',
  managedFields: ['command', 'args', 'env', 'url', 'headers'],
  serversPath: () => ['context_servers'],
  resolvePath: settingsPath,
  normalize,
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server) : renderStdio(server, pins)),
});
