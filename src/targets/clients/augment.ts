import { defineClient } from '../define.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio, withoutStdioType } from './render.js';

/**
 * Augment's Auggie CLI, `mcpServers` in its settings files (read in @augmentcode/auggie
 * 0.36.0's bundle: the settings paths, `get("mcpServers")`, and the entry parser):
 * - `user`: `~/.augment/settings.json` (the `--augment-cache-dir` folder);
 * - `project`: `.augment/settings.json` beside mcp.yaml;
 * - `local`: `.augment/settings.local.json` (personal, not committed).
 * JSONC (parsed with trailing commas allowed). `type` is `stdio`, `http` or `sse`; without
 * one a `url` is http and a `command` stdio. Fields: command, args, env, cwd | url, headers;
 * `disabled`, `clientId` and other settings are kept. Auggie substitutes only
 * `${workspaceFolder}`, not variables, so `secrets: reference` is not offered.
 */
export const augment = defineClient({
  name: 'augment',
  format: 'jsonc',
  scopes: ['user', 'project', 'local'],
  launch: 'cli',
  // the workspace root: Auggie sets `cwd: entry.cwd ?? workspaceRoot` on every server (0.36.0 bundle).
  serverCwd: 'project',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => {
    const j = pathsOf(ctx).join;
    if (ctx.scope === 'project') return j(ctx.configDir!, '.augment', 'settings.json');
    if (ctx.scope === 'local') return j(ctx.configDir!, '.augment', 'settings.local.json');
    return j(ctx.home, '.augment', 'settings.json');
  },
  normalize: (entry) =>
    entry.type !== undefined
      ? entry
      : 'url' in entry
        ? { type: 'http', ...entry }
        : 'command' in entry
          ? { type: 'stdio', ...entry }
          : entry,
  toCanonical: withoutStdioType,
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
      : renderStdio(server, pins, { type: 'stdio' }),
});
