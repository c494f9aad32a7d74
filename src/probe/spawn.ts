import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import crossSpawn from 'cross-spawn';
import type { WindowsStart } from '../targets/windows-start.js';
import { killAll, MARKER_VAR, strayProcesses } from './reap.js';
import { hostPlatform } from '../util/host.js';

export interface StdioLaunch {
  command: string;
  args: readonly string[];
  /** The complete environment of the server (not merged with ours). */
  env: Record<string, string>;
  cwd?: string;
  /**
   * How the client starts `command` on Windows (src/targets/windows-start.ts); absent: as the
   * MCP SDK's transport does (`resolving`, through cross-spawn). Only a Windows host differs.
   */
  windowsStart?: WindowsStart;
}

const STDERR_TAIL_BYTES = 4096;
/** How long stdout/stderr may stay open after the process exited (a child holding them). */
const CLOSE_AFTER_EXIT_MS = 200;
const live = new Set<SpawnedServer>();

// If mcpform exits for any reason (Ctrl-C goes through process.exit), take every server
// process group down with it, and whatever left the group.
process.once('exit', () => stopAllServers());

/** Stops every server still running (apply's rollback: nothing a failed run started outlives it). */
export function stopAllServers(): void {
  for (const server of live) server.killNow();
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Windows has no process groups: taskkill /T walks the tree (npx.cmd -> node -> server).
    if (hostPlatform === 'win32')
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
 * node:child_process, not execa: the point is to start exactly as a client does (the entry's
 * env only), in its own process group so the whole tree can be killed. On Windows a `plain`
 * client spawns without a shell (bare `npx` is ENOENT there, `npx.cmd` EINVAL), a `resolving`
 * one as cross-spawn does (the MCP SDK's own): PATH + PATHEXT, a `.cmd` run through
 * `cmd.exe /d /s /c` with its escaping. Elsewhere cross-spawn is Node's spawn.
 */
export class SpawnedServer {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  /** In the server's environment, inherited by its descendants: how strays are found (reap.ts). */
  private readonly marker = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private exitedAt?: { code: number | null; signal: string | null; at: number };
  private streamsClosed = false;
  spawnError?: Error;
  exit?: { code: number | null; signal: string | null; at: number };
  private stderr = Buffer.alloc(0);
  private early: Buffer[] = [];
  private stdoutListener?: (chunk: Buffer) => void;
  private exitListeners: (() => void)[] = [];
  readonly spawned: Promise<void>;

  constructor(readonly launch: StdioLaunch) {
    const start = launch.windowsStart === 'plain' ? spawn : crossSpawn;
    this.child = start(launch.command, [...launch.args], {
      env: { ...launch.env, [MARKER_VAR]: this.marker },
      cwd: launch.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: hostPlatform !== 'win32',
      windowsHide: true,
      shell: false,
    });
    live.add(this);
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
    // 'close' waits for stdout and stderr to end, so the stderr tail is complete; but a
    // child of the server may hold them open forever, so 'exit' plus a short wait also counts.
    this.child.once('exit', (code, signal) => {
      this.exitedAt = { code, signal, at: performance.now() };
      setTimeout(() => this.exited(code, signal), CLOSE_AFTER_EXIT_MS).unref();
    });
    this.child.once('close', (code, signal) => {
      this.streamsClosed = true;
      this.exited(code, signal);
    });
  }

  private exited(code: number | null, signal: string | null): void {
    if (this.exit) return;
    // Still in `live` until stopped: an orphan it left may outlive it.
    this.exit = { code, signal, at: this.exitedAt?.at ?? performance.now() };
    for (const l of this.exitListeners.splice(0)) l();
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

  /**
   * stdin closed, SIGTERM to the group, SIGKILL after a grace period; then SIGKILL to every
   * descendant still alive, in the group or not. Resolves when the server is gone, and
   * within graceMs + 1 s whatever the process does (a process stuck in the kernel).
   */
  async stop(graceMs = 1000): Promise<void> {
    if (this.spawnError) return;
    // Before the server dies: its descendants are still linked to it by parent.
    const before = strayProcesses(this.child.pid, this.marker);
    if (!this.exit) {
      this.child.stdin?.end();
      killGroup(this.child, 'SIGTERM');
      const kill = setTimeout(() => killGroup(this.child, 'SIGKILL'), graceMs);
      const giveUp = new Promise<void>((resolve) => setTimeout(resolve, graceMs + 1000).unref());
      await Promise.race([new Promise<void>((resolve) => this.onExit(resolve)), giveUp]);
      clearTimeout(kill);
    }
    // A second look only where strays are likely: the server had descendants, or something
    // still holds its stdout (each look reads every process's stat: kept off the common path).
    this.killNow(before, before.length > 1 || !this.streamsClosed);
  }

  /** SIGKILL to the group and to every process the server started; stdio released. Synchronous. */
  killNow(known: readonly number[] = [], look = true): void {
    killGroup(this.child, 'SIGKILL');
    const strays = look && this.child.pid !== undefined ? strayProcesses(this.child.pid, this.marker) : [];
    killAll([...new Set([...known, ...strays])].filter((p) => p !== this.child.pid || !this.exit));
    live.delete(this);
    // A stray holding our pipes would keep mcpform's event loop alive: let go of them.
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) s?.destroy();
  }
}
