import { constants } from 'node:os';

/**
 * The signals that end a Node process by default and that it can safely catch: the one list
 * src/cli/signals.ts (exit 128 + n) and apply's guard (restore, then exit) both use, so any
 * of them is undone like Ctrl-C. Checked against Node 20 on Linux (test/apply/signals.test.ts):
 *
 * - SIGUSR1 is in: by default Node opens its inspector on it (a debugging port, and the
 *   process goes on), but a build without the inspector, or --disable-sigusr1, dies of it.
 *   mcpform is a CLI: one meaning on every build ("stop, and undo") beats a debugging hook.
 *   Debug mcpform with `node --inspect` instead.
 * - SIGPOLL, not SIGIO: the same signal on Linux, where it terminates; macOS has only SIGIO,
 *   which it ignores by default, so the name that exists only on Linux selects exactly that.
 * - Left out: SIGKILL and SIGSTOP (cannot be caught); SIGPIPE and SIGXFSZ (Node ignores
 *   them: a write fails with EPIPE/EFBIG instead, an error apply undoes like any other);
 *   SIGSEGV, SIGBUS, SIGFPE and SIGILL (a real fault leaves no safe state to run JavaScript
 *   in: a listener would hang the process, holding its locks, instead of ending it); the
 *   signals ignored by default (SIGCHLD, SIGURG, SIGWINCH, SIGCONT...); aliases (SIGIOT).
 * - SIGBREAK (Ctrl-Break) exists only on Windows.
 *
 * Names this OS does not define are dropped, so `process.on` never meets an unknown one.
 */
const CANDIDATES = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGTERM',
  'SIGTRAP',
  'SIGABRT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGALRM',
  'SIGVTALRM',
  'SIGPROF',
  'SIGXCPU',
  'SIGSYS',
  'SIGSTKFLT',
  'SIGPOLL',
  'SIGPWR',
  'SIGBREAK',
] as const;

export type TerminatingSignal = (typeof CANDIDATES)[number];

const numbers = constants.signals as Partial<Record<string, number>>;

/** The terminating signals this host defines, in the order above. */
export const TERMINATING_SIGNALS: readonly TerminatingSignal[] = CANDIDATES.filter((s) => numbers[s] !== undefined);

/** The exit code of a process that ends because of `signal`, as a shell reports it: 128 + its number. */
export function signalExitCode(signal: TerminatingSignal): number {
  return 128 + (numbers[signal] ?? 0);
}
