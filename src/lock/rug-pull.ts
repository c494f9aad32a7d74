import type { McpformError } from '../errors.js';
import type { Check, ProbeResult } from '../probe/types.js';
import { describeToolChanges, hiddenTextWarnings, toolListProblem, type ToolChange } from './fingerprint.js';
import { checkFingerprints, unfingerprintable } from './sync.js';
import type { OpenLock } from './types.js';
import { shellCommand } from '../util/shell-quote.js';

/** The rug-pull verdict on one health-check result: the one `test` and `apply` both decide on. */
export interface FingerprintVerdict {
  /**
   * The result as judged: a passing one fails with a `fingerprint` check naming the changes
   * tool by tool when its tools differ from mcp.lock, or when they cannot be recorded.
   */
  result: ProbeResult;
  /** Its tools were recorded in `open` (its first fingerprint; saved by the caller). */
  recorded: boolean;
  /** The tools that differ from mcp.lock, tool by tool. */
  changed?: { server: string; changes: ToolChange[] };
  /** A tool list mcp.lock cannot record faithfully (two tools with one name, `__proto__`). */
  refused?: McpformError;
}

/**
 * The rug-pull verdict for one result, made as soon as the result is in, so the progress
 * line, the table and the command's outcome all show the same verdict. A server with no
 * fingerprint yet is recorded in `open`.
 */
export async function judgeFingerprint(
  open: OpenLock,
  declared: ReadonlySet<string>,
  result: ProbeResult,
): Promise<FingerprintVerdict> {
  const problem = result.ok && declared.has(result.server) ? toolListProblem(result.tools) : undefined;
  if (problem) {
    const refused = unfingerprintable(result.server, problem);
    return {
      result: failFingerprint(result, `cannot be fingerprinted: ${problem}`, refused.hint!),
      recorded: false,
      refused,
    };
  }
  const report = checkFingerprints(open, [result], declared);
  const recorded = report.recorded.length > 0;
  const changed = report.changed[0];
  // Recorded for the first time: nothing was compared, so this is the moment to say what its tools hide.
  const hidden = recorded && !changed ? result.tools.flatMap(hiddenTextWarnings) : [];
  if (hidden.length) return { result: warnHidden(result, hidden), recorded };
  if (!changed) return { result, recorded };
  const lines = await describeToolChanges(changed.changes);
  return {
    result: failFingerprint(
      result,
      `tools changed since mcp.lock recorded them: ${lines.join('; ')}`,
      `review the change; accept it with '${shellCommand(['mcpform', 'lock', '--update', result.server])}'`,
    ),
    recorded,
    changed,
  };
}

/** Recorded, with text nobody can see: passes, and says so. */
function warnHidden(result: ProbeResult, lines: readonly string[]): ProbeResult {
  const check: Check = {
    name: 'fingerprint',
    verdict: 'warn',
    detail: `recorded in mcp.lock, but review it: ${lines.join('; ')}`,
  };
  return { ...result, checks: [...result.checks, check] };
}

function failFingerprint(result: ProbeResult, detail: string, hint: string): ProbeResult {
  const check: Check = { name: 'fingerprint', verdict: 'fail', detail };
  return { ...result, ok: false, checks: [...result.checks, check], hint };
}
