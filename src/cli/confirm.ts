import { createInterface } from 'node:readline/promises';
import { McpformError } from '../errors.js';

/**
 * Terraform's rule: only "yes" proceeds. Without a terminal to ask on, refuse unless --yes:
 * a script must say what it means.
 */
export async function confirm(
  question: string,
  yes: boolean | undefined,
  hint = 're-run with --yes to apply without asking',
): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) {
    throw new McpformError(
      'NOT_CONFIRMED',
      'stdin is not a terminal, so mcpform cannot ask for confirmation; nothing was changed',
      { hint },
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // In raw mode Ctrl-C reaches readline, not the process: treat it as "no".
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  try {
    const answer = await rl
      .question(`${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `, {
        signal: cancel.signal,
      })
      .catch(() => '');
    if (answer.trim() !== 'yes') throw new McpformError('NOT_CONFIRMED', 'cancelled; nothing was changed');
  } finally {
    rl.close();
  }
}
