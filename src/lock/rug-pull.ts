import type { Check, ProbeResult } from '../probe/types.js';
import { compareTools, describeToolChanges, fingerprintTools } from './fingerprint.js';
import { checkFingerprints } from './sync.js';
import type { OpenLock } from './types.js';

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
  return { result: failFingerprint(result, await describeToolChanges(changed.changes)), recorded };
}

/**
 * What apply's verdict on this result will be, without recording anything (apply compares
 * with `checkFingerprints` once every target is checked): for its progress line, so the line
 * says FAIL (fingerprint) when the apply is going to fail for that reason.
 */
export async function previewFingerprint(
  open: OpenLock,
  declared: ReadonlySet<string>,
  result: ProbeResult,
): Promise<ProbeResult> {
  const locked = open.lock.servers[result.server]?.tools;
  if (!result.ok || !declared.has(result.server) || !locked) return result;
  const changes = compareTools(locked, fingerprintTools(result.tools));
  return changes.length ? failFingerprint(result, await describeToolChanges(changes)) : result;
}

function failFingerprint(result: ProbeResult, lines: readonly string[]): ProbeResult {
  const check: Check = {
    name: 'fingerprint',
    verdict: 'fail',
    detail: `tools changed since mcp.lock recorded them: ${lines.join('; ')}`,
  };
  return {
    ...result,
    ok: false,
    checks: [...result.checks, check],
    hint: `review the change; accept it with 'mcpform lock --update ${result.server}'`,
  };
}
