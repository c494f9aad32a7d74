import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { SpawnedServer } from './spawn.js';

const MAX_LINE_BYTES = 10 * 1024 * 1024;

/**
 * An MCP stdio transport for the SDK's Client over a process we own completely (see
 * SpawnedServer): the SDK's own message (de)serialisation, plus a record of every stdout
 * line that was not JSON-RPC (servers that log to stdout).
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  setProtocolVersion?: (version: string) => void;

  private pending: Buffer = Buffer.alloc(0);
  private closed = false;
  readonly junk: string[] = [];
  /** JSON-RPC responses the server sent (the first one answers initialize). */
  responses = 0;

  constructor(readonly server: SpawnedServer) {}

  async start(): Promise<void> {
    await this.server.spawned;
    this.server.onStdout((chunk) => this.onStdout(chunk));
    this.server.onExit(() => {
      if (!this.closed) {
        this.closed = true;
        this.onclose?.();
      }
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
      if ('id' in message && ('result' in message || 'error' in message)) this.responses++;
      this.onmessage?.(message);
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.server.child.stdin;
    if (!stdin || this.closed || stdin.destroyed) throw new Error('the server process is not running');
    await new Promise<void>((resolve, reject) => {
      stdin.write(serializeMessage(message), (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Detaches; the process itself is stopped by its owner (checkServer), in the background. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
