import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, McpformError } from '../../errors.js';
import { renderFailures, renderMarkdown, renderTable } from '../../probe/report.js';
import { specFromDesired, specFromEntry } from '../../probe/specs.js';
import type { ProbeSpec } from '../../probe/types.js';
import { serversFor } from '../../plan/build.js';
import { adapterFor, selectTargets } from '../../targets/index.js';
import type { TargetSpec } from '../../config/types.js';
import { verifyPinnedPackages } from '../../lock/integrity.js';
import { judgeFingerprint } from '../../lock/rug-pull.js';
import { openLock, pinsFor, saveLock } from '../../lock/sync.js';
import type { OpenLock } from '../../lock/types.js';
import type { ProbeResult } from '../../probe/types.js';
import { loadContextState, type Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';
import { runWithProgress } from '../progress.js';
import { errorDocument } from '../report-error.js';

export interface TestFlags {
  live?: boolean;
  json?: boolean;
  report?: string;
}

export default async function test(ctx: Context, servers: string[], flags: TestFlags): Promise<void> {
  const state = await loadContextState(ctx);
  const json = flags.json || ctx.opts.json;
  // --live reads any client's file, declared in mcp.yaml or not (how it is set there, if it is).
  const [spec] =
    flags.live && ctx.opts.target
      ? [liveSpec(state.targets, ctx.opts.target, dirname(state.file))]
      : selectTargets(state.targets, ctx.opts.target);
  const adapter = adapterFor(spec!.name);
  const declared = new Map(state.servers.map((s) => [s.name, s]));
  let specs: ProbeSpec[];
  let source: string;
  let mcpLock: OpenLock | undefined;
  if (flags.live) {
    const path = adapter.resolvePath(spec!, ctx.world);
    const live = adapter.read(path, spec);
    source = `live entries in ${path}`;
    specs = Object.entries(live.entries).map(([name, entry]) => {
      const d = declared.get(name);
      return specFromEntry(
        name,
        adapter.toCanonical(entry, ctx.world.env),
        d
          ? { timeoutMs: d.test.timeoutMs, expectTools: d.test.expectTools, call: d.test.call, secrets: d.secrets }
          : {},
        { adapter, world: ctx.world },
      );
    });
  } else {
    source = `declared in ${state.file}`;
    mcpLock = openLock(state);
    const pins = pinsFor(mcpLock, state);
    specs = serversFor(state, spec!).map((s) => specFromDesired(s, adapter, pins, ctx.world));
  }
  if (servers.length) {
    const unknown = servers.filter((n) => !specs.some((s) => s.name === n));
    if (unknown.length) {
      throw new McpformError(
        'UNKNOWN_SERVER',
        `unknown server${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; ` +
          `${flags.live ? 'the live file has' : `environment '${state.environment}' has`}: ` +
          `${specs.map((s) => s.name).join(', ') || '(none)'}`,
      );
    }
    specs = specs.filter((s) => servers.includes(s.name));
  }
  if (specs.length === 0) {
    if (json) printJson({ formatVersion: 1, environment: state.environment, results: [] });
    else print(`No servers to test (${source}).`);
    return;
  }
  if (!json) printErr(`Testing ${specs.length} server${specs.length === 1 ? '' : 's'} (${source})`);
  // Rug-pull check, per server before its progress line: tools that differ from mcp.lock fail.
  const recorded: string[] = [];
  const declaredNames = new Set(state.declaredServers);
  const judge = mcpLock
    ? async (r: ProbeResult) => {
        const verdict = await judgeFingerprint(mcpLock, declaredNames, r);
        if (verdict.recorded) recorded.push(r.server);
        return verdict.result;
      }
    : undefined;
  // npx installs the pinned packages: only with the integrity mcp.lock pins.
  if (mcpLock)
    await verifyPinnedPackages(
      mcpLock,
      state,
      specs.map((s) => s.name),
      ctx.world,
    );
  const results = await runWithProgress(specs, ctx.world, { quiet: json, diagnose: true, judge });
  if (mcpLock) {
    if (recorded.length && !json) printErr(`Recorded the tools of ${recorded.join(', ')} in mcp.lock`);
    await saveLock(mcpLock, state, false, { world: ctx.world });
  }
  if (flags.report)
    writeFileSync(
      flags.report,
      renderMarkdown(results, { environment: state.environment, when: ctx.world.now().toISOString(), source }),
    );
  const failed = results.filter((r) => !r.ok).map((r) => r.server);
  if (json) {
    // Exit 1 with --json: the results, and the `error` every failing --json document carries.
    const error = failed.length
      ? errorDocument(
          new McpformError(
            'HEALTH_FAILED',
            `${failed.length} of ${results.length} servers failed: ${failed.join(', ')}`,
            {
              hint: "each result's checks say why; 'mcpform doctor' diagnoses start-up failures",
            },
          ),
        ).error
      : undefined;
    printJson({ formatVersion: 1, environment: state.environment, results, ...(error ? { error } : {}) });
  } else {
    print(renderTable(results));
    const failures = renderFailures(results);
    if (failures) print(failures);
    if (flags.report) print(`\nReport written to ${flags.report}`);
  }
  if (failed.length) throw new ExitCode(1);
}

/** The declared spec of a target (its path, scope), or the client's own file when mcp.yaml does not name it. */
export function liveSpec(declared: readonly TargetSpec[], name: string, base: string): TargetSpec {
  adapterFor(name); // an unknown name: "did you mean", the list
  return declared.find((t) => t.name === name) ?? { name, base };
}
