import { defineClient } from '../define.js';
import type { ClientEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/** `httpUrl` (deprecated) is `url` with `type: http`; `url` without a type is auto-detected, read as http. */
function toCanonical(entry: ClientEntry): ClientEntry {
  if (typeof entry.httpUrl === 'string') {
    const { httpUrl, ...rest } = entry;
    return { ...rest, url: httpUrl, type: 'http' };
  }
  return typeof entry.url === 'string' && entry.type === undefined ? { ...entry, type: 'http' } : entry;
}

/**
 * Gemini CLI: `~/.gemini/settings.json` (JSONC), `mcpServers`. Stdio: command, args, env,
 * cwd; remote: `url` with `type: http|sse` (not the deprecated `httpUrl`, which mcpform
 * replaces on an edit: it would win over `url`). `$VAR`/`${VAR}` are expanded at load, and `%VAR%` in env on Windows.
 */
export const geminiCli = defineClient({
  name: 'gemini-cli',
  format: 'jsonc',
  launch: 'cli',
  // its own cwd, the folder `gemini` runs in (google-gemini/gemini-cli packages/core mcp-client.ts; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // the MCP SDK's cross-spawn resolves npx.cmd
  percentVariables: 'env', // %VAR% in env values on Windows (CLIENTS.md); an unset one becomes empty
  remote: 'native',
  variableReference: (name) => '${' + name + '}',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'httpUrl', 'type', 'headers'],
  serversPath: () => ['mcpServers'],
  // GEMINI_CLI_HOME stands in for the home folder (gemini-cli-core `homedir()`).
  resolvePath: (ctx) => pathsOf(ctx).join(ctx.env.GEMINI_CLI_HOME || ctx.home, '.gemini', 'settings.json'),
  toCanonical,
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
      : renderStdio(server, pins),
});
