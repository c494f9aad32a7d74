import type { DesiredServer } from '../config/types.js';
import { DEFAULT_TEST_TIMEOUT_MS } from '../config/types.js';
import { launchEnvironment, pathOf } from '../targets/launch-env.js';
import type { ClientEntry, Pins, TargetAdapter } from '../targets/types.js';
import { expandPercent } from '../targets/windows-vars.js';
import { secretsOfEntry } from '../util/mask.js';
import { clientEnvironment, defaultEnvironment, whichCommand } from './environment.js';
import type { World } from '../world.js';
import type { ProbeSpec } from './types.js';
import { entryDirectory, serverDirectory } from './client-dir.js';

/** The World servers start in, and the client that starts them (absent: the SDK's defaults). */
export interface SpecSource {
  readonly world: Pick<World, 'env' | 'platform' | 'cwd'> & Partial<Pick<World, 'home'>>;
  /** With `serverCwd`, servers start in the folder that client starts them in (client-dir.ts). */
  readonly adapter?: Pick<TargetAdapter, 'launch'> &
    Partial<Pick<TargetAdapter, 'name' | 'serverCwd' | 'variableReference' | 'windowsStart' | 'percentVariables'>>;
  /** The project's folder (mcp.yaml's), where a `project` client starts servers; default the World's cwd. */
  readonly projectDir?: string;
}

/**
 * A server as a client file has it: started exactly as the client would start it, in the
 * environment the target's client gives servers (`adapter.launch`, src/targets/launch-env.ts).
 * Without a client (unit tests of the probe), the SDK's default inherited variables of the
 * World's, started as the SDK starts them.
 */
