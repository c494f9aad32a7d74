import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { maskDeep, masker } from '../util/mask.js';
import { classify, seconds } from './classify.js';
import { probeStateless } from './discover.js';
import {
  AuthError,
  describeAuth,
  describeFetchError,
  HttpStatusError,
  legacyHttpTransport,
  modernHttpChannel,
} from './http.js';
import { checkSession, newClient, stdoutWarning, type Outcome } from './legacy.js';
import { checkFetch, type Fetch } from './http-fetch.js';
import { preflightOAuth } from './oauth-preflight.js';
import { prepareServer, type PreparedServer } from './prepare.js';
import { ProcessTransport } from './process-transport.js';
import type { SpawnedServer } from './spawn.js';
import { checkModern, discoverEra, type Era } from './stateless.js';
import type { Check, Launch, ProbeResult, ProbeSpec } from './types.js';

/** How long past its timeout a check may take to report, whatever the server does. */
const HARD_GRACE_MS = 300;
/** How long closing the clients may take once the verdict is in. */
const CLOSE_MS = 500;

type HttpLaunch = Extract<Launch, { kind: 'http' }>;

/** One check under way: its verdicts so far, and the signal that ends everything it opened. */
interface Run {
  readonly spec: ProbeSpec;
  readonly deadline: number;
  readonly checks: Check[];
  readonly signal: AbortSignal;
  readonly clients: Client[];
  /** The check's own HTTP sockets (http-fetch.ts), all destroyed at the end. */
  readonly fetch: Fetch;
  /** Set once the verdict is out: a straggler's late findings are dropped. */
  closed: boolean;
  add(c: Check): void;
  remaining(): number;
}

/**
 * Runs one server through the checks in order, each with its own verdict: configuration,
 * startup, initialize (or the stateless server/discover), tools, call, errors, expectTools,
 * stdout. `spec.timeoutMs` is a hard bound: whatever the server does, the verdict comes
 * within it (plus HARD_GRACE_MS), every socket is closed and every process is killed.
 */
export async function checkServer(
  spec: ProbeSpec,
  opts: { prepared?: PreparedServer; stopInBackground?: (stopped: Promise<void>) => void } = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const prepared = opts.prepared ?? prepareServer(spec);
  const deadline = started + spec.timeoutMs;
  const abort = new AbortController();
  const http = checkFetch(abort.signal);
  const run: Run = {
    fetch: http.fetch,
    spec,
    deadline,
    checks: [],
    signal: abort.signal,
    clients: [],
    closed: false,
    add(c) {
      if (!this.closed) this.checks.push(c);
    },
    remaining: () => Math.max(1, deadline - performance.now()),
  };
  run.add = run.add.bind(run);
  // Every string of the result (details, stderr, tool descriptions that end up in mcp.lock)
  // is masked, on every path out of here.
  const mask = masker(spec.secrets ?? []);
  const result = (extra: Outcome & { stderrTail?: string; checks?: unknown }): ProbeResult =>
    maskDeep(
      {
        server: spec.name,
        tools: [],
        ...(spec.launch.kind === 'http' && { remote: true as const }),
        ...extra,
        ok: !run.checks.some((c) => c.verdict === 'fail'),
        checks: [...run.checks],
        durationMs: Math.round(performance.now() - started),
        stderrTail: extra.stderrTail || undefined,
        hint: extra.hint || undefined,
      },
      mask,
    );

  run.add(prepared.config);
  if (prepared.config.verdict === 'fail')
    return result({
      hint:
        spec.shellHint ??
        'fix the command or path in mcp.yaml; the client starts servers with its own PATH and working directory',
    });

  let timer: NodeJS.Timeout | undefined;
  const hardDeadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve(timedOut(run)), Math.max(0, deadline - performance.now()) + HARD_GRACE_MS);
  });
  const work = prepared.server ? checkStdio(run, prepared.server) : checkHttp(run, spec.launch as HttpLaunch);
  work.catch(() => {}); // it may lose the race and fail later, once everything is closed
  let outcome: Outcome;
  try {
    outcome = await Promise.race([work, hardDeadline]);
  } catch (err) {
    run.add({ name: 'initialize', verdict: 'fail', detail: (err as Error).message });
    outcome = {};
  } finally {
    clearTimeout(timer);
    run.closed = true;
    abort.abort();
    await within(CLOSE_MS, Promise.all(run.clients.map((c) => c.close().catch(() => {}))));
  }
  const final = result({ ...outcome, stderrTail: prepared.server?.stderrTail() });
  const stopped = prepared.server?.stop(final.ok ? 1000 : 300) ?? Promise.resolve();
  // The verdict is known; a runner may let the process die while it reports.
  if (opts.stopInBackground) opts.stopInBackground(stopped);
  else await stopped;
  return final;
}

