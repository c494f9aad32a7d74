import { pathsOf } from '../../world.js';
import { defineClient } from '../define.js';
import { renderRemote, renderStdio } from './render.js';
// Extensions keep their globalStorage in VS Code's User folder (forks such as VSCodium or
// Cursor use another folder name, reached with `targets: { roo-code: { path } }`).
import { vscodeUserDir } from './vscode.js';

/** Roo Code's transport names, in Claude Desktop's vocabulary. */
const CANONICAL_TYPE: Record<string, string | undefined> = { 'streamable-http': 'http', sse: 'sse', stdio: undefined };

/**
 * Roo Code (VS Code extension `RooVeterinaryInc.roo-cline`): user scope
 * `<Code>/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json` (Roo's
 * `customStoragePath` setting moves it: use `path`), `scope: project` the `.roo/mcp.json` beside
 * mcp.yaml. Strict JSON (`JSON.parse`), `mcpServers`. A url entry must say
 * `type: streamable-http | sse` (Roo refuses one without), a command entry may omit
 * `type: stdio`; mixing command and url fields is an error there, so every managed field of the
 * other kind is removed on a write. Roo substitutes `${env:VAR}` (names of word characters) in
 * the whole entry before parsing it, so `secrets: reference` works in every field; note that
 * Roo inserts the value unescaped, so a value with `"` or `\` breaks there (use `value`).
 * alwaysAllow, disabled, disabledTools, timeout and watchPaths are the user's.
 */
export const rooCode = defineClient({
  name: 'roo-code',
  format: 'json',
  scopes: ['user', 'project'],
  launch: 'gui',
  // the first workspace folder (RooCodeInc/Roo-Code src/services/mcp/McpHub.ts; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // it wraps every command in cmd.exe /c itself
  remote: 'native',
  variableReference: (name) => '${env:' + name + '}',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => {
    const j = pathsOf(ctx).join;
    if (ctx.scope === 'project') return j(ctx.configDir!, '.roo', 'mcp.json');
    return j(vscodeUserDir(ctx), 'globalStorage', 'rooveterinaryinc.roo-cline', 'settings', 'mcp_settings.json');
  },
  // Roo infers stdio for a command entry without type (McpHub.validateServerConfig).
  normalize: (entry) => (entry.type === undefined && 'command' in entry ? { type: 'stdio', ...entry } : entry),
  toCanonical: (entry) => {
    if (typeof entry.type !== 'string' || !Object.hasOwn(CANONICAL_TYPE, entry.type)) return entry;
    const { type, ...rest } = entry;
    const canonical = CANONICAL_TYPE[type];
    return canonical === undefined ? rest : { type: canonical, ...rest };
  },
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'streamable-http' })
      : renderStdio(server, pins, { type: 'stdio' }),
});
