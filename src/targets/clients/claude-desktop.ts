import { existsSync } from 'node:fs';
import type { TargetSpec } from '../../config/types.js';
import { pathsOf, type World } from '../../world.js';
import { defineClient, resolveContext, type ResolveContext } from '../define.js';
import { renderMcpRemote, renderStdio } from './render.js';

const FILE = 'claude_desktop_config.json';
/** The Microsoft Store (MSIX) build keeps its files in a virtualised folder. */
const MSIX_PACKAGE = 'Claude_pzs8sxrjxfjjc';

function defaultPath(ctx: ResolveContext, exists: (p: string) => boolean = existsSync): string {
  const { env } = ctx;
  const { join } = pathsOf(ctx);
  if (ctx.platform === 'darwin') return join(ctx.home, 'Library', 'Application Support', 'Claude', FILE);
  if (ctx.platform === 'win32') {
    const appData = env.APPDATA || join(ctx.home, 'AppData', 'Roaming');
    const classic = join(appData, 'Claude', FILE);
    const localAppData = env.LOCALAPPDATA || join(ctx.home, 'AppData', 'Local');
    const store = join(localAppData, 'Packages', MSIX_PACKAGE, 'LocalCache', 'Roaming', 'Claude', FILE);
    return !exists(classic) && exists(store) ? store : classic;
  }
  return join(env.XDG_CONFIG_HOME || join(ctx.home, '.config'), 'Claude', FILE);
}

/** Claude Desktop's config file on this OS, or the one the user pointed us at. */
export function claudeDesktopPath(
  spec: TargetSpec,
  world: Pick<World, 'env' | 'platform' | 'home'>,
  exists = existsSync,
): string {
  return world.env.MCPFORM_CLAUDE_DESKTOP_CONFIG || spec.path || defaultPath(resolveContext({}, spec, world), exists);
}

/** Claude Desktop: a GUI app, strict JSON, `mcpServers`; no remote entries, so mcp-remote. */
export const claudeDesktop = defineClient({
  name: 'claude-desktop',
  format: 'json',
  launch: 'gui',
  // no cwd is passed, so the app's own: `/` when launchd starts it on macOS (CLIENTS.md launch table, user reports); the app folder on Windows.
  serverCwd: 'root',
  windowsStart: 'plain', // Node's spawn without a shell: bare npx is ENOENT (CLIENTS.md)
  remote: 'mcp-remote',
  managedFields: ['command', 'args', 'env', 'cwd'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => defaultPath(ctx),
  render: (server, pins) => (server.kind === 'url' ? renderMcpRemote(server) : renderStdio(server, pins)),
});
