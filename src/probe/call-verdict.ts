import type { Check, ProbeSpec } from './types.js';

/** The `call` check's verdict from a tools/call result, the same in both protocol eras. */
export function callVerdict(call: NonNullable<ProbeSpec['call']>, result: Record<string, unknown>): Check {
  const text = Array.isArray(result.content)
    ? (result.content as { type: string; text?: string }[])
        .filter((c) => c.type === 'text')
        .map((c) => c.text)
        .join('\n')
    : '';
  if (result.isError)
    return { name: 'call', verdict: 'fail', detail: `tool ${call.tool} returned an error: ${text.slice(0, 300)}` };
  if (call.expect !== undefined && !text.includes(call.expect))
    return {
      name: 'call',
      verdict: 'fail',
      detail: `tool ${call.tool} answered without the expected text '${call.expect}': ${text.slice(0, 300)}`,
    };
  return {
    name: 'call',
    verdict: 'pass',
    detail: `tool ${call.tool} answered${call.expect !== undefined ? ' with the expected text' : ''}`,
  };
}

/** The `expectTools` check: every tool mcp.yaml expects is offered (undefined: none expected). */
export function expectToolsVerdict(
  expected: readonly string[] | undefined,
  tools: readonly { name: string }[],
): Check | undefined {
  if (!expected?.length) return undefined;
  const names = new Set(tools.map((t) => t.name));
  const missing = expected.filter((t) => !names.has(t));
  return missing.length
    ? {
        name: 'expectTools',
        verdict: 'fail',
        detail: `missing expected tool${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`,
      }
    : { name: 'expectTools', verdict: 'pass', detail: `all ${expected.length} present` };
}
