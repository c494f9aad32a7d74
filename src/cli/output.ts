import { writeSync } from 'node:fs';
import { escapeHiddenInJson } from '../util/sanitize.js';

/**
 * What mcpform prints goes straight to the file descriptors (writeSync), not through
 * process.stdout: creating that stream (a socket for a pipe, a tty.WriteStream for a
 * terminal) costs a cold start about 3 ms, a tenth of a `plan`. Synchronous writes also keep
 * stdout and stderr in the order they were written, and nothing is lost when a command
 * calls process.exit. On Windows a console needs the streams (they write UTF-16).
 *
 * A reader that went away (`mcpform backups | head -1`) is not an error: stop writing there
 * and carry on, so a closed pipe never cuts a transaction short.
 */
const closed = new Set<number>();
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Where print/printErr/printJson write; tests replace these to capture output. */
export const sink = {
  out: (text: string): void => write(1, text),
  err: (text: string): void => write(2, text),
};

function write(fd: 1 | 2, text: string): void {
  if (closed.has(fd)) return;
  if (process.platform === 'win32') {
    if (fd === 1) guardStdout();
    (fd === 1 ? process.stdout : process.stderr).write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      // A pipe made non-blocking (process.stdout does that, once something creates it):
      // wait for the reader, as the stream would.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      // EPIPE: the reader is gone; EBADF: there is no such descriptor. Nothing more to show.
      closed.add(fd);
      return;
    }
  }
}

let guarded = false;
/**
 * For what writes to process.stdout itself (listr2's progress display): a closed pipe there
 * is an 'error' event, which would end the process mid-transaction without a listener.
 */
export function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', () => closed.add(1));
}

export function print(text = ''): void {
  sink.out(text.endsWith('\n') || text === '' ? text || '\n' : `${text}\n`);
}

export function printErr(text: string): void {
  sink.err(text.endsWith('\n') ? text : `${text}\n`);
}

/** A JSON document: exact values, and nothing a terminal would hide or act on in its text. */
export function printJson(value: unknown): void {
  sink.out(`${escapeHiddenInJson(JSON.stringify(value, null, 2))}\n`);
}
