import type { Plan } from '../plan/types.js';
import type { CheckEvent } from '../probe/checks.js';
import type { ProbeResult } from '../probe/types.js';
import type { FileOutcome } from './guard.js';

/**
 * What apply tells whoever watches it, as Terraform's hooks do (`internal/terraform/hook.go`):
 * apply does the work, the watcher (the terminal, watch, a test) only hears of it.
 */
export type ApplyEvent =
  /** The plan, before anything is asked or written. */
  | { readonly type: 'planned'; readonly plans: readonly Plan[] }
  /** Progress and reports for a person (stderr in the CLI). */
  | { readonly type: 'notice'; readonly text: string }
  /** The health checks of the servers written: started, each verdict, finished. */
  | CheckEvent
  /** The run failed after a write and every file was put back (or says why not): `checks` are those the failure concerns. */
  | { readonly type: 'rolled-back'; readonly files: readonly FileOutcome[]; readonly checks: readonly ProbeResult[] };

/** How apply talks to the person running it: the CLI prints, tests record. */
export interface ApplyUi {
  /** Hears each event; apply waits for it (the plan is on screen before the question). */
  on(event: ApplyEvent): void | Promise<void>;
  /** Resolves on yes; throws NOT_CONFIRMED otherwise. Not called with --yes or when only ownership changes. */
  confirm(question: string): Promise<void>;
}
