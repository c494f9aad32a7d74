import { defineClient } from '../define.js';
import type { ClientEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * How Qwen Code starts an entry (packages/core mcp-client `createTransport`): `httpUrl` is
 * Streamable HTTP and wins; a `url` is SSE whatever its `type` says; a command's `type` is
 * not read. (Its `.mcp.json` loader turns Claude Code's `type: http` + `url` into `httpUrl`
 * since 0.24, but its settings files do not, and older releases did neither: `httpUrl` is
 * what reaches HTTP everywhere.)
 */
function toCanonical(entry: ClientEntry): ClientEntry {
  if (typeof entry.httpUrl === 'string') {
    const { httpUrl, url: _url, type: _type, ...rest } = entry;
    return { ...rest, url: httpUrl, type: 'http' };
  }
  if (typeof entry.url === 'string') {
    const { type: _type, ...rest } = entry;
    return { ...rest, type: 'sse' };
  }
  if ('command' in entry && entry.type !== undefined) {
    const { type: _type, ...rest } = entry;
    return rest;
  }
  return entry;
}

/**
 * Qwen Code (a Gemini CLI fork), `mcpServers` in each file it reads:
 * - `user`: `$QWEN_HOME/settings.json`, else `~/.qwen/settings.json`;
 * - `workspace`: `.qwen/settings.json` beside mcp.yaml;
 * - `local`: `.qwen/settings.local.json` (personal, not committed);
 * - `project`: `.mcp.json`, shared with Claude Code and Copilot (`sharedScopes`).
 * JSONC (strip-json-comments). Remote HTTP servers are written as `httpUrl`, as `qwen mcp add
 * -t http` does; SSE as `url`. `$VAR`/`${VAR}` are expanded in settings values.
 */
export const qwenCode = defineClient({
  name: 'qwen-code',
  format: 'jsonc',
  scopes: ['user', 'workspace', 'local', 'project'],
  sharedScopes: ['project'],
  launch: 'cli',
  // the session's folder, the one `qwen` runs in (QwenLM/qwen-code, a gemini-cli fork: cwd field honoured; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // the MCP SDK's cross-spawn resolves npx.cmd
  remote: 'native',
  variableReference: (name) => '${' + name + '}',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'httpUrl', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => {
    const j = pathsOf(ctx).join;
    if (ctx.scope === 'project') return j(ctx.configDir!, '.mcp.json');
    if (ctx.scope === 'workspace') return j(ctx.configDir!, '.qwen', 'settings.json');
    if (ctx.scope === 'local') return j(ctx.configDir!, '.qwen', 'settings.local.json');
    return j(ctx.env.QWEN_HOME || j(ctx.home, '.qwen'), 'settings.json');
  },
  toCanonical,
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, {}, server.transport === 'sse' ? 'url' : 'httpUrl')
      : renderStdio(server, pins),
});