export function specFromEntry(name: string, raw: ClientEntry, opts: CheckOptions, from: SpecSource): ProbeSpec {
  const { world, adapter } = from;
  const ref = adapter?.variableReference;
  const entry = ref ? expandReferences(raw, ref, world.env) : raw;
  const env = isStringMap(entry.env) ? clientExpanded(entry.env, adapter, world) : {};
  if (typeof entry.url === 'string' && typeof entry.command !== 'string') {
    // A remote entry (hand-made, or a client with native remote support): check its URL.
    const headers = isStringMap(entry.headers) ? entry.headers : {};
    const transport = entry.type === 'sse' || entry.transport === 'sse' ? 'sse' : undefined;
    return {
      name,
      launch: { kind: 'http', url: entry.url, headers, transport },
      client: adapter?.name,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
      expectTools: opts.expectTools,
      call: opts.call,
      secrets: [...(opts.secrets ?? []), ...secretsOfEntry(entry)],
    };
  }
  const command = typeof entry.command === 'string' ? entry.command : '';
  const baseEnv = adapter ? launchEnvironment(adapter.launch, world.env, world.platform) : defaultEnvironment(world);
  const launchEnv = clientEnvironment(env, baseEnv);
  const cwd = typeof entry.cwd === 'string' ? entry.cwd : undefined;
  // Started where the client starts it, not in mcpform's cwd (a relative path must fail as there).
  const dir = adapter?.serverCwd
    ? serverDirectory(adapter.name ?? 'the client', adapter.serverCwd, { home: undefined, ...world }, from.projectDir)
    : undefined;
  return {
    name,
    launch: {
      kind: 'stdio',
      command,
      args: Array.isArray(entry.args) ? entry.args.map(String) : [],
      env: launchEnv,
      cwd: dir ? entryDirectory(cwd, dir, world.platform) : cwd,
      windowsStart: adapter?.windowsStart,
    },
    launchDir: dir && cwd === undefined ? dir.said : undefined,
    shellHint: adapter && shellOnlyHint(command, launchEnv, world),
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
  world: SpecSource['world'],
  projectDir?: string,
): ProbeSpec {
  const test = checkOptionsOf(server);
  if (server.kind === 'url') {
    return {
      name: server.name,
      launch: { kind: 'http', url: server.url!, headers: { ...server.headers }, transport: server.transport },
      client: adapter.name,
      ...test,
      timeoutMs: server.test.timeoutMs,
    };
  }
  // The entry in the client's spelling (Goose's cmd/envs) as the common one the probe reads.
  const entry = adapter.toCanonical(adapter.render(server, pins, undefined, world.platform).entry, world.env);
  return specFromEntry(server.name, entry, test, { adapter, world, projectDir });
}

/**
 * An entry of a client's file (in the common spelling, `adapter.toCanonical`), checked as
 * that client starts it, with what mcp.yaml says about the server when it declares it: the
 * one way test --live, apply and doctor check what a client file holds. `limit` caps the
 * timeout and leaves out the test call (doctor: a diagnosis, not a test run).
 */
export function specOfEntry(
  name: string,
  entry: ClientEntry,
  declared: DesiredServer | undefined,
  from: SpecSource,
  limit?: { timeoutMs: number },
): ProbeSpec {
  const { call, ...opts } = checkOptionsOf(declared);
  if (!limit) return specFromEntry(name, entry, { ...opts, call }, from);
  const timeoutMs = Math.min(opts.timeoutMs ?? limit.timeoutMs, limit.timeoutMs);
  return specFromEntry(name, entry, { ...opts, timeoutMs }, from);
}

type CheckOptions = Partial<Omit<ProbeSpec, 'name' | 'launch'>>;

/** How mcp.yaml says to check a server (its `test:` options) and what to mask; nothing for an undeclared one. */
function checkOptionsOf(server: DesiredServer | undefined): CheckOptions {
  if (!server) return {};
  return {
    timeoutMs: server.test.timeoutMs,
    expectTools: server.test.expectTools,
    call: server.test.call,
    secrets: secretValues(server),
  };
}

/**
 * A command the client cannot find but the user's shell can (node_modules/.bin, nvm, asdf):
 * where the shell finds it and the three ways to make the client find it too.
 */
export function shellOnlyHint(
  command: string,
  clientEnv: Record<string, string>,
  world: Pick<World, 'env' | 'platform' | 'cwd'>,
  isFile?: (path: string) => boolean,
): string | undefined {
  if (!command || /[/\\]/.test(command) || whichCommand(command, clientEnv, world, isFile)) return undefined;
  const inShell = whichCommand(command, { PATH: pathOf(world.env) ?? '' }, world, isFile);
  if (!inShell) return undefined;
  return `'${command}' is ${inShell}, on your shell's PATH but not on the PATH the client gives servers; use that absolute path as the command, run the package with npx ("command": "npx", "args": ["-y", PACKAGE, ...]), or set env.PATH for this server in mcp.yaml`;
}

/** What to mask for a declared server: its interpolated values and secret-looking fields. */
export function secretValues(server: DesiredServer): string[] {
  return [...server.secrets];
}

/** The entry's env as the client passes it on: on Windows, `%VAR%` expanded where the client does that. */
function clientExpanded(
  env: Record<string, string>,
  adapter: SpecSource['adapter'],
  world: SpecSource['world'],
): Record<string, string> {
  if (world.platform !== 'win32' || adapter?.percentVariables !== 'env') return env;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, expandPercent(v, world.env)]));
}

function isStringMap(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}

/**
 * The entry with the client's own variable references (`${env:X}`, `{env:X}`: what
 * `secrets: reference` writes) replaced as the client replaces them, from the environment it
 * is started from (the user's shell); an unset variable becomes empty, as in those clients.
 */
export function expandReferences(
  entry: ClientEntry,
  ref: (name: string) => string,
  env: NodeJS.ProcessEnv,
): ClientEntry {
  const [prefix, suffix] = ref('\0').split('\0') as [string, string];
  const quote = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${quote(prefix)}([A-Za-z_][A-Za-z0-9_]*)${quote(suffix)}`, 'g');
  const expand = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, (_m, name: string) => env[name] ?? '');
    if (Array.isArray(v)) return v.map(expand);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]));
    return v;
  };
  return expand(entry) as ClientEntry;
}
