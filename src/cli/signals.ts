/**
 * Imported first by the CLI, before anything that takes time to load: from then on SIGINT,
 * SIGTERM and SIGHUP end mcpform with 128 + the signal's number through process.exit, so the
 * 'exit' hooks run (the servers and git processes started are stopped). Without it a signal
 * that came before a command installed its own handling ended the process by the signal
 * itself: no exit code, processes left behind.
 *
 * While something else listens for the signal, it decides: apply's guard (src/apply/guard.ts)
 * restores the files first, then the command exits with the same code.
 */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

for (const [signal, n] of Object.entries(SIGNALS)) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(128 + n);
  });
}
