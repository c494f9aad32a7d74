import { homedir } from 'node:os';
import { join } from 'node:path';
import { readMcpServersFile, renderRemote, renderStdio, serializeMcpServersFile } from './mcp-servers-file.js';
import type { TargetAdapter } from './types.js';

/**
 * Claude Code, user scope: the `mcpServers` of `~/.claude.json`, a file Claude Code also
 * keeps much other state in (all of it preserved). Entries carry a `type`: stdio, http, sse.
 */
export const claudeCode: TargetAdapter = {
  name: 'claude-code',
  launch: 'cli',
  variableReference: (name) => '${' + name + '}',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  resolvePath: (spec, env = process.env) =>
    env.MCPFORM_CLAUDE_CODE_CONFIG || spec.path || join(env.HOME || env.USERPROFILE || homedir(), '.claude.json'),
  read: (path) => readMcpServersFile('claude-code', path),
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
      : renderStdio(server, pins, { type: 'stdio' }),
  serialize: serializeMcpServersFile,
};
