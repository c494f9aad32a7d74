import { spawn } from 'node:child_process';
import { win32 } from 'node:path';
import { ownProcesses, parseProcessList, PS_ARGS } from './own-processes.js';

/**
 * One step of a client restart. `quit` and `wait` act on the user's own processes of that
 * name only (watch/own-processes.ts): never another account's client on the same machine.
 */
export type RestartStep =
  /** A command run to its end; `mayFail`: a failure is not an error (quitting an app that is not running). */
  | { kind: 'run'; command: string; args: string[]; mayFail?: boolean }
  /** SIGTERM to the user's processes named `name`. */
  | { kind: 'quit'; name: string }
  /** Until none of the user's processes named `name` is left, up to `withinMs`. */
  | { kind: 'wait'; name: string; withinMs: number }
  /** Started and not waited for (the reopened app outlives mcpform). */
  | { kind: 'open'; command: string; args: string[] };

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
 * runs: `quit app` would otherwise launch it first; AppleScript talks to this user's session)
 * and waits until it is gone; Windows force-closes this user's claude.exe (closing the window
 * only hides it in the tray) and starts the installed exe
 * (%LOCALAPPDATA%\AnthropicClaude\claude.exe); Linux has community builds only, started as
 * `claude-desktop`, and is quit by signalling this user's processes of that name.
 */
export function restartSteps(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): RestartStep[] {
  if (platform === 'darwin')
    return [
      {
        kind: 'run',
        command: 'osascript',
        args: ['-e', 'if application "Claude" is running then tell application "Claude" to quit'],
        mayFail: true,
      },
      { kind: 'wait', name: 'Claude', withinMs: 10_000 },
      { kind: 'open', command: 'open', args: ['-a', 'Claude'] },
    ];
  if (platform === 'win32') {
    // taskkill's own filter: an elevated taskkill /IM alone would end every user's Claude.
    if (!env.USERNAME) throw new Error('USERNAME is not set, so mcpform cannot tell which Claude is yours');
    const user = env.USERDOMAIN ? `${env.USERDOMAIN}\\${env.USERNAME}` : env.USERNAME;
    const exe = win32.join(
      env.LOCALAPPDATA ?? win32.join(env.USERPROFILE ?? 'C:\\', 'AppData', 'Local'),
      'AnthropicClaude',
      'claude.exe',
    );
    return [
      {
        kind: 'run',
        command: 'taskkill',
        args: ['/FI', `USERNAME eq ${user}`, '/IM', 'claude.exe', '/T', '/F'],
        mayFail: true,
      },
      { kind: 'open', command: exe, args: [] },
    ];
  }
  return [
    { kind: 'quit', name: 'claude-desktop' },
    { kind: 'wait', name: 'claude-desktop', withinMs: 10_000 },
    { kind: 'open', command: 'claude-desktop', args: [] },
  ];
}

/**
 * Quits and reopens Claude Desktop, touching only the processes of the user `uid`.
 * `MCPFORM_CLIENT_EXEC` names a program to run each command through
 * (`$MCPFORM_CLIENT_EXEC ps -A -o pid= ...`, `... kill -TERM 4242`): tests point it at a
 * recorder, and a machine with an unusual install at a wrapper of its own.
 */
export async function restartClaudeDesktop(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  uid: number | undefined,
  steps = restartSteps(platform, env),
): Promise<void> {
  const via = env.MCPFORM_CLIENT_EXEC;
  const wrap = (command: string, args: string[]): [string, string[]] =>
    via ? [via, [command, ...args]] : [command, args];
  const own = async (name: string): Promise<number[]> => {
    if (uid === undefined) throw new Error('mcpform cannot tell which processes are yours (no user id)');
    const r = await capture(...wrap('ps', PS_ARGS));
    if (r.code !== 0) throw new Error(`could not list processes (ps exited ${r.code})`);
    return ownProcesses(parseProcessList(r.stdout), name, uid);
  };
  for (const step of steps) {
    if (step.kind === 'open') {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(...wrap(step.command, step.args), { detached: true, stdio: 'ignore', windowsHide: true });
        child.once('error', (err) => reject(new Error(`could not start ${step.command}: ${err.message}`)));
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
    } else if (step.kind === 'run') {
      const code = (await capture(...wrap(step.command, step.args))).code;
      if (code !== 0 && !step.mayFail) throw new Error(`${step.command} ${step.args.join(' ')} exited ${code}`);
    } else if (step.kind === 'quit') {
      const pids = await own(step.name);
      // Gone between the list and the signal is fine: that is what we wanted.
      if (pids.length) await capture(...wrap('kill', ['-TERM', ...pids.map(String)]));
    } else {
      const end = performance.now() + step.withinMs;
      while ((await own(step.name)).length) {
        if (performance.now() > end) throw new Error(`Claude Desktop did not quit within ${step.withinMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
}

function capture(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.once('error', () => resolve({ code: 127, stdout }));
    child.once('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}
