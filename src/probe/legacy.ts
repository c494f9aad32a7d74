import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { jsonSchemaValidator, JsonSchemaValidatorResult } from '@modelcontextprotocol/sdk/validation/types.js';
import { EmptyResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../version.js';
import type { ProcessTransport } from './process-transport.js';
import { declineInput } from './stateless.js';
import { callVerdict, expectToolsVerdict } from './call-verdict.js';
import type { Check, ProbeResult, ProbeSpec, ToolInfo } from './types.js';

const MAX_TOOL_PAGES = 100;
const NO_VALIDATION: jsonSchemaValidator = {
  getValidator<T>() {
    return (input: unknown) => ({ valid: true, data: input, errorMessage: undefined }) as JsonSchemaValidatorResult<T>;
  },
};

/**
 * The SDK client for the initialize era. It declares no client capabilities, yet a server
 * that asks for roots, sampling or elicitation anyway gets a well-formed answer (no roots,
 * a decline) instead of an error it may choke on or a request left hanging.
 */
export function newClient(): Client {
  const client = new Client(
    { name: 'mcpform', version: VERSION },
    // The SDK would build an Ajv instance per client and compile every tool's outputSchema
    // at tools/list: CPU that servers starting beside us need, for a validation a health
    // check does not report.
    { capabilities: {}, jsonSchemaValidator: NO_VALIDATION },
  );
  client.fallbackRequestHandler = async (request) => {
    const answer = declineInput(request.method);
    if (answer) return answer;
    if (request.method === 'sampling/createMessage')
      throw new McpError(-1, 'declined: mcpform test does not sample a model during a health check');
    throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`);
  };
  return client;
}

export type Outcome = Partial<
  Pick<ProbeResult, 'protocolVersion' | 'lifecycle' | 'serverInfo' | 'tools' | 'hint' | 'signIn'>
>;

/**
 * After a successful connect: initialize, tools (paged), the declared call, unknown-method
 * handling, expectTools. Throws when tools/list fails, for the caller to classify.
 */
export async function checkSession(
  client: Client,
  spec: ProbeSpec,
  add: (c: Check) => void,
  remaining: () => number,
  negotiated: string | undefined,
  proc?: ProcessTransport,
): Promise<Outcome> {
  const info = client.getServerVersion();
  add({
    name: 'initialize',
    verdict: 'pass',
    detail: `protocol ${negotiated ?? '?'}, server ${info?.name ?? '?'} ${info?.version ?? ''}`.trim(),
  });
  const tools: ToolInfo[] = [];
  if (client.getServerCapabilities()?.tools) {
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { timeout: remaining() });
      tools.push(...page.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })));
      cursor = page.nextCursor;
    } while (cursor && ++pages < MAX_TOOL_PAGES);
    add({
      name: 'tools',
      verdict: 'pass',
      detail: `${tools.length} tool${tools.length === 1 ? '' : 's'}${pages ? ` in ${pages + 1} pages` : ''}`,
    });
  } else add({ name: 'tools', verdict: 'skip', detail: 'the server declares no tools capability' });

  if (spec.call) add(await checkCall(client, spec.call, remaining()));
  add(await checkErrorHandling(client, proc, Math.min(remaining(), 5000)));
  const expected = expectToolsVerdict(spec.expectTools, tools);
  if (expected) add(expected);
  return {
    protocolVersion: negotiated,
    lifecycle: 'initialize',
    serverInfo: info ? { name: info.name, version: info.version } : undefined,
    tools,
  };
}

async function checkCall(client: Client, call: NonNullable<ProbeSpec['call']>, timeout: number): Promise<Check> {
  try {
    const result = await client.callTool({ name: call.tool, arguments: call.arguments }, undefined, { timeout });
    return callVerdict(call, result);
  } catch (err) {
    return { name: 'call', verdict: 'fail', detail: `calling ${call.tool} failed: ${(err as Error).message}` };
  }
}

/** An unknown method must get a JSON-RPC error back, not kill the server or go unanswered. */
async function checkErrorHandling(
  client: Client,
  transport: ProcessTransport | undefined,
  timeout: number,
): Promise<Check> {
  const proc = transport?.server;
  try {
    await client.request({ method: 'mcpform/no-such-method', params: {} }, EmptyResultSchema, { timeout });
    return {
      name: 'errors',
      verdict: 'warn',
      detail: 'an unknown method was accepted instead of answered with a JSON-RPC error',
    };
  } catch (err) {
    if (proc?.exit)
      return {
        name: 'errors',
        verdict: 'fail',
        detail: `the server exited (code ${proc.exit.code}) when sent an unknown method`,
      };
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout)
      return {
        name: 'errors',
        verdict: 'warn',
        detail: 'an unknown method got no answer (a JSON-RPC error was expected)',
      };
    if (err instanceof McpError)
      return { name: 'errors', verdict: 'pass', detail: `unknown method answered with JSON-RPC error ${err.code}` };
    return { name: 'errors', verdict: 'warn', detail: `unknown method: ${(err as Error).message}` };
  }
}

export function stdoutWarning(junk: string[], failed = false): Check {
  return {
    name: 'stdout',
    verdict: failed ? 'fail' : 'warn',
    detail: `the server writes logs to stdout, which must carry only JSON-RPC (first line: ${JSON.stringify(junk[0])}); log to stderr instead`,
  };
}
