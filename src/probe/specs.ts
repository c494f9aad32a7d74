import { SECRET_KEY } from '../config/names.js';
import type { DesiredServer } from '../config/types.js';
import { DEFAULT_TEST_TIMEOUT_MS } from '../config/types.js';
import type { ClientEntry, Pins, TargetAdapter } from '../targets/types.js';
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
      secrets: [...(opts.secrets ?? []), ...Object.values(headers)],
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
    // Values of secret-looking env keys, even when mcp.yaml did not declare them.
    secrets: [
      ...(opts.secrets ?? []),
      ...Object.entries(env)
        .filter(([k]) => SECRET_KEY.test(k))
        .map(([, v]) => v),
    ],
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

export function secretValues(server: DesiredServer): string[] {
  const out: string[] = [];
  for (const p of server.sensitive) {
    const [, field, key] = p.split('/');
    const v =
      field === 'env'
        ? server.env[unescape(key!)]
        : field === 'headers'
          ? server.headers[unescape(key!)]
          : field === 'args'
            ? server.args[Number(key)]
            : field === 'url'
              ? server.url
              : field === 'command'
                ? server.command
                : field === 'cwd'
                  ? server.cwd
                  : undefined;
    if (v) out.push(v);
  }
  return out;
}

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isStringMap(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}
