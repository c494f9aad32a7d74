import { homedir } from 'node:os';
import { join } from 'node:path';
import { readMcpServersFile, renderRemote, renderStdio, serializeMcpServersFile } from './mcp-servers-file.js';
import type { TargetAdapter } from './types.js';

/**
 * Cursor: `~/.cursor/mcp.json` (a project's `.cursor/mcp.json` through
 * `targets: { cursor: { path: .cursor/mcp.json } }`). Remote servers are native entries.
 */
export const cursor: TargetAdapter = {
  name: 'cursor',
  launch: 'gui',
  variableReference: (name) => '${env:' + name + '}',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'headers'],
  resolvePath: (spec, env = process.env) =>
    env.MCPFORM_CURSOR_CONFIG || spec.path || join(env.HOME || env.USERPROFILE || homedir(), '.cursor', 'mcp.json'),
  read: (path) => readMcpServersFile('cursor', path),
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server) : renderStdio(server, pins)),
  serialize: serializeMcpServersFile,
};
