import { join } from 'node:path';
import { defineClient } from '../define.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * Claude Code, user scope: the `mcpServers` of `~/.claude.json`, a file Claude Code also keeps
 * much other state in (all of it preserved, byte for byte). Strict JSON: Claude Code resets a
 * file it cannot parse. Entries carry a `type` (stdio, http, sse); an absent one means stdio.
 */
export const claudeCode = defineClient({
  name: 'claude-code',
  format: 'json',
  launch: 'cli',
  remote: 'native',
  variableReference: (name) => '${' + name + '}',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => join(ctx.home, '.claude.json'),
  normalize: (entry) => (entry.type === undefined && 'command' in entry ? { type: 'stdio', ...entry } : entry),
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
      : renderStdio(server, pins, { type: 'stdio' }),
});
