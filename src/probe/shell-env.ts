import { checkServer } from './check-server.js';
import { mentions, shellCandidates } from './environment.js';
import type { World } from '../world.js';
import type { Check, ProbeResult, ProbeSpec } from './types.js';
import { shellCommand } from '../util/shell-quote.js';

/**
 * A server that fails with the client's environment but works with the user's whole shell
 * depends on a variable the client never passes (the classic "works in my terminal").
 * Re-run with the shell's variables and bisect down to the one that matters.
 */
export async function diagnoseShellEnvironment(
  spec: ProbeSpec,
  shell: World['env'],
  serverOutput = '',
  opts: { bisect?: boolean; timeoutMs?: number } = { bisect: true },
): Promise<Check | undefined> {
  if (spec.launch.kind !== 'stdio') return undefined;
  const launch = spec.launch;
  const extra = shellCandidates(shell, launch.env, serverOutput);
  if (!opts.bisect) {
    // The server names what it misses and nobody has it: no second start can tell more.
    const missing = missingVariables(serverOutput).filter((v) => !(v in launch.env) && shell[v] === undefined);
    if (missing.length && !extra.some((k) => mentions(serverOutput, k)))
      return {
        name: 'environment',
        verdict: 'fail',
        detail: `the server asks for ${missing.map((v) => `\${${v}}`).join(', ')}, set neither under env: in mcp.yaml nor in your shell; add it under env: (as \${VAR} for a secret) and set it in your shell or .env`,
      };
  }
  if (extra.length === 0) return undefined;
  const withVars = async (names: string[]): Promise<ProbeResult> => {
    const env = { ...launch.env };
    for (const n of names) env[n] = shell[n]!;
    return checkServer({
      ...spec,
      launch: { ...launch, env },
      call: undefined,
      timeoutMs: opts.timeoutMs ?? Math.min(spec.timeoutMs, 15_000),
    });
  };
  if (!(await withVars(extra)).ok) return undefined;
  let candidates = extra;
  if (!opts.bisect) {
    // One start only (test): the variable the server itself named, or leave the search to doctor.
    const named = extra.filter((k) => mentions(serverOutput, k));
    if (named.length !== 1)
      return {
        name: 'environment',
        verdict: 'fail',
        detail: `the server works only with variables from your shell, which the client does not pass to servers; '${shellCommand(['mcpform', 'doctor', spec.name])}' finds which one, then add it under env: in mcp.yaml (as \${VAR} for a secret)`,
      };
    candidates = named;
  }
  while (candidates.length > 1) {
    const half = candidates.slice(0, Math.ceil(candidates.length / 2));
    const rest = candidates.slice(half.length);
    if ((await withVars(half)).ok) candidates = half;
    else if ((await withVars(rest)).ok) candidates = rest;
    else break;
  }
  const names =
    candidates.length === 1
      ? `\${${candidates[0]}}`
      : `one of several shell variables (${candidates.slice(0, 8).join(', ')}${candidates.length > 8 ? ', ...' : ''})`;
  return {
    name: 'environment',
    verdict: 'fail',
    detail: `the server works only with ${names} from your shell, which the client does not pass to servers; add it under env: in mcp.yaml (as \${VAR} for a secret)`,
  };
}

/** Variable names a server's error output says it lacks ("GITHUB_TOKEN is not set", "... environment variable is required"). */
export function missingVariables(output: string): string[] {
  const found = new Set<string>();
  for (const line of output.split('\n')) {
    if (!/environment variable|env var|not set|is required|missing|undefined/i.test(line)) continue;
    for (const m of line.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) found.add(m[0]);
  }
  return [...found];
}
