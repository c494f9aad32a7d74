/** A rendered entry (src/targets/types.ts's RenderedEntry), named here without importing it: types.ts imports this file. */
interface RenderedEntry {
  readonly entry: Record<string, unknown>;
  readonly sensitive: ReadonlySet<string>;
}

/**
 * How a client starts a stdio server's `command` on Windows (CLIENTS.md, "How each client
 * starts a stdio server"):
 * - `plain`: spawned as it is, without a shell and without PATHEXT (Node's `spawn`, Rust's
 *   `Command`: Claude Desktop, Claude Code, Amazon Q). `npx` there is `npx.cmd`, a batch file
 *   only `cmd` can run: bare `npx` is "spawn npx ENOENT", so mcpform writes `cmd /c npx ...`.
 *   The default, as the form every client can start, for clients nobody has checked.
 * - `resolving`: the client finds `npx.cmd` through PATHEXT and runs it (cross-spawn, VS Code's
 *   findExecutable, Rust's `which`, `cmd.exe /c` wrappers): bare `npx` is what users write.
 */
export type WindowsStart = 'plain' | 'resolving';

/**
 * Package-manager launchers installed as `.cmd` shims on Windows (npm's, pnpm's, Yarn's,
 * Bun's, and uv's, wrapped too: `cmd /c` starts an `.exe` as well). A path or a name with an
 * extension is left as the user wrote it.
 */
const SHIMS = new Set(['npx', 'npm', 'pnpm', 'pnpx', 'yarn', 'bunx', 'uvx']);

/** Whether a plain-starting client on Windows needs `command` run through `cmd /c`. */
export function needsCmd(command: unknown): command is string {
  return typeof command === 'string' && SHIMS.has(command.toLowerCase());
}

/**
 * The rendered entry in the form the client starts on `platform`: on Windows, for a `plain`
 * client, `{command: 'npx', args}` becomes `{command: 'cmd', args: ['/c', 'npx', ...args]}`
 * (secret pointers into args follow their values). Anything else is returned as it is.
 */
export function forPlatform(rendered: RenderedEntry, start: WindowsStart, platform: NodeJS.Platform): RenderedEntry {
  const { entry, sensitive } = rendered;
  if (platform !== 'win32' || start !== 'plain' || !needsCmd(entry.command)) return rendered;
  const args = Array.isArray(entry.args) ? entry.args : [];
  const moved = new Set<string>();
  for (const pointer of sensitive) {
    const arg = /^\/args\/(\d+)$/.exec(pointer);
    if (arg) moved.add(`/args/${Number(arg[1]) + 2}`);
    else moved.add(pointer === '/command' ? '/args/1' : pointer);
  }
  const wrapped = ['/c', entry.command, ...args];
  // The entry's own key order (`type` first where the client has one); args right after command.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'args') continue;
    out[k] = k === 'command' ? 'cmd' : v;
    if (k === 'command') out.args = wrapped;
  }
  return { entry: out, sensitive: moved };
}
