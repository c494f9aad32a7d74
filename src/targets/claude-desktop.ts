import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join, posix, win32 } from 'node:path';
import type { TargetSpec } from '../config/types.js';
import { escapePointer } from '../util/pointer.js';
import { readMcpServersFile, renderStdio, serializeMcpServersFile } from './mcp-servers-file.js';
import type { RenderedEntry, TargetAdapter } from './types.js';

const FILE = 'claude_desktop_config.json';
/** The Microsoft Store (MSIX) build keeps its files in a virtualised folder. */
const MSIX_PACKAGE = 'Claude_pzs8sxrjxfjjc';

/** Claude Desktop's config file on this OS, or the one the user pointed us at. */
export function claudeDesktopPath(
  spec: TargetSpec,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists = existsSync,
): string {
  if (env.MCPFORM_CLAUDE_DESKTOP_CONFIG) return env.MCPFORM_CLAUDE_DESKTOP_CONFIG;
  if (spec.path) return spec.path;
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'Claude', FILE);
  if (platform === 'win32') {
    const appData = env.APPDATA || win32.join(home, 'AppData', 'Roaming');
    const classic = win32.join(appData, 'Claude', FILE);
    const localAppData = env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local');
    const store = win32.join(localAppData, 'Packages', MSIX_PACKAGE, 'LocalCache', 'Roaming', 'Claude', FILE);
    return !exists(classic) && exists(store) ? store : classic;
  }
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Claude', FILE);
}

export function headerEnvName(header: string): string {
  return `MCP_HEADER_${header.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export const claudeDesktop: TargetAdapter = {
  name: 'claude-desktop',
  launch: 'gui',
  managedFields: ['command', 'args', 'env', 'cwd'],

  resolvePath: (spec, env, platform) => claudeDesktopPath(spec, env, platform),

  read: (path) => readMcpServersFile('claude-desktop', path),

  render(server, pins): RenderedEntry {
    if (server.kind !== 'url') return renderStdio(server, pins);
    // Claude Desktop's file has no remote entry: bridge through mcp-remote. Header values
    // go through env (mcp-remote expands ${VAR} in --header), so no secret sits in args.
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
  },

  serialize: serializeMcpServersFile,
};
