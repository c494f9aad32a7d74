import type { DesiredServer } from '../config/types.js';
import { DEFAULT_TEST_TIMEOUT_MS } from '../config/types.js';
import type { ClientEntry, Pins, TargetAdapter } from '../targets/types.js';
import { secretsOfEntry } from '../util/mask.js';
import { clientEnvironment } from './environment.js';
import type { ProbeSpec } from './types.js';

/** A server as a client file has it: started exactly as the client would start it. */
export function specFromEntry(
  name: string,
  entry: ClientEntry,
  opts: Partial<Omit<ProbeSpec, 'name' | 'launch'>> = {},
  baseEnv?: Record<string, string>,
): ProbeSpec {
  const env = isStringMap(entry.env) ? entry.env : {};
  if (typeof entry.url === 'string' && typeof entry.command !== 'string') {
    // A remote entry (hand-made, or a client with native remote support): check its URL.
    const headers = isStringMap(entry.headers) ? entry.headers : {};
    const transport = entry.type === 'sse' || entry.transport === 'sse' ? 'sse' : undefined;
    return {
      name,
      launch: { kind: 'http', url: entry.url, headers, transport },
      timeoutMs: opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
      expectTools: opts.expectTools,
      call: opts.call,
      secrets: [...(opts.secrets ?? []), ...secretsOfEntry(entry)],
    };
  }
  return {
    name,
    launch: {
      kind: 'stdio',
      command: typeof entry.command === 'string' ? entry.command : '',
      args: Array.isArray(entry.args) ? entry.args.map(String) : [],
      env: clientEnvironment(env, baseEnv),
      cwd: typeof entry.cwd === 'string' ? entry.cwd : undefined,
    },
    timeoutMs: opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    expectTools: opts.expectTools,
    call: opts.call,
    // Secrets in the entry itself (secret-looking env keys, flags, headers, URL passwords),
    // even when mcp.yaml did not declare them.
    secrets: [...(opts.secrets ?? []), ...secretsOfEntry(entry)],
  };
}

/** A declared server: remote ones are checked at their URL, others as the adapter renders them. */
export function specFromDesired(
  server: DesiredServer,
  adapter: TargetAdapter,
  pins: Pins,
  baseEnv?: Record<string, string>,
): ProbeSpec {
  const test = {
    timeoutMs: server.test.timeoutMs,
    expectTools: server.test.expectTools,
    call: server.test.call,
    secrets: secretValues(server),
  };
  if (server.kind === 'url') {
    return {
      name: server.name,
      launch: { kind: 'http', url: server.url!, headers: { ...server.headers }, transport: server.transport },
      ...test,
    };
  }
  return specFromEntry(server.name, adapter.render(server, pins).entry, test, baseEnv);
}

/** What to mask for a declared server: its interpolated values and secret-looking fields. */
export function secretValues(server: DesiredServer): string[] {
  return [...server.secrets];
}

function isStringMap(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}
