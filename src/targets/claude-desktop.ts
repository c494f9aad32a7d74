import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join, posix, win32 } from 'node:path';
import type { DesiredServer, TargetSpec } from '../config/types.js';
import { escapePointer } from '../util/pointer.js';
import { McpformError } from '../errors.js';
import { readJsonFile } from './json-file.js';
import type { ClientEntry, LiveConfig, Pins, RenderedEntry, TargetAdapter } from './types.js';

const FILE = 'claude_desktop_config.json';
/** The Microsoft Store (MSIX) build keeps its files in a virtualised folder. */
const MSIX_PACKAGE = 'Claude_pzs8sxrjxfjjc';

/** Claude Desktop's config file on this OS, or the one the user pointed us at. */
export function claudeDesktopPath(spec: TargetSpec, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists = existsSync): string {
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

/** npx -y NAME@VERSION: the pinned version from mcp.lock when there is one. */
export function packageCommand(server: DesiredServer, pins: Pins): string[] {
  const pkg = server.package!;
  const version = pins.get(server.name) ?? pkg.range;
  return ['-y', version === 'latest' ? pkg.name : `${pkg.name}@${version}`];
}

export function headerEnvName(header: string): string {
  return `MCP_HEADER_${header.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export const claudeDesktop: TargetAdapter = {
  name: 'claude-desktop',
  managedFields: ['command', 'args', 'env', 'cwd'],

  resolvePath: (spec, env, platform) => claudeDesktopPath(spec, env, platform),

  read(path: string): LiveConfig {
    const file = readJsonFile(path);
    const document = file.value === undefined ? {} : file.value;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new McpformError('INVALID_LIVE_CONFIG', `${path} must hold a JSON object; mcpform will not overwrite it`);
    }
    const servers = (document as Record<string, unknown>).mcpServers ?? {};
    if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
      throw new McpformError('INVALID_LIVE_CONFIG', `${path}: "mcpServers" must be an object of server entries; mcpform will not overwrite it`);
    }
    for (const [name, entry] of Object.entries(servers)) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new McpformError('INVALID_LIVE_CONFIG', `${path}: mcpServers.${name} must be an object; mcpform will not overwrite it`);
      }
    }
    return {
      target: 'claude-desktop',
      path,
      exists: file.exists,
      hash: file.hash,
      text: file.text,
      document: document as Record<string, unknown>,
      entries: servers as Record<string, ClientEntry>,
      indent: file.indent,
    };
  },

  render(server, pins): RenderedEntry {
    const sensitive = new Set<string>();
    const entry: ClientEntry = {};
    const args: string[] = [];
    const env: Record<string, string> = { ...server.env };
    let argOffset = 0;
    if (server.kind === 'command') {
      entry.command = server.command;
      if (server.sensitive.has('/command')) sensitive.add('/command');
    } else if (server.kind === 'package') {
      entry.command = 'npx';
      args.push(...packageCommand(server, pins));
      argOffset = args.length;
    } else {
      // Claude Desktop's file has no remote entry: bridge through mcp-remote. Header values
      // go through env (mcp-remote expands ${VAR} in --header), so no secret sits in args.
      entry.command = 'npx';
      args.push('-y', 'mcp-remote', server.url!);
      if (server.sensitive.has('/url')) sensitive.add(`/args/${args.length - 1}`);
      if (server.transport) args.push('--transport', server.transport === 'sse' ? 'sse-only' : 'http-only');
      for (const [name, value] of Object.entries(server.headers)) {
        const v = headerEnvName(name);
        args.push('--header', `${name}:\${${v}}`);
        env[v] = value;
        if (server.sensitive.has(`/headers/${escapePointer(name)}`)) sensitive.add(`/env/${escapePointer(v)}`);
      }
    }
    server.args.forEach((a, i) => {
      args.push(a);
      if (server.sensitive.has(`/args/${i}`)) sensitive.add(`/args/${i + argOffset}`);
    });
    entry.args = args;
    for (const p of server.sensitive) if (p.startsWith('/env/')) sensitive.add(p);
    if (Object.keys(env).length) entry.env = env;
    if (server.cwd) {
      entry.cwd = server.cwd;
      if (server.sensitive.has('/cwd')) sensitive.add('/cwd');
    }
    return { entry, sensitive };
  },

  serialize(live, entries): string {
    const doc: Record<string, unknown> = { ...live.document };
    doc.mcpServers = entries; // keeps its position when the key existed
    return `${JSON.stringify(doc, null, live.indent)}\n`;
  },
};
