import { McpformError } from '../../errors.js';
import { startAgent, type AgentEvent } from '../../reconcile/agent.js';
import { renderReconcileText } from '../../reconcile/render.js';
import { visible } from '../../util/sanitize.js';
import type { Context } from '../context.js';
import { print } from '../output.js';
import { reportError } from '../report-error.js';
import { VERSION } from '../../version.js';

/** `mcpform agent run`: the loop (src/reconcile/agent.ts) in the foreground, until Ctrl-C. */
export default async function agentRun(ctx: Context, flags: { debounce?: string }): Promise<void> {
  const debounceMs = Number(flags.debounce ?? 300);
  if (!Number.isFinite(debounceMs) || debounceMs < 0)
    throw new McpformError('USAGE', `--debounce takes milliseconds, not '${flags.debounce}'`, {
      hint: 'for example: mcpform agent run --debounce 300',
    });
  const stamp = () => ctx.world.now().toTimeString().slice(0, 8);
  const show = (e: AgentEvent) => {
    switch (e.type) {
      case 'started':
        return print(`Keeping ${e.projects.map(visible).join(', ')} in sync (Ctrl-C to stop).`);
      case 'pass': {
        // Quiet when nothing happened: an interval pass that finds everything in sync says nothing.
        const eventful = e.result.targets.some((t) => t.drift.length || t.healed.length);
        if (e.why === 'watching' && !eventful)
          return print(`[${stamp()}] Watching ${e.result.targets.map((t) => visible(t.path)).join(', ')} for changes.`);
        if (eventful || e.why === 'start')
          print(
            `[${stamp()}] ${visible(e.result.file)} (${visible(e.why)})\n${renderReconcileText(e.result, ctx.colors)}`,
          );
        return;
      }
      case 'failed':
        print(`[${stamp()}] ${visible(e.project)} (${visible(e.why)}): not reconciled`);
        return void reportError(e.error);
      case 'backoff':
        return print(
          `[${stamp()}] Something keeps removing or changing '${visible(e.server)}' in ${visible(e.path)} (${e.target}): healed ${e.heals} times in a row. Not healing it for ${Math.round(e.holdMs / 1000)} s; check what else writes this file.`,
        );
    }
  };
  const session = await startAgent(ctx.world, { debounceMs, version: VERSION }, show);
  try {
    await session.stopped;
  } finally {
    await session.close();
  }
}
