import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../version.js';
import { ProcessTransport } from './process-transport.js';
import { SpawnedServer } from './spawn.js';
import type { Check, ProbeResult, ProbeSpec, ToolInfo } from './types.js';

export const STATELESS_VERSION = '2026-07-28';

/**
 * The 2026-07-28 revision has no initialize: `server/discover`, then requests that carry
 * their protocol version and capabilities in `_meta`. The SDK we build on does not speak it
 * yet, so this is the one place that sends JSON-RPC by hand, and only these two methods.
 * Returns undefined when the server does not speak it either.
 */
export async function probeStateless(spec: ProbeSpec, deadline: number): Promise<ProbeResult | undefined> {
  if (spec.launch.kind !== 'stdio') return undefined;
  const started = Date.now();
  const server = new SpawnedServer(spec.launch);
  const proc = new ProcessTransport(server);
  const pending = new Map<number, (m: JSONRPCMessage) => void>();
  proc.onmessage = (m) => {
    if ('id' in m && typeof m.id === 'number' && ('result' in m || 'error' in m)) pending.get(m.id)?.(m);
  };
  let nextId = 1;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': STATELESS_VERSION,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'mcpform', version: VERSION },
  };
  const request = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), Math.max(1, deadline - Date.now()));
      proc.onclose = () => reject(new Error(`the server exited during ${method}`));
      pending.set(id, (m) => {
        clearTimeout(timer);
        if ('error' in m) reject(new Error(`${method}: ${(m.error as { message: string }).message}`));
        else resolve((m as { result: Record<string, unknown> }).result);
      });
      proc.send({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } } as JSONRPCMessage).catch(reject);
    });
  try {
    await proc.start();
    const found = await request('server/discover');
    const versions = Array.isArray(found.supportedVersions) ? (found.supportedVersions as string[]) : [];
    const info = found.serverInfo as { name: string; version: string } | undefined;
    const checks: Check[] = [
      { name: 'startup', verdict: 'pass', detail: `process ${server.pid} started and stayed up` },
      {
        name: 'initialize',
        verdict: 'pass',
        detail:
          `stateless: server/discover answered (supports ${versions.join(', ') || '?'}), server ${info?.name ?? '?'} ${info?.version ?? ''}`.trim(),
      },
    ];
    const tools: ToolInfo[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await request('tools/list', cursor ? { cursor } : {});
      for (const t of (page.tools as ToolInfo[] | undefined) ?? [])
        tools.push({ name: t.name, description: t.description, inputSchema: t.inputSchema });
      cursor = page.nextCursor as string | undefined;
    } while (cursor && ++pages < 100);
    checks.push({ name: 'tools', verdict: 'pass', detail: `${tools.length} tool${tools.length === 1 ? '' : 's'}` });
    if (spec.expectTools?.length) {
      const missing = spec.expectTools.filter((n) => !tools.some((t) => t.name === n));
      checks.push(
        missing.length
          ? { name: 'expectTools', verdict: 'fail', detail: `missing expected tools: ${missing.join(', ')}` }
          : { name: 'expectTools', verdict: 'pass', detail: `all ${spec.expectTools.length} present` },
      );
    }
    return {
      server: spec.name,
      ok: !checks.some((c) => c.verdict === 'fail'),
      checks,
      protocolVersion: versions.includes(STATELESS_VERSION) ? STATELESS_VERSION : versions[0],
      lifecycle: 'discover',
      serverInfo: info,
      tools,
      durationMs: Date.now() - started,
      stderrTail: server.stderrTail(),
    };
  } catch {
    return undefined;
  } finally {
    await proc.close();
    await server.stop();
  }
}
