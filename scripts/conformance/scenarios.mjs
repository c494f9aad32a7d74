// What a user would declare in mcp.yaml to health-check each scenario's server: most need
// just its URL; some exercise a tool, which `test.call` names (one server entry per call,
// since each entry calls one tool).

/** Bounded well inside the suite's own 30 s per client. */
const TIMEOUT = '20s';

const CALLS = {
  tools_call: [{ tool: 'add_numbers', arguments: { a: 5, b: 3 }, expect: '8' }],
  'sse-retry': [{ tool: 'test_reconnection' }],
  'elicitation-sep1034-client-defaults': [{ tool: 'test_client_elicitation_defaults' }],
  'sep-2322-client-request-state': [
    { tool: 'test_mrtr_echo_state' },
    { tool: 'test_mrtr_no_state' },
    { tool: 'test_mrtr_unrelated' },
    { tool: 'test_mrtr_no_result_type' },
  ],
  'http-invalid-tool-headers': [{ tool: 'valid_tool', arguments: { region: 'us-west1' } }],
};

/** The servers map of mcp.yaml for one scenario run. */
export function serversFor(scenario, url, context = {}) {
  const calls = Array.isArray(context.toolCalls)
    ? context.toolCalls.map((c) => ({ tool: c.name, arguments: c.arguments ?? {} }))
    : (CALLS[scenario] ?? []);
  if (!calls.length) return { conformance: { url, test: { timeout: TIMEOUT } } };
  return Object.fromEntries(
    calls.map((call, i) => [
      calls.length === 1 ? 'conformance' : `conformance-${i + 1}`,
      { url, test: { timeout: TIMEOUT, call } },
    ]),
  );
}
