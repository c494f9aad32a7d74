import { spawn } from 'node:child_process';
import { CLI, type Sandbox } from '../helpers.js';

/** watch, started as a user starts it, with its output collected as it comes. */
export function startWatch(sb: Sandbox, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI, 'watch', '--debounce', '100', ...args], {
    cwd: sb.path(''),
    env: { ...sb.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w = { child, out: '', seen: 0 };
  child.stdout.on('data', (d) => (w.out += d));
  child.stderr.on('data', (d) => (w.out += d));
  return w;
}
export type Watch = ReturnType<typeof startWatch>;

/** Waits for output after what the last wait consumed; returns the text from there to the match. */
export async function next(w: Watch, what: RegExp, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const rest = w.out.slice(w.seen);
    const m = what.exec(rest);
    if (m) {
      w.seen += m.index + m[0].length;
      return rest.slice(0, m.index + m[0].length);
    }
    if (w.child.exitCode !== null) throw new Error(`watch exited (${w.child.exitCode}) before ${what}:\n${w.out}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${w.out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
