import { signalExitCode, TERMINATING_SIGNALS } from '../util/terminating-signals.js';

/**
 * Imported first by the CLI, before anything that takes time to load: from then on every
 * terminating signal Node lets a process catch (src/util/terminating-signals.ts: SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1...) ends mcpform with 128 + the signal's number through
 * process.exit, so the 'exit' hooks run (the servers and git processes started are
 * stopped). Without it a signal that came before a command installed its own handling ended
 * the process by the signal itself: no exit code, processes left behind.
 *
 * While something else listens for the signal, it decides: apply's guard (src/apply/guard.ts)
 * restores the files first, then the command exits with the same code.
 */
for (const signal of TERMINATING_SIGNALS) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(signalExitCode(signal));
  });
}
