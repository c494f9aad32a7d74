import { defineClient, type ResolveContext } from '../define.js';
import type { ClientEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/** What `copilot mcp add` gives every entry: all of the server's tools. */
const ALL_TOOLS = ['*'];

/** `--config-dir` else `$COPILOT_HOME` else `~/.copilot`, on every OS (Copilot CLI 1.0.102). */
function copilotHome(ctx: ResolveContext): string {
  return ctx.env.COPILOT_HOME || pathsOf(ctx).join(ctx.home, '.copilot');
}

/**
 * How Copilot reads an entry (1.0.102): no `type` is `local` for a command and `http` for a
 * url; `stdio` and `local` are one type; no `tools` is all tools.
 */
function normalize(entry: ClientEntry): ClientEntry {
  let out = entry;
  if (out.type === undefined) {
    if ('command' in out) out = { type: 'local', ...out };
    else if ('url' in out) out = { type: 'http', ...out };
  } else if (out.type === 'stdio') out = { ...out, type: 'local' };
  return out.tools === undefined ? { ...out, tools: ALL_TOOLS } : out;
}

/** The common vocabulary: a command entry has no type; all tools is the default. */
function toCanonical(entry: ClientEntry): ClientEntry {
  const { type, tools, ...rest } = entry;
  const out: ClientEntry = type === 'local' || type === undefined ? rest : { type, ...rest };
  if (!(Array.isArray(tools) && tools.length === 1 && tools[0] === '*')) out.tools = tools;
  return out;
}

/**
 * GitHub Copilot (Copilot CLI, and VS Code's Copilot agent through the portable format):
 * - `user`: `$COPILOT_HOME/mcp-config.json`, else `~/.copilot/mcp-config.json`;
 * - `project`: `.mcp.json` beside mcp.yaml, the file Claude Code's and Qwen Code's project
 *   scopes read too (planned with them: `sharedScopes`).
 * `mcpServers`; `type` is `local`/`stdio`, `http` or `sse`; `tools` lists the tools Copilot may
 * call (`["*"]`: all), `oauthClientId` a remote server's OAuth client: both the user's, kept.
 * Entries are written as `copilot mcp add` writes them (`type: local`, `tools: ["*"]`), so
 * a file Copilot made plans as "No changes." Strict JSON: Copilot skips a `.mcp.json` with a
 * comment ("malformed"), though its own mcp-config.json may hold comments.
 */
export const copilot = defineClient({
  name: 'copilot',
  format: 'json',
  scopes: ['user', 'project'],
  sharedScopes: ['project'],
  launch: 'cli',
  // not established for the Copilot CLI (closed source; CLIENTS.md launch table: ?); VS Code's agent uses the workspace folder.
  serverCwd: 'unknown',
  remote: 'native',
  variableReference: (name) => '${' + name + '}',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) =>
    ctx.scope === 'project'
      ? pathsOf(ctx).join(ctx.configDir!, '.mcp.json')
      : pathsOf(ctx).join(copilotHome(ctx), 'mcp-config.json'),
  normalize,
  toCanonical,
  render: (server, pins) => {
    const { entry, sensitive } =
      server.kind === 'url'
        ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
        : renderStdio(server, pins, { type: 'local' });
    return { entry: { ...entry, tools: ALL_TOOLS }, sensitive };
  },
});
