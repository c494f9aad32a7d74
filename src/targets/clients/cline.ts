import { isPlain } from '../formats/path.js';
import { pathsOf } from '../../world.js';
import { defineClient, type ResolveContext } from '../define.js';
import type { ClientEntry } from '../types.js';
import { renderRemote, renderStdio } from './render.js';

const FILE = 'cline_mcp_settings.json';

/**
 * The settings file every Cline (VS Code extension, CLI, JetBrains) reads since cline PR #11818
 * (2026-06): CLINE_MCP_SETTINGS_PATH, else CLINE_DATA_DIR/settings/, else
 * (CLINE_DIR or ~/.cline)/data/settings/ (cline `getSharedMcpSettingsPath`,
 * sdk `resolveMcpSettingsPath`). The legacy globalStorage and ~/Documents/Cline files are
 * migrated once and then ignored, so mcpform never writes them.
 */
export function clinePath(ctx: ResolveContext): string {
  const j = pathsOf(ctx).join;
  const explicit = ctx.env.CLINE_MCP_SETTINGS_PATH?.trim();
  if (explicit) return explicit;
  const dataDir = ctx.env.CLINE_DATA_DIR?.trim();
  if (dataDir) return j(dataDir, 'settings', FILE);
  return j(ctx.env.CLINE_DIR?.trim() || j(ctx.home, '.cline'), 'data', 'settings', FILE);
}

/**
 * The CLI's nested form (`cline mcp add` writes `{ transport: { type, command, args } }`) read
 * as the flat one it means, so an entry Cline wrote plans as "No changes." against the same
 * server in mcp.yaml (the clients stage, docs/clients-stage.md).
 */
function flatten(entry: ClientEntry): ClientEntry {
  if (!isPlain(entry.transport)) return entry;
  const { transport, ...rest } = entry;
  return { ...rest, ...transport };
}

/** Cline's transport names, in Claude Desktop's vocabulary. */
const CANONICAL_TYPE: Record<string, string | undefined> = { streamableHttp: 'http', sse: 'sse', stdio: undefined };

/**
 * Cline: `mcpServers`, strict JSON (`JSON.parse`). Stdio entries carry `type: stdio`
 * (optional there); remote ones `type: streamableHttp | sse` with url and headers, and the type
 * is always written because Cline reads a url entry without one as **sse**. Client-owned fields
 * (disabled, autoApprove, timeout, remoteConfigured, the CLI's inline `oauth` tokens, metadata)
 * are never touched. The CLI's nested form `{ transport: { type, ... } }` is read as the flat
 * one; updating such an entry writes it flat (Cline reads both), keeping its other fields.
 * No `secrets: reference`: the VS Code extension expands `${env:VAR}`, but the CLI and SDK
 * that read the same file do not, so values are written.
 */
export const cline = defineClient({
  name: 'cline',
  format: 'json',
  // The VS Code extension is the main reader; a server that starts with a GUI app's
  // environment also starts from the CLI's shell.
  launch: 'gui',
  // the VS Code extension host's cwd, not the workspace (cline McpHub passes no default cwd; CLIENTS.md): it depends on how VS Code was started.
  serverCwd: 'unknown',
  windowsStart: 'resolving', // the MCP SDK's cross-spawn resolves npx.cmd
  remote: 'native',
  managedFields: ['type', 'transportType', 'transport', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: clinePath,
  normalize: (entry) => {
    const flat = flatten(entry);
    return flat.type !== undefined
      ? flat
      : 'command' in flat
        ? { type: 'stdio', ...flat }
        : 'url' in flat
          ? { type: 'sse', ...flat }
          : flat;
  },
  toCanonical: (entry) => {
    const flat: ClientEntry = { ...entry };
    delete flat.transportType;
    if (typeof flat.type === 'string' && Object.hasOwn(CANONICAL_TYPE, flat.type)) {
      const type = CANONICAL_TYPE[flat.type];
      if (type === undefined) delete flat.type;
      else flat.type = type;
    }
    return flat;
  },
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'streamableHttp' })
      : renderStdio(server, pins, { type: 'stdio' }),
});
