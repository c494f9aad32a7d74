import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ProcessTransport } from './process-transport.js';
import type { SpawnedServer } from './spawn.js';
import { checkModern, discoverEra, requestMeta, RpcError, type ModernChannel } from './stateless.js';
import type { ProbeResult, ProbeSpec } from './types.js';

/**
 * The stateless revision over stdio, on the process that just refused initialize: a
 * modern server does not die of an unknown method, so no second start is needed.
 * Returns undefined when the server does not speak it either.
 */
export async function probeStateless(
  spec: ProbeSpec,
  server: SpawnedServer,
  deadline: number,
): Promise<Omit<ProbeResult, 'server' | 'ok' | 'durationMs'> | undefined> {
  if (server.exit) return undefined;
  const proc = new ProcessTransport(server);
  const channel = stdioChannel(proc, deadline);
  try {
    await proc.start();
    const era = await discoverEra(channel);
    if (era.era !== 'modern') return undefined;
    const result = await checkModern(spec, channel, era, `process ${server.pid} started and stayed up`);
    const checks = [...result.checks];
    if (proc.junk.length)
      checks.push({
        name: 'stdout',
        verdict: 'warn',
        detail: `the server writes logs to stdout, which must carry only JSON-RPC (first line: ${JSON.stringify(proc.junk[0])}); log to stderr instead`,
      });
    return { ...result, checks, stderrTail: server.stderrTail() };
  } catch {
    return undefined;
  } finally {
    await proc.close();
  }
}

/** JSON-RPC requests with `_meta` over a process's stdin/stdout, each bounded by the deadline. */
function stdioChannel(proc: ProcessTransport, deadline: number): ModernChannel {
  const pending = new Map<number, (m: JSONRPCMessage) => void>();
  const exitWaiters = new Set<() => void>();
  proc.onmessage = (m) => {
    if ('id' in m && typeof m.id === 'number' && ('result' in m || 'error' in m)) pending.get(m.id)?.(m);
  };
  proc.onclose = () => {
    for (const w of exitWaiters) w();
  };
  let nextId = 1;
  return {
    request: (method, params, version) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const done = () => {
          clearTimeout(timer);
          pending.delete(id);
          exitWaiters.delete(onExit);
        };
        const onExit = () => {
          done();
          reject(new Error(`the server exited during ${method}`));
        };
        const timer = setTimeout(
          () => {
            done();
            reject(new Error(`no answer to ${method}`));
          },
          Math.max(1, deadline - performance.now()),
        );
        exitWaiters.add(onExit);
        pending.set(id, (m) => {
          done();
          if ('error' in m) {
            const e = m.error as { code?: number; message?: string; data?: unknown };
            reject(new RpcError(Number(e.code), `${method}: ${e.message ?? 'error'}`, e.data));
          } else resolve((m as { result: Record<string, unknown> }).result ?? {});
        });
        const message = { jsonrpc: '2.0', id, method, params: { ...params, _meta: requestMeta(version) } };
        proc.send(message as JSONRPCMessage).catch((err: Error) => {
          done();
          reject(err);
        });
      }),
  };
}
