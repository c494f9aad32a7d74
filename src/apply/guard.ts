import { readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { McpformError, type ErrorCode, type ErrorData } from '../errors.js';
import { stopAllServers } from '../probe/spawn.js';
import { writeOwnership, type Ownership } from '../state/ownership.js';
import { writeFileAtomic } from '../util/fs.js';
import type { World } from '../world.js';
import type { BackupMeta } from './backups.js';
import { signalExitCode, TERMINATING_SIGNALS, type TerminatingSignal } from '../util/terminating-signals.js';

/** Where signals come from: the process, or an EventEmitter in tests. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

/** Every terminating signal Node lets a process catch (the list and why: src/util/terminating-signals.ts). */
type CaughtSignal = TerminatingSignal;

/** One file the run changed, or is about to: what it takes to put it back. */
export interface TouchedFile {
  target: string;
  /** The client file as configured. */
  path: string;
  /** Where the bytes are written: `path`, or the file its symlink points to. */
  dest: string;
  /** The exact bytes before; null when the file did not exist. */
  original: Buffer | null;
  /** Absent when only ownership is recorded (adoptions): the file itself is not written. */
  backup?: BackupMeta;
  /** Set just before the write starts: a write that failed half-way is restored too. */
  written: boolean;
  /** The bytes this run wrote: a file that still holds exactly them is restored byte-for-byte. */
  wrote?: Buffer;
  /**
   * The file's text with this run's edits undone on its current content (null: none left),
   * for a file another program (its client) wrote after us. Without it, the file is restored
   * byte-for-byte whatever it holds (`mcpform rollback`, which runs no checks in between).
   */
  undo?: () => string | null;
  /** Ownership as it was, once this run replaced it. */
  ownershipBefore?: Ownership;
  /** Folders made for a new file, outermost first: a rollback removes them again (if still empty). */
  madeDirs?: string[];
}

export interface FileOutcome {
  path: string;
  /** `undone`: the client wrote the file after mcpform; only mcpform's edits were taken out. */
  /** `removed`: the run created the file (and maybe its folders); they are gone again. */
  state: 'restored' | 'removed' | 'undone' | 'unchanged' | 'not restored';
  backup?: string;
  detail?: string;
}

/** What a rollback did, in the error that ends the run (src/errors.ts: ErrorData). */
export interface RollbackData {
  /** The failure that started it (INTERNAL: not one of mcpform's). */
  readonly cause: { readonly code: ErrorCode; readonly message: string };
  readonly files: readonly FileOutcome[];
}

declare module '../errors.js' {
  interface ErrorData {
    /** Which signal; and, when files had been written, what the rollback did with them. */
    INTERRUPTED: { readonly signal: CaughtSignal } & Partial<RollbackData>;
    /** The rollback, and the data of the failure that caused it (the checks behind a failed apply). */
    ROLLED_BACK: RollbackData & Partial<ErrorData['FINGERPRINT_CHANGED']>;
  }
}

export interface GuardOptions {
  signals?: SignalSource;
  /** Where the ownership records it puts back live. */
  world: World;
  /** What the run is, for the messages: "apply", "rollback". */
  what: string;
}

/**
 * The one place that keeps apply's promise. From the first write until the body returns
 * (success recorded), any failure — a thrown error, a rejected promise, any terminating
 * signal Node can catch (TERMINATING_SIGNALS: SIGINT, SIGTERM, SIGHUP, SIGQUIT...) — puts
 * every touched file back (and the ownership records with them), stops every server the run
 * started, and rejects with an error that names each file and its state. A file that still
 * holds what mcpform wrote gets its old bytes back exactly; one its client rewrote since gets
 * only mcpform's edits taken out, keeping the client's. Only SIGKILL can leave a new file
 * behind (it is whole: writes are atomic), and the next apply completes from there.
 *
 * The body calls `race` around anything that waits on the outside world (health checks, a
 * prompt, the registry) so a signal is acted on at once, and `touch` before it writes.
 */
export async function guarded<T>(opts: GuardOptions, body: (guard: Guard) => Promise<T>): Promise<T> {
  const guard = new Guard(opts);
  guard.listen();
  let ok = false;
  try {
    const value = await body(guard);
    ok = true;
    return value;
  } catch (err) {
    throw await guard.rollBack(err);
  } finally {
    guard.unlisten();
    if (!ok) stopAllServers();
  }
}

export class Guard {
  private readonly touched: TouchedFile[] = [];
  private signal?: CaughtSignal;
  private rejectInterrupted!: (err: Error) => void;
  private readonly interrupted: Promise<never>;
  private readonly handler = (sig: CaughtSignal) => {
    if (this.signal) return; // a second Ctrl-C must not cut the restore short
    this.signal = sig;
    this.rejectInterrupted(this.interruption());
  };
  private readonly handlers = new Map<CaughtSignal, () => void>();
  /** What the run is doing now, for the message after an interruption. */
  step = 'starting';

  constructor(private readonly opts: GuardOptions) {
    this.interrupted = new Promise<never>((_, reject) => (this.rejectInterrupted = reject));
    this.interrupted.catch(() => undefined); // raced only while something waits
  }

  listen(): void {
    for (const sig of TERMINATING_SIGNALS) {
      const h = () => this.handler(sig);
      this.handlers.set(sig, h);
      (this.opts.signals ?? process).on(sig, h);
    }
  }

  unlisten(): void {
    for (const [sig, h] of this.handlers) (this.opts.signals ?? process).off(sig, h);
    this.handlers.clear();
  }

  /** Waits for `p`, unless a signal comes first. */
  race<T>(p: Promise<T>): Promise<T> {
    this.check();
    return Promise.race([p, this.interrupted]);
  }

  /** Throws if a signal came since the last look (between steps that do not wait). */
  check(): void {
    if (this.signal) throw this.interruption();
  }

  /** Registers a file before it is written; restored if the run does not complete. */
  touch(file: TouchedFile): TouchedFile {
    this.touched.push(file);
    return file;
  }

  get touchedFiles(): readonly TouchedFile[] {
    return this.touched;
  }

  private interruption(): McpformError {
    const sig = this.signal!;
    return new McpformError('INTERRUPTED', `${this.opts.what} was interrupted by ${sig} (${this.step})`, {
      exitCode: signalExitCode(sig),
      data: { signal: sig },
    });
  }

  /** Puts everything back, and turns `err` into the error that says what happened to each file. */
  async rollBack(err: unknown): Promise<unknown> {
    const interrupted = err instanceof McpformError && err.code === 'INTERRUPTED';
    const changed = this.touched.filter((t) => t.written || t.ownershipBefore);
    if (changed.length === 0) {
      if (!interrupted) return err;
      return new McpformError('INTERRUPTED', `${err.message}; nothing was changed`, {
        exitCode: err.exitCode,
        data: err.data,
      });
    }
    const outcomes: FileOutcome[] = [];
    for (const t of [...this.touched].reverse()) outcomes.unshift(await this.restoreOne(t));
    // A write that failed before it changed anything, and nothing else touched: no rollback to speak of.
    if (!interrupted && outcomes.every((o) => o.state === 'unchanged') && !changed.some((t) => t.ownershipBefore))
      return err;
    const allBack = outcomes.every((o) => o.state !== 'not restored');
    const files = outcomes.map((o) => `  ${o.path}: ${describe(o)}`).join('\n');
    const why = err instanceof Error ? err.message : String(err);
    const lead = interrupted ? `${why}, and rolled back` : `${this.opts.what} failed and was rolled back: ${why}`;
    const previous = err instanceof McpformError ? err : undefined;
    const message = `${lead.replace(/\.$/, '')}.\n${files}`;
    const opts = {
      hint: allBack
        ? previous?.hint
        : "restore the files marked 'not restored' with 'mcpform rollback BACKUP_ID' once the cause is fixed",
      cause: err,
      exitCode: previous?.exitCode ?? 1,
    };
    const rollback: RollbackData = {
      cause: previous ? { code: previous.code, message: previous.message } : { code: 'INTERNAL', message: why },
      files: outcomes,
    };
    if (interrupted) return new McpformError('INTERRUPTED', message, { ...opts, data: { ...err.data!, ...rollback } });
    return new McpformError('ROLLED_BACK', message, { ...opts, data: { ...carried(previous), ...rollback } });
  }

  private async restoreOne(t: TouchedFile): Promise<FileOutcome> {
    const base = { path: t.path, backup: t.backup?.id };
    try {
      if (t.written && sameBytes(t.dest, t.original)) {
        // The write never happened (it failed before its rename): nothing to undo.
        if (t.ownershipBefore) await writeOwnership(t.ownershipBefore, this.opts.world);
        return { ...base, state: 'unchanged' };
      }
      if (t.written && t.undo && t.wrote && !sameBytes(t.dest, t.wrote)) {
        // The client wrote the file after us: its bytes are kept, only our edits taken out.
        // (It could write again between this read and our rename; no lock binds the client.)
        const text = t.undo();
        if (text !== null) await writeFileAtomic(t.dest, text);
        if (t.ownershipBefore) await writeOwnership(t.ownershipBefore, this.opts.world);
        return { ...base, state: 'undone', ...(text === null && { detail: 'none were left' }) };
      }
      if (t.written) {
        if (t.original === null) {
          try {
            unlinkSync(t.dest); // the link's target, never the link itself
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          }
          const gone = removeEmptyDirs(t.madeDirs ?? []);
          if (t.ownershipBefore) await writeOwnership(t.ownershipBefore, this.opts.world);
          return { ...base, state: 'removed', ...(gone.length && { detail: gone[0] }) };
        } else {
          await writeFileAtomic(t.dest, t.original, t.backup?.mode === undefined ? {} : { mode: t.backup.mode });
          if (!readFileSync(t.dest).equals(t.original)) throw new Error('the bytes read back differ');
        }
      }
      if (t.ownershipBefore) await writeOwnership(t.ownershipBefore, this.opts.world);
      return { ...base, state: t.written ? 'restored' : 'unchanged' };
    } catch (e) {
      return { ...base, state: 'not restored', detail: (e as Error).message };
    }
  }
}

/** Whether `path` holds exactly `bytes` (null: does not exist). */
function sameBytes(path: string, bytes: Buffer | null): boolean {
  try {
    return bytes !== null && readFileSync(path).equals(bytes);
  } catch (err) {
    return bytes === null && (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** The data a rolled-back failure keeps from its cause: the checks behind it, the tool changes. */
function carried(err: McpformError | undefined): Partial<ErrorData['FINGERPRINT_CHANGED']> {
  return err?.data && 'checks' in err.data ? err.data : {};
}

/** The folders made for a new file, innermost first, each only while empty; returns the outermost removed. */
function removeEmptyDirs(made: readonly string[]): string[] {
  const gone: string[] = [];
  for (const dir of [...made].reverse()) {
    try {
      rmdirSync(dir); // refuses a folder something else put a file in meanwhile
      gone.unshift(dir);
    } catch {
      break;
    }
  }
  return gone;
}

function describe(o: FileOutcome): string {
  if (o.state === 'restored') return `restored byte-for-byte (backup ${o.backup})`;
  if (o.state === 'removed')
    return `removed the file it created${o.detail ? `, and the folder ${o.detail} it made` : ''}`;
  if (o.state === 'undone')
    return `undid mcpform's edits${o.detail ? ` (${o.detail})` : ''}, kept the client's changes (backup ${o.backup})`;
  if (o.state === 'unchanged') return 'not changed';
  return `NOT restored (${o.detail}); its previous content is backup ${o.backup}`;
}
