import { McpformError } from '../../errors.js';
import { pathsOf } from '../../world.js';
import { defineClient } from '../define.js';
import type { ClientEntry } from '../types.js';
import { renderRemote, renderStdio } from './render.js';

const isEmpty = (v: unknown): boolean =>
  v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Object.keys(v).length);

/**
 * Amazon Q Developer CLI (archived; its successor is the Kiro CLI): global
 * `~/.aws/amazonq/mcp.json`, `scope: workspace` the `.amazonq/mcp.json` beside mcp.yaml.
 * Strict JSON (serde), `mcpServers`. `type` is `stdio` (also when absent) or `http` (url,
 * headers). Q rewrites the whole file on its own saves with every field, defaults included
 * (`"url": ""`, `"headers": {}` on a stdio entry; `"command": ""`, `"args": []` on an http one):
 * those read as absent, so they are "No changes.". timeout (ms), disabled, oauthScopes and oauth
 * are the user's. Q has no `cwd`, and expands `${env:VAR}` only in env and headers, so no
 * `secrets: reference`.
 */
export const amazonQ = defineClient({
  name: 'amazon-q',
  format: 'json',
  scopes: ['user', 'workspace'],
  launch: 'cli',
  // it inherits its own cwd, the folder `q chat` runs in; no `cwd` field (aws/amazon-q-developer-cli custom_tool.rs, CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'plain', // Rust's Command: no PATHEXT, bare npx would not start
  remote: 'native',
  managedFields: ['type', 'command', 'args', 'env', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => {
    const j = pathsOf(ctx).join;
    return ctx.scope === 'workspace'
      ? j(ctx.configDir!, '.amazonq', 'mcp.json')
      : j(ctx.home, '.aws', 'amazonq', 'mcp.json');
  },
  normalize: (entry) => {
    const type = entry.type === undefined ? 'stdio' : entry.type;
    const unused = type === 'http' ? ['command', 'args'] : ['url', 'headers'];
    const out: ClientEntry = { type };
    for (const [k, v] of Object.entries(entry)) if (k !== 'type' && !(unused.includes(k) && isEmpty(v))) out[k] = v;
    return out;
  },
  toCanonical: (entry) => {
    if (entry.type !== 'stdio') return entry;
    const { type: _type, ...rest } = entry;
    return rest;
  },
  render: (server, pins) => {
    if (server.kind === 'url') return renderRemote(server, { type: 'http' });
    if (server.cwd !== undefined) {
      const message = `server '${server.name}' sets cwd, which Amazon Q's MCP entries do not have (Q would ignore it)`;
      throw new McpformError('INVALID_CONFIG', `${message}; nothing was changed`, {
        problems: [{ message, location: server.origin }],
        hint: "remove cwd, or use absolute paths in the server's args, for the 'amazon-q' target",
      });
    }
    return renderStdio(server, pins, { type: 'stdio' });
  },
});
