import { existsSync, readFileSync } from 'node:fs';
import { pathsOf } from '../../world.js';
import { defineClient, type ResolveContext } from '../define.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * LM Studio's home folder, found as LM Studio finds it (lmstudio-js `findLMStudioHome`): the
 * path written in `~/.lmstudio-home-pointer` (LM Studio writes it on first run; users edit it to
 * move their data), else `~/.cache/lm-studio` when it exists (older installs, which is why a
 * macOS 0.3.33 user found mcp.json there, lmstudio-bug-tracker#1371), else `~/.lmstudio` (docs).
 */
export function lmStudioHome(ctx: ResolveContext, fs = { existsSync, readFileSync }): string {
  const j = pathsOf(ctx).join;
  const pointer = j(ctx.home, '.lmstudio-home-pointer');
  if (fs.existsSync(pointer)) {
    try {
      const target = String(fs.readFileSync(pointer, 'utf8')).trim();
      if (target) return target;
    } catch {
      // An unreadable pointer is as good as none: LM Studio would rewrite it.
    }
  }
  const cache = j(ctx.home, '.cache', 'lm-studio');
  return fs.existsSync(cache) ? cache : j(ctx.home, '.lmstudio');
}

/**
 * LM Studio: `mcp.json` in its home folder, `mcpServers` "in Cursor's notation": command, args,
 * env; url + headers for a remote server. No variable expansion is documented, so values are
 * written. Strict JSON. LM Studio's docs recommend its in-app editor; mcpform's edits keep
 * whatever that editor wrote.
 */
export const lmStudio = defineClient({
  name: 'lm-studio',
  format: 'json',
  launch: 'gui',
  // not established from LM Studio's docs (closed source; CLIENTS.md launch table: ?).
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => pathsOf(ctx).join(lmStudioHome(ctx), 'mcp.json'),
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server) : renderStdio(server, pins)),
});
