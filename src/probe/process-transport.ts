import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { execa, type ResultPromise } from 'execa';

export interface StdioLaunch {
  command: string;
  args: readonly string[];
  /** The complete environment of the server (not merged with ours). */
  env: Record<string, string>;
  cwd?: string;
}

const STDERR_TAIL_BYTES = 4096;
const MAX_LINE_BYTES = 10 * 1024 * 1024;
const live = new Set<ResultPromise>();

// Servers run in their own process group so that `npx -> node -> server` dies as a whole.
// If mcpform itself is killed by a signal handler exit, take the groups down too.
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ResultPromise, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * An MCP stdio transport for the SDK's Client that owns its process completely: its own
 * process group (so the whole tree is killed), a bounded stderr tail for diagnosis, and a
 * record of every stdout line that was not JSON-RPC (servers that log to stdout).
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ResultPromise;
  private pending: Buffer = Buffer.alloc(0);
  private stderr = Buffer.alloc(0);
  private closed = false;
  readonly junk: string[] = [];
  exit?: { code: number | null; signal: string | null; at: number };
  spawnError?: Error;
  readonly startedAt = Date.now();

  constructor(private readonly launch: StdioLaunch) {}

  async start(): Promise<void> {
    const child = execa(this.launch.command, [...this.launch.args], {
      env: this.launch.env,
      extendEnv: false,
      cwd: this.launch.cwd,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      detached: process.platform !== 'win32',
      windowsHide: true,
      encoding: 'buffer',
    });
    this.child = child;
    live.add(child);
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = Buffer.concat([this.stderr, chunk]);
      if (this.stderr.length > STDERR_TAIL_BYTES * 2) this.stderr = this.stderr.subarray(-STDERR_TAIL_BYTES);
    });
    child.stdin!.on('error', () => {}); // EPIPE when the server died; reported through exit
    child.then((result) => {
      live.delete(child);
      if (result.failed && result.exitCode === undefined && !result.signal) {
        this.spawnError = new Error(result.shortMessage ?? result.message);
      }
      this.exit = { code: result.exitCode ?? null, signal: result.signal ?? null, at: Date.now() };
      if (!this.closed) {
        this.closed = true;
        this.onclose?.();
      }
    });
    // Wait for the spawn (or its failure) so ENOENT surfaces as a start-up error.
    await new Promise<void>((resolve) => {
      child.once('spawn', () => resolve());
      child.once('error', () => resolve());
    });
  }

  private onStdout(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    if (this.pending.length > MAX_LINE_BYTES) {
      this.pending = Buffer.alloc(0);
      this.onerror?.(new Error(`the server wrote more than ${MAX_LINE_BYTES} bytes to stdout without a newline`));
      return;
    }
    for (let nl = this.pending.indexOf(10); nl !== -1; nl = this.pending.indexOf(10)) {
      const line = this.pending.toString('utf8', 0, nl).replace(/\r$/, '');
      this.pending = this.pending.subarray(nl + 1);
      if (line.trim() === '') continue;
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line);
      } catch {
        // Real clients drop such lines too; we keep a few to name the problem.
        if (this.junk.length < 5) this.junk.push(line.length > 200 ? `${line.slice(0, 200)}…` : line);
        continue;
      }
      this.onmessage?.(message);
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || stdin.destroyed) throw new Error('the server process is not running');
    await new Promise<void>((resolve, reject) => {
      stdin.write(serializeMessage(message), (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Ends the whole process tree: stdin closed, SIGTERM, then SIGKILL after a grace period. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const wasClosed = this.closed;
    this.closed = true;
    if (this.exit === undefined) {
      child.stdin?.end();
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 1500);
      await child.catch(() => undefined);
      clearTimeout(timer);
    }
    // Descendants that ignored SIGTERM (or outlived their parent) go now.
    killGroup(child, 'SIGKILL');
    live.delete(child);
    if (!wasClosed) this.onclose?.();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  stderrTail(maxLines = 20): string {
    const lines = this.stderr.toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines.slice(-maxLines).join('\n');
  }
}