function within(ms: number, p: Promise<unknown>): Promise<unknown> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise((r) => (t = setTimeout(r, ms)))]).finally(() => clearTimeout(t));
}

/** The verdict at the hard deadline: the first check that never completed failed. */
function timedOut(run: Run): Outcome {
  const has = (n: string) => run.checks.some((c) => c.name === n);
  const s = seconds(run.spec.timeoutMs);
  const http = run.spec.launch.kind === 'http';
  if (!has('startup'))
    run.add({
      name: 'startup',
      verdict: 'fail',
      detail: http
        ? `no complete answer from ${run.spec.launch.kind === 'http' ? run.spec.launch.url : ''} within ${s} s (the headers never came, or the response never ended)`
        : `the server did not get going within ${s} s`,
    });
  else if (!has('initialize'))
    run.add({ name: 'initialize', verdict: 'fail', detail: `no answer to initialize within ${s} s` });
  else if (!has('tools')) run.add({ name: 'tools', verdict: 'fail', detail: `no answer to tools/list within ${s} s` });
  else run.add({ name: 'call', verdict: 'fail', detail: `the checks did not finish within ${s} s` });
  run.closed = true;
  return {
    hint: 'the server accepted the request but never finished answering; raise test.timeout if it is just slow',
  };
}

/** The SDK client over our own process transport; a refused initialize tries the stateless revision on the same process. */
async function checkStdio(run: Run, server: SpawnedServer): Promise<Outcome> {
  const client = newClient();
  run.clients.push(client);
  const proc = new ProcessTransport(server);
  const negotiated = trackVersion(proc);
  try {
    await client.connect(proc, { timeout: run.remaining() });
    run.add({ name: 'startup', verdict: 'pass', detail: `process ${server.pid} started and stayed up` });
    const outcome = await checkSession(client, run.spec, run.add, run.remaining, negotiated.version, proc);
    if (proc.junk.length) run.add(stdoutWarning(proc.junk));
    return outcome;
  } catch (err) {
    // A write to a server that just died fails (EPIPE) before its exit is reported: wait
    // briefly for the exit, so the verdict says "exited" with its code and stderr.
    if (!server.exit && !(err instanceof McpError && err.code === ErrorCode.RequestTimeout)) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        server.onExit(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const failure = classify(err, proc, run.spec.timeoutMs, run.checks);
    if (failure.tryStateless) {
      await client.close().catch(() => {});
      const stateless = await probeStateless(run.spec, server, run.deadline);
      if (stateless) {
        for (const c of stateless.checks) run.add(c);
        return stateless;
      }
    }
    for (const c of failure.checks) run.add(c);
    if (proc.junk.length) run.add(stdoutWarning(proc.junk, true));
    return { hint: failure.hint };
  }
}

/**
 * Streamable HTTP: a modern request first (server/discover with the 2026-07-28 headers and
 * _meta); an endpoint that answers it with no modern JSON-RPC error is of the initialize
 * era, checked through the SDK, and over SSE if streamable HTTP is refused too. An auth
 * error or a transport failure ends the check at once: no other transport will fix it.
 */
async function checkHttp(run: Run, launch: HttpLaunch): Promise<Outcome> {
  if (launch.transport !== 'sse') {
    const channel = modernHttpChannel(launch, run.fetch);
    let era: Era | undefined;
    try {
      era = await discoverEra(channel);
    } catch (err) {
      if (err instanceof AuthError) return await authOutcome(run, launch, err);
      if (!(err instanceof HttpStatusError)) {
        run.add({ name: 'startup', verdict: 'fail', detail: `could not connect: ${describeFetchError(err)}` });
        return { hint: 'check the URL, that the server is running, and the network' };
      }
    }
    if (era?.era === 'modern') {
      const modern = await checkModern(run.spec, channel, era, 'connected over streamable HTTP (stateless)');
      for (const c of modern.checks) run.add(c);
      return modern;
    }
    if (era?.era === 'none') {
      run.add({ name: 'startup', verdict: 'pass', detail: 'connected over streamable HTTP' });
      run.add({ name: 'initialize', verdict: 'fail', detail: era.detail });
      return {};
    }
  }
  return checkLegacyHttp(run, launch);
}

async function checkLegacyHttp(run: Run, launch: HttpLaunch): Promise<Outcome> {
  let client = newClient();
  run.clients.push(client);
  let transport: Transport = await legacyHttpTransport(launch, launch.transport === 'sse', run.fetch);
  let negotiated = trackVersion(transport);
  let startup = launch.transport === 'sse' ? 'connected over SSE' : 'connected over streamable HTTP';
  try {
    try {
      await client.connect(transport, { timeout: run.remaining() });
    } catch (err) {
      if (launch.transport || err instanceof McpError || authStatus(err)) throw err;
      // Streamable HTTP refused: older servers speak SSE only.
      client = newClient();
      run.clients.push(client);
      transport = await legacyHttpTransport(launch, true, run.fetch);
      negotiated = trackVersion(transport);
      await client.connect(transport, { timeout: run.remaining() });
      startup = 'connected over SSE (streamable HTTP was refused)';
    }
    run.add({ name: 'startup', verdict: 'pass', detail: startup });
    return await checkSession(client, run.spec, run.add, run.remaining, negotiated.version);
  } catch (err) {
    const status = authStatus(err);
    if (status) return await authOutcome(run, launch, new AuthError(status, authChallenge(err)));
    const failure = classify(err, undefined, run.spec.timeoutMs, run.checks);
    for (const c of failure.checks) run.add(c);
    return { hint: failure.hint };
  }
}

/**
 * A 401 without credentials from a server with OAuth metadata is its normal state until the
 * user signs in through the client: the spec's discovery is checked instead (oauth-preflight.ts),
 * and the verdict is "reachable, sign-in needed in <client>" or the misconfiguration that
 * would stop every client. Credentials that were sent, a 403, or no sign of OAuth at all:
 * the handshake failed, said as describeAuth says it.
 */
async function authOutcome(run: Run, launch: HttpLaunch, err: AuthError): Promise<Outcome> {
  const auth = describeAuth(err, launch);
  if (err.status !== 401 || sentCredentials(launch)) {
    run.add({ name: 'startup', verdict: 'fail', detail: auth.detail });
    return { hint: auth.hint };
  }
  const pre = await preflightOAuth(launch.url, err.challenge, run.fetch);
  if (!pre.oauth) {
    run.add({ name: 'startup', verdict: 'fail', detail: auth.detail });
    return { hint: auth.hint };
  }
  const client = run.spec.client ?? 'the client';
  if (!pre.ok) {
    run.add({ name: 'startup', verdict: 'fail', detail: `${auth.detail}, but no client can sign in: ${pre.detail}` });
    return { hint: `the server's OAuth metadata needs fixing (on the server); meanwhile ${auth.hint}` };
  }
  run.add({ name: 'startup', verdict: 'pass', detail: `reachable (HTTP 401), sign-in needed in ${client}` });
  run.add({
    name: 'authorization',
    verdict: pre.warning ? 'warn' : 'pass',
    detail: pre.warning ? `${pre.detail}; ${pre.warning}` : pre.detail,
  });
  return {
    signIn: client,
    hint: `sign in through ${client}; to check its tools here too, pass an access token as headers: { Authorization: "Bearer \${MY_TOKEN}" } in mcp.yaml`,
  };
}

function sentCredentials(launch: HttpLaunch): boolean {
  return Object.keys(launch.headers).some((k) => /^(authorization|x-api-key|api-key)$/i.test(k));
}

/** The WWW-Authenticate challenge an SDK transport error carries, when it does. */
function authChallenge(err: unknown): string | undefined {
  const e = err as { response?: Response; headers?: Headers };
  return e?.response?.headers?.get?.('www-authenticate') ?? e?.headers?.get?.('www-authenticate') ?? undefined;
}

/** 401 or 403 from the SDK's transports (StreamableHTTPError's code, or the SSE error's text). */
function authStatus(err: unknown): number | undefined {
  const e = err as { code?: unknown; message?: string };
  if (e?.code === 401 || e?.code === 403) return e.code;
  const m = /\b(401|403)\b/.exec(e?.message ?? '');
  return m && /status|HTTP|Unauthorized|Forbidden/i.test(e?.message ?? '') ? Number(m[1]) : undefined;
}

/** Records the negotiated version without taking it from the transport (streamable HTTP sends it as a header). */
function trackVersion(t: Transport): { version?: string } {
  const seen: { version?: string } = {};
  const own = t.setProtocolVersion?.bind(t);
  t.setProtocolVersion = (v: string) => {
    seen.version = v;
    own?.(v);
  };
  return seen;
}
