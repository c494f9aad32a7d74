import { dirname } from 'node:path';
import { findConfig } from '../config/find.js';
import type { DesiredState } from '../config/types.js';
import { invalidConfig, McpformError } from '../errors.js';
import { readGitPins } from '../lock/git-pins.js';
import { adapterFor, clientCatalog } from '../targets/index.js';
import type { World } from '../world.js';
import { runDoctor, type DoctorReport } from './run.js';

/** `mcpform doctor [SERVER...] [--target NAME|all]`: what to diagnose. */
export interface DoctorRequest {
  file?: string;
  environment?: string;
  /** A client's name, or `all`; else mcp.yaml's first target, else Claude Desktop. */
  target?: string;
  /** Only these servers (all when empty). */
  servers: readonly string[];
}

/** One client's diagnosis is about to start (it starts servers). */
export interface DoctorEvent {
  readonly type: 'diagnosing';
  readonly target: string;
}

export interface DoctorRun {
  /** One report per client diagnosed. */
  reports: DoctorReport[];
  /** `--target all`: the reports are one per client, not the one client's. */
  all: boolean;
  /** What the run amounts to when a finding is an error (PROBLEMS_FOUND); undefined otherwise. */
  failure?: McpformError;
}

/**
 * Loads mcp.yaml as far as it loads (one unset variable must not hide every other server),
 * picks the clients to diagnose and diagnoses each (./run.ts). Without a usable mcp.yaml the
 * client's own file can still be diagnosed.
 */
export async function diagnose(
  world: World,
  req: DoctorRequest,
  listen: (event: DoctorEvent) => void | Promise<void> = () => undefined,
): Promise<DoctorRun> {
  let state: DesiredState | undefined;
  let loadError: McpformError | undefined;
  try {
    const file = await findConfig(req.file, world);
    const { loadDesiredPartial } = await import('../config/load.js');
    const loaded = await loadDesiredPartial(file, {
      environment: req.environment,
      world,
      clients: clientCatalog,
      gitPins: readGitPins,
    });
    state = loaded.state;
    if (loaded.problems.length) loadError = invalidConfig(loaded.problems);
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    if (err.code !== 'CONFIG_NOT_FOUND') loadError = err;
  }
  const reports: DoctorReport[] = [];
  for (const target of await doctorTargets(world, req.target, state)) {
    await listen({ type: 'diagnosing', target });
    reports.push(
      await runDoctor({
        state,
        // The load's problems are reported once, with the first client.
        loadError: reports.length === 0 ? loadError : undefined,
        servers: req.servers,
        target,
        world,
      }),
    );
  }
  const errors = reports.flatMap((r) => r.findings).filter((f) => f.severity === 'error');
  const failure =
    errors.length > 0
      ? new McpformError('PROBLEMS_FOUND', `doctor found ${errors.length} problem${errors.length === 1 ? '' : 's'}`, {
          hint: 'each finding above says its cause and fix',
        })
      : undefined;
  return { reports, all: req.target === 'all', failure };
}

/**
 * NAME: that client (any registered one); `all`: every client found on this machine plus
 * those mcp.yaml declares; neither: the first declared target (like `test --live`), else
 * Claude Desktop.
 */
async function doctorTargets(
  world: World,
  only: string | undefined,
  state: DesiredState | undefined,
): Promise<string[]> {
  if (only && only !== 'all') return [adapterFor(only).name];
  if (!only) return [state?.targets[0]?.name ?? 'claude-desktop'];
  const { discoverClients } = await import('../targets/discover.js');
  const found = discoverClients({
    world,
    configDir: state ? dirname(state.file) : world.cwd,
    declared: state?.targets,
  });
  const names = [...new Set([...(state?.targets ?? []).map((t) => t.name), ...found.map((f) => f.client)])];
  return names.length ? names : ['claude-desktop'];
}
