import type { Check, ProbeResult } from '../probe/types.js';
import { describeToolChanges } from './fingerprint.js';
import { checkFingerprints, type OpenLock } from './sync.js';

/**
 * The rug-pull verdict for one health-check result (`mcpform test`): tools that differ from
 * mcp.lock turn a passing result into a failing one, with a `fingerprint` check naming the
 * changes tool by tool; a server with no fingerprint yet is recorded in `open` (saved by the
 * caller). apply uses the same comparison (`checkFingerprints`) and fails as a whole instead.
 */
export async function judgeFingerprint(
  open: OpenLock,
  declared: ReadonlySet<string>,
  result: ProbeResult,
): Promise<{ result: ProbeResult; recorded: boolean }> {
  const report = checkFingerprints(open, [result], declared);
  const recorded = report.recorded.length > 0;
  const changed = report.changed[0];
  if (!changed) return { result, recorded };
  const lines = await describeToolChanges(changed.changes);
  const check: Check = {
    name: 'fingerprint',
    verdict: 'fail',
    detail: `tools changed since mcp.lock recorded them: ${lines.join('; ')}`,
  };
  return {
    result: {
      ...result,
      ok: false,
      checks: [...result.checks, check],
      hint: `review the change; accept it with 'mcpform lock --update ${result.server}'`,
    },
    recorded,
  };
}
