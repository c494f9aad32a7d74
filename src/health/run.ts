import { dirname } from 'node:path';
import { loadState } from '../lock/load-state.js';
import type { DesiredState, TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import { verifyPinnedPackages } from '../lock/integrity.js';
import { judgeFingerprint } from '../lock/rug-pull.js';
import { openLock, pinsFor, saveLock } from '../lock/sync.js';
import type { OpenLock } from '../lock/types.js';
import { serversFor } from '../plan/build.js';
import { runChecks, type CheckEvent } from '../probe/checks.js';
import { specFromDesired, specOfEntry } from '../probe/specs.js';
import type { ProbeResult, ProbeSpec } from '../probe/types.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import type { World } from '../world.js';

/** `mcpform test [SERVER...] [--live]`: what to check. */
export interface TestRequest {
  file?: string;
  environment?: string;
  target?: string;
  /** Only these servers (all when empty). */
  servers: readonly string[];
  /** The entries of the live client file (unmanaged ones included), not mcp.yaml's servers. */
  live?: boolean;
}

export type TestEvent =
  /** The servers about to be checked, and where they come from. */
  | { readonly type: 'testing'; readonly servers: readonly string[]; readonly source: string }
  /** mcp.lock now holds the first fingerprint of these servers. */
  | { readonly type: 'recorded'; readonly servers: readonly string[] }
  | CheckEvent;

export interface TestRun {
  environment: string;
  /** `declared in FILE` or `live entries in FILE`. */
  source: string;
  /** Each server's verdict, the rug-pull comparison included (in the order checked). */
  results: ProbeResult[];
  /** What the run amounts to when a server failed (HEALTH_FAILED); undefined when all passed. */
  failure?: McpformError;
}

/**
 * Real MCP handshakes with the servers of one target, as its client starts them: mcp.yaml's
 * (with the versions mcp.lock pins, installed only with the integrity it pins), or the live
 * file's entries. Each passing server's tools are judged against mcp.lock (rug-pull
 * protection) before its verdict is reported; first fingerprints are recorded in mcp.lock.
 */
export async function runTest(
  world: World,
  req: TestRequest,
  listen: (event: TestEvent) => void | Promise<void> = () => undefined,
): Promise<TestRun> {
  const state = await loadState(world, req);
  const {
    specs: all,
    source,
    lock,
  } = req.live ? liveSpecs(world, state, req.target) : declaredSpecs(world, state, req);
  const specs = only(all, req, state);
  const run: TestRun = { environment: state.environment, source, results: [] };
  if (specs.length === 0) return run;
  await listen({ type: 'testing', servers: specs.map((s) => s.name), source });
  const recorded: string[] = [];
  const declared = new Set(state.declaredServers);
  const judge = lock
    ? async (r: ProbeResult) => {
        const verdict = await judgeFingerprint(lock, declared, r);
        if (verdict.recorded) recorded.push(r.server);
        return verdict.result;
      }
    : undefined;
  // npx installs the pinned packages: only with the integrity mcp.lock pins.
  if (lock)
    await verifyPinnedPackages(
      lock,
      state,
      specs.map((s) => s.name),
      world,
    );
  run.results = (await runChecks(specs, world, { diagnose: true, judge }, listen)).results;
  if (lock) {
    if (recorded.length) await listen({ type: 'recorded', servers: recorded });
    await saveLock(lock, state, false, { world });
  }
  const failed = run.results.filter((r) => !r.ok).map((r) => r.server);
  if (failed.length)
    run.failure = new McpformError(
      'HEALTH_FAILED',
      `${failed.length} of ${run.results.length} servers failed: ${failed.join(', ')}`,
      { hint: "each result's checks say why; 'mcpform doctor' diagnoses start-up failures" },
    );
  return run;
}

interface Selected {
  specs: ProbeSpec[];
  source: string;
  /** mcp.lock, when the servers are mcp.yaml's (its pins, its fingerprints). */
  lock?: OpenLock;
}

/** mcp.yaml's servers for the target, rendered as its adapter writes them, with mcp.lock's pins. */
function declaredSpecs(world: World, state: DesiredState, req: TestRequest): Selected {
  const [spec] = selectTargets(state.targets, req.target);
  const adapter = adapterFor(spec!.name);
  const lock = openLock(state);
  const pins = pinsFor(lock, state);
  const specs = serversFor(state, spec!).map((s) => specFromDesired(s, adapter, pins, world, dirname(state.file)));
  return { specs, source: `declared in ${state.file}`, lock };
}

/** The live file's entries: any client's, declared in mcp.yaml or not (how it is set there, if it is). */
function liveSpecs(world: World, state: DesiredState, target: string | undefined): Selected {
  const spec = target ? liveSpec(state.targets, target, dirname(state.file)) : selectTargets(state.targets)[0]!;
  const adapter = adapterFor(spec.name);
  const path = adapter.resolvePath(spec, world);
  const live = adapter.read(path, spec);
  const declared = new Map(state.servers.map((s) => [s.name, s]));
  const specs = Object.entries(live.entries).map(([name, entry]) =>
    specOfEntry(name, adapter.toCanonical(entry, world.env), declared.get(name), {
      adapter,
      world,
      projectDir: dirname(state.file),
    }),
  );
  return { specs, source: `live entries in ${path}` };
}

/** The declared spec of a target (its path, scope), or the client's own file when mcp.yaml does not name it. */
function liveSpec(declared: readonly TargetSpec[], name: string, base: string): TargetSpec {
  adapterFor(name); // an unknown name: "did you mean", the list
  return declared.find((t) => t.name === name) ?? { name, base };
}

/** The servers named on the command line, each of which must exist. */
function only(specs: ProbeSpec[], req: TestRequest, state: DesiredState): ProbeSpec[] {
  if (!req.servers.length) return specs;
  const unknown = req.servers.filter((n) => !specs.some((s) => s.name === n));
  if (unknown.length)
    throw new McpformError(
      'UNKNOWN_SERVER',
      `unknown server${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; ` +
        `${req.live ? 'the live file has' : `environment '${state.environment}' has`}: ` +
        `${specs.map((s) => s.name).join(', ') || '(none)'}`,
    );
  return specs.filter((s) => req.servers.includes(s.name));
}
