import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface StdioLaunch {
  command: string;
  args: readonly string[];
  /** The complete environment of the server (not merged with ours). */
  env: Record<string, string>;
  cwd?: string;
}

const STDERR_TAIL_BYTES = 4096;
const live = new Set<ChildProcess>();

// If mcpform exits for any reason (Ctrl-C goes through process.exit), take every server
// process group down with it.
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

/** Stops every server still running (apply's rollback: nothing a failed run started outlives it). */
export function stopAllServers(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Windows has no process groups: taskkill /T walks the tree (npx.cmd -> node -> server).
    if (process.platform === 'win32')
      spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    else process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * A started server process, holding what it printed until a transport attaches. Kept free
 * of heavy imports on purpose: `mcpform test` starts every server with this first, and only
 * then loads the MCP SDK, so the servers boot while mcpform does (start-up is CPU-bound).
 *
 * node:child_process, not execa: the point is to start exactly as a client does (no shell,
 * the entry's env only), in its own process group so the whole tree can be killed.
 */
export class SpawnedServer {
  readonly child: ChildProcess;
  readonly startedAt = Date.now();
  spawnError?: Error;
  exit?: { code: number | null; signal: string | null; at: number };
  private stderr = Buffer.alloc(0);
  private early: Buffer[] = [];
  private stdoutListener?: (chunk: Buffer) => void;
  private exitListeners: (() => void)[] = [];
  readonly spawned: Promise<void>;

  constructor(readonly launch: StdioLaunch) {
    this.child = spawn(launch.command, [...launch.args], {
      env: launch.env,
      cwd: launch.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
      shell: false,
    });
    live.add(this.child);
    this.spawned = new Promise((resolve) => {
      this.child.once('spawn', () => resolve());
      this.child.once('error', (err) => {
        this.spawnError = err;
        resolve();
      });
    });
    this.child.stdout!.on('data', (chunk: Buffer) =>
      this.stdoutListener ? this.stdoutListener(chunk) : this.early.push(chunk),
    );
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = Buffer.concat([this.stderr, chunk]);
      if (this.stderr.length > STDERR_TAIL_BYTES * 2) this.stderr = this.stderr.subarray(-STDERR_TAIL_BYTES);
    });
    this.child.stdin!.on('error', () => {}); // EPIPE once the server died; reported through exit
    this.child.once('close', (code, signal) => {
      live.delete(this.child);
      this.exit = { code, signal, at: Date.now() };
      for (const l of this.exitListeners.splice(0)) l();
    });
  }

  /** Receive stdout from now on, starting with whatever arrived before. */
  onStdout(listener: (chunk: Buffer) => void): void {
    this.stdoutListener = listener;
    for (const chunk of this.early.splice(0)) listener(chunk);
  }

  onExit(listener: () => void): void {
    if (this.exit) listener();
    else this.exitListeners.push(listener);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  stderrTail(maxLines = 20): string {
    const lines = this.stderr
      .toString('utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    return lines.slice(-maxLines).join('\n');
  }

  /** stdin closed, SIGTERM to the group, SIGKILL after a grace period. Resolves when it is gone. */
  async stop(graceMs = 1500): Promise<void> {
    if (this.spawnError) return;
    if (!this.exit) {
      this.child.stdin?.end();
      killGroup(this.child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), graceMs);
      await new Promise<void>((resolve) => this.onExit(resolve));
      clearTimeout(timer);
    }
    // Descendants that ignored SIGTERM, or outlived their parent, go now.
    killGroup(this.child, 'SIGKILL');
  }
}
