import { existsSync } from 'node:fs';
import { defineClient, type ResolveContext } from '../define.js';
import type { ClientEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * Antigravity 2.0 (the IDE and the `agy` CLI) reads `~/.gemini/config/mcp_config.json`;
 * 1.x read `~/.gemini/antigravity/mcp_config.json`, kept here when it is the only one there.
 * Both from tools' and servers' setup docs (CLIENTS.md; Google's chrome-devtools-mcp README
 * for 1.x): not verified in Google's own Antigravity docs.
 */
function userPath(ctx: ResolveContext, exists = existsSync): string {
  const j = pathsOf(ctx).join;
  const current = j(ctx.home, '.gemini', 'config', 'mcp_config.json');
  const legacy = j(ctx.home, '.gemini', 'antigravity', 'mcp_config.json');
  return !exists(current) && exists(legacy) ? legacy : current;
}

/** A `url` entry (the 2.0 setup docs' spelling) read as the `serverUrl` one it stands for. */
function normalize(entry: ClientEntry): ClientEntry {
  if (entry.serverUrl !== undefined || typeof entry.url !== 'string') return entry;
  return Object.fromEntries(Object.entries(entry).map(([k, v]) => [k === 'url' ? 'serverUrl' : k, v]));
}

/** The common vocabulary: `serverUrl` is the url (the transport is found by Antigravity). */
function toCanonical(entry: ClientEntry): ClientEntry {
  if (entry.serverUrl === undefined) return entry;
  const { serverUrl, url: _url, ...rest } = entry;
  return { url: serverUrl, ...rest };
}

/**
 * Google Antigravity, `mcpServers` in mcp_config.json, Windsurf's format (it is built on
 * Windsurf's): command, args, env; a remote server is `serverUrl` (not `url`) with headers;
 * `disabled` is the user's and kept.
 * - `user`: see `userPath`;
 * - `project`: `.agents/mcp_config.json` beside mcp.yaml (2.0; CLIENTS.md, not verified).
 * Whether 2.0 still reads `serverUrl` rather than `url` is not verified (setup docs for
 * 2.0 show both); an entry with `url` is read as the same server. Strict JSON; variable
 * expansion is not documented, so `secrets: reference` is not offered.
 */
export const antigravity = defineClient({
  name: 'antigravity',
  format: 'json',
  scopes: ['user', 'project'],
  launch: 'gui',
  // not established (closed source).
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  managedFields: ['command', 'args', 'env', 'cwd', 'serverUrl', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) =>
    ctx.scope === 'project' ? pathsOf(ctx).join(ctx.configDir!, '.agents', 'mcp_config.json') : userPath(ctx),
  normalize,
  toCanonical,
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server, {}, 'serverUrl') : renderStdio(server, pins)),
});
