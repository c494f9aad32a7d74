import { defineClient, type ResolveContext } from '../define.js';
import type { ClientEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio, withoutStdioType } from './render.js';

/** `~/.claude.json`, or `$CLAUDE_CONFIG_DIR/.claude.json` when Claude Code is pointed elsewhere. */
function claudeJson(ctx: ResolveContext): string {
  return pathsOf(ctx).join(ctx.env.CLAUDE_CONFIG_DIR || ctx.home, '.claude.json');
}

/**
 * The key Claude Code files a project under in `projects`: its absolute path, with forward
 * slashes on Windows (`C:/Users/me/app`), as Claude Code writes it.
 */
export function projectKey(dir: string): string {
  return /^[A-Za-z]:\\/.test(dir) ? dir.replace(/\\/g, '/') : dir;
}

/**
 * Claude Code, three scopes (`claude mcp add --scope`):
 * - `user`: the top-level `mcpServers` of `~/.claude.json`;
 * - `local`: `projects["<mcp.yaml's folder>"].mcpServers` in the same file, for this project only;
 * - `project`: `.mcp.json` beside mcp.yaml, shared through the repository.
 * `~/.claude.json` also holds much other state (all of it preserved, byte for byte). Strict
 * JSON: Claude Code resets a file it cannot parse. Entries carry a `type` (stdio, http, sse);
 * an absent one means stdio. `${VAR}` is expanded in command, args, env, url and headers.
 */
export const claudeCode = defineClient({
  name: 'claude-code',
  format: 'json',
  scopes: ['user', 'local', 'project'],
  launch: 'cli',
  // the folder `claude` was started in (CLIENTS.md launch table; a `cwd` field is reported ignored).
  serverCwd: 'project',
  windowsStart: 'plain', // it warns "Windows requires 'cmd /c' wrapper to execute npx"
  remote: 'native',
  variableReference: (name) => '${' + name + '}',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: (ctx) =>
    ctx.scope === 'local' ? ['projects', projectKey(ctx.configDir!), 'mcpServers'] : ['mcpServers'],
  resolvePath: (ctx) => (ctx.scope === 'project' ? pathsOf(ctx).join(ctx.configDir!, '.mcp.json') : claudeJson(ctx)),
  normalize: (entry) => (entry.type === undefined && 'command' in entry ? { type: 'stdio', ...entry } : entry),
  toCanonical: withoutStdioType,
  sharedScopes: ['project'],
  refuses,
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
      : renderStdio(server, pins, { type: 'stdio' }),
});

/**
 * What Claude Code (2.1.197, `claude mcp list`) skips: an unknown `type` (Copilot's `local`),
 * and a remote entry whose `tools` is not a list of objects (Copilot's `["*"]`).
 */
function refuses(entry: ClientEntry): string | undefined {
  const type = entry.type;
  if (type !== undefined && !['stdio', 'http', 'sse', 'ws'].includes(String(type))) return `type '${String(type)}'`;
  const tools = entry.tools;
  if (type !== 'stdio' && 'url' in entry && tools !== undefined)
    if (!Array.isArray(tools) || tools.some((t) => typeof t !== 'object' || t === null))
      return `tools ${JSON.stringify(tools)} on a remote server (a list of objects)`;
  return undefined;
}
