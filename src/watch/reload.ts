import { spawn } from 'node:child_process';
import { win32 } from 'node:path';

/** One command of a client restart, as it would be typed. */
export interface ClientCommand {
  command: string;
  args: string[];
  /** Start it and do not wait (the reopened app outlives mcpform). */
  detached?: boolean;
  /** Repeat until it exits non-zero (the app is gone), up to this many milliseconds. */
  untilGoneMs?: number;
  /** A failure is not an error (quitting an app that is not running). */
  mayFail?: boolean;
}

/**
 * What a client does with a server whose code changed but whose entry did not (see
 * /work/shared/CLIENTS.md): the sentence watch prints after a passing check. `restartable`
 * clients are the ones `--restart-client` can quit and reopen.
 */
export function reloadAdvice(client: string, server: string): { text: string; restartable: boolean } {
  switch (client) {
    case 'claude-desktop':
      return {
        text: `Claude Desktop starts servers only when it starts: restart it to load the new ${server} (or run watch with --restart-client)`,
        restartable: true,
      };
    case 'claude-code':
      return {
        text: `Claude Code starts servers per session: run /mcp and reconnect ${server}, or start a new session`,
        restartable: false,
      };
    case 'cursor':
      return { text: `Cursor: turn ${server} off and on in Cursor Settings > MCP to restart it`, restartable: false };
    case 'vscode':
      return {
        text: `VS Code restarts ${server} itself when its entry has "dev": { "watch": GLOB }; otherwise run "MCP: List Servers" > ${server} > Restart`,
        restartable: false,
      };
    case 'roo-code':
      return {
        text: `Roo Code restarts ${server} itself when its entry lists its files in watchPaths`,
        restartable: false,
      };
    case 'windsurf':
      return { text: `Windsurf: press refresh in the MCP panel to restart ${server}`, restartable: false };
    default:
      return { text: `${client}: restart ${server} in the client to load the new code`, restartable: false };
  }
}

/**
 * How to quit and reopen Claude Desktop on this OS. macOS asks the app to quit (only if it
 * runs: `quit app` would otherwise launch it first) and waits until it is gone; Windows
 * force-closes it (closing the window only hides it in the tray) and starts the installed
 * exe (%LOCALAPPDATA%\AnthropicClaude\claude.exe); Linux has community builds only, started as `claude-desktop`.
 */
export function restartCommands(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): ClientCommand[] {
  if (platform === 'darwin')
    return [
      {
        command: 'osascript',
        args: ['-e', 'if application "Claude" is running then tell application "Claude" to quit'],
        mayFail: true,
      },
      { command: 'pgrep', args: ['-x', 'Claude'], untilGoneMs: 10_000 },
      { command: 'open', args: ['-a', 'Claude'], detached: true },
    ];
  if (platform === 'win32') {
    const exe = win32.join(
      env.LOCALAPPDATA ?? win32.join(env.USERPROFILE ?? 'C:\\', 'AppData', 'Local'),
      'AnthropicClaude',
      'claude.exe',
    );
    return [
      { command: 'taskkill', args: ['/IM', 'claude.exe', '/T', '/F'], mayFail: true },
      { command: exe, args: [], detached: true },
    ];
  }
  return [
    { command: 'pkill', args: ['-TERM', '-x', 'claude-desktop'], mayFail: true },
    { command: 'pgrep', args: ['-x', 'claude-desktop'], untilGoneMs: 10_000 },
    { command: 'claude-desktop', args: [], detached: true },
  ];
}

/**
 * Quits and reopens Claude Desktop. `MCPFORM_CLIENT_EXEC` names a program to run each
 * command through (`$MCPFORM_CLIENT_EXEC pkill -TERM -x claude-desktop`): tests point it at
 * a recorder, and a machine with an unusual install at a wrapper of its own.
 */
export async function restartClaudeDesktop(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  commands = restartCommands(platform, env),
): Promise<void> {
  const via = env.MCPFORM_CLIENT_EXEC;
  for (const c of commands) {
    const [command, args] = via ? [via, [c.command, ...c.args]] : [c.command, c.args];
    if (c.detached) {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
        child.once('error', (err) => reject(new Error(`could not start ${c.command}: ${err.message}`)));
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
      continue;
    }
    const end = performance.now() + (c.untilGoneMs ?? 0);
    for (;;) {
      const code = await run(command, args);
      if (c.untilGoneMs === undefined) {
        if (code !== 0 && !c.mayFail) throw new Error(`${c.command} ${c.args.join(' ')} exited ${code}`);
        break;
      }
      if (code !== 0) break;
      if (performance.now() > end) throw new Error(`Claude Desktop did not quit within ${c.untilGoneMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', windowsHide: true });
    child.once('error', () => resolve(127));
    child.once('close', (code) => resolve(code ?? 1));
  });
}
