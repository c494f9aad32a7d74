import { pathsOf } from '../../world.js';
import { defineClient, type ResolveContext } from '../define.js';
import { renderRemote, renderStdio, withImpliedType, withoutStdioType } from './render.js';

/**
 * VS Code's user data folder (`User/`): VSCODE_PORTABLE's `user-data`, else VSCODE_APPDATA
 * or the OS's application data folder, then `Code` (vscode src/bootstrap-node / paths).
 */
export function vscodeUserDir(ctx: ResolveContext): string {
  const { env } = ctx;
  const j = pathsOf(ctx).join;
  if (env.VSCODE_PORTABLE) return j(env.VSCODE_PORTABLE, 'user-data', 'User');
  const appData =
    env.VSCODE_APPDATA ||
    (ctx.platform === 'darwin'
      ? j(ctx.home, 'Library', 'Application Support')
      : ctx.platform === 'win32'
        ? env.APPDATA || j(ctx.home, 'AppData', 'Roaming')
        : env.XDG_CONFIG_HOME || j(ctx.home, '.config'));
  return j(appData, 'Code', 'User');
}

/**
 * VS Code (Copilot agent mode): `mcp.json` in the user folder (default profile), or the
 * workspace's `.vscode/mcp.json` beside mcp.yaml. JSONC; servers under `servers` (the
 * `inputs` and anything else are kept). `type` is required: stdio, http or sse.
 * `${env:VAR}` is expanded in every string of an entry.
 */
export const vscode = defineClient({
  name: 'vscode',
  format: 'jsonc',
  scopes: ['user', 'workspace'],
  // A GUI app, but started from the dock it loads the login shell's environment first
  // (vscode platform/shell/node/shellEnv.ts): its servers get the shell's PATH.
  launch: 'cli',
  // the workspace folder, else home (microsoft/vscode extHostMcpNode / mcpServerConnection; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // VS Code's findExecutable resolves npx.cmd and starts it with a shell
  remote: 'native',
  variableReference: (name) => '${env:' + name + '}',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['servers'],
  resolvePath: (ctx) =>
    ctx.scope === 'workspace'
      ? pathsOf(ctx).join(ctx.configDir!, '.vscode', 'mcp.json')
      : pathsOf(ctx).join(vscodeUserDir(ctx), 'mcp.json'),
  // VS Code fills in a missing type: command means stdio, url means http.
  normalize: withImpliedType,
  toCanonical: withoutStdioType,
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
      : renderStdio(server, pins, { type: 'stdio' }),
});
