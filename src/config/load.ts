import { parse as parseDotenv } from 'dotenv';
import { dirname, resolve } from 'node:path';
import { invalidConfig, McpformError, type Problem } from '../errors.js';
import { readRegularFile } from '../util/fs.js';
import { resolveDeclaredCommand, resolveDeclaredCwd } from '../util/paths.js';
import { SECRET_KEY, secretsOfEntry } from '../util/mask.js';
import { escapePointer } from '../util/pointer.js';
import { resolveEnvironment } from './environments.js';
import { interpolate, Secret, type Lookup, type TemplatePart } from './interpolate.js';
import { isPlainObject, mergePatch } from './merge-patch.js';
import { absolute, checkServerShape, hashSources, reaches, readProject, type ProjectFiles } from './project.js';
import { checkMergedServer } from './schema.js';
import { checkServerValues, layerLocator, mergeLayers, type Layers } from './server-values.js';
import { configError, locate, type Located, type PathSegment, type SourceFile } from './source.js';
import { readTargets, type ClientCatalog } from './targets.js';
import type { GitHost, GitLoadOptions } from './git/host.js';
import { GitImportsPending, type GitPinsReader, type GitReader } from './git/reader.js';
import type { World } from '../world.js';
import {
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_TEST_TIMEOUT_MS,
  type DesiredServer,
  type DesiredState,
  type ReconcileSettings,
} from './types.js';

/**
 * loadDesired for a project that may import profiles from git: readProject asks for git files
 * it does not have (GitImportsPending); they are pinned and fetched, and the project read
 * again. Without git imports this is loadDesired, and the git code is never loaded.
 */
export async function loadDesiredWithImports(file: string, opts: LoadOptions & ImportOptions): Promise<DesiredState> {
  return withGitImports(file, opts, (git) => desiredFromProject(readProject(file, opts.world, git), opts));
}

/** validateProject, for a project that may import profiles from git. */
export async function validateProjectWithImports(
  file: string,
  opts: LoadOptions & ImportOptions,
): Promise<{ environments: string[]; servers: number }> {
  return withGitImports(file, opts, (git) => validateProject(file, opts, git));
}

/** readProject, for a project that may import profiles from git. */
export async function readProjectWithImports(file: string, opts: ReadOptions & ImportOptions): Promise<ProjectFiles> {
  return withGitImports(file, opts, (git) => readProject(file, opts.world, git));
}

async function withGitImports<T>(
  file: string,
  opts: ReadOptions & ImportOptions,
  run: (git?: GitReader) => T,
): Promise<T> {
  let host: GitHost | undefined;
  // Each pass can only discover files imported by files it read: the depth of the import graph.
  for (;;) {
    try {
      return run(host);
    } catch (err) {
      if (!(err instanceof GitImportsPending)) throw err;
      host ??= (await import('./git/host.js')).createGitHost(await opts.gitPins(file), opts.git ?? {}, opts.world);
      await host.prepare(err.pending);
    }
  }
}

/** What reading the files needs (readProject). */
export interface ReadOptions {
  /**
   * Its env gives ${VAR} (and MCPFORM_ENV); file names are shown relative to its cwd; `~` is
   * its home; git imports are cached in its cache dir.
   */
  world: World;
  /** How git imports are pinned and fetched (loadDesiredWithImports). */
  git?: GitLoadOptions;
}

export interface LoadOptions extends ReadOptions {
  /** Environment name from -e / MCPFORM_ENV; else defaultEnvironment; else `default`. */
  environment?: string;
  /** The clients `targets:` is checked against: targets/index.ts's clientCatalog. */
  clients: ClientCatalog;
}

/** For a project that may import profiles from git. */
export interface ImportOptions {
  /** mcp.lock's pins, read only when the project has git imports: lock/git-pins.ts's readGitPins. */
  gitPins: GitPinsReader;
}

/** Reads mcp.yaml and its imports, checks them, and returns one frozen DesiredState. */
export function loadDesired(file: string, opts: LoadOptions): DesiredState {
  return desiredFromProject(readProject(file, opts.world), opts);
}

/**
 * For doctor, which must diagnose every server it can: the servers that load, and the
 * problems of those that do not (an unset variable) instead of one error for all.
 * Problems that leave no environment to speak of (an unknown environment) still throw.
 */
export async function loadDesiredPartial(
  file: string,
  opts: LoadOptions & ImportOptions,
): Promise<{ state: DesiredState; problems: Problem[] }> {
  return withGitImports(file, opts, (git) => {
    const problems: Problem[] = [];
    const state = desiredFromProject(readProject(file, opts.world, git), opts, problems);
    return { state, problems };
  });
}

function desiredFromProject(project: ProjectFiles, opts: LoadOptions, partial?: Problem[]): DesiredState {
  const processEnv = opts.world.env;
  const problems: Problem[] = [];

  const envNames = [...project.environments.keys()];
  const fromFile = opts.environment === undefined && processEnv.MCPFORM_ENV === undefined;
  const requested =
    opts.environment ??
    processEnv.MCPFORM_ENV ??
    (project.rootValue.defaultEnvironment as string | undefined) ??
    'default';
  // `default` is every server unless environments defines it (config/environments.ts).
  if (project.environments.size > 0 && !project.environments.has(requested) && requested !== 'default') {
    const message = `unknown environment '${requested}'; ${project.root.path} defines: ${envNames.join(', ')}`;
    // A mistyped defaultEnvironment is a problem in the file: point at it.
    const where =
      fromFile && project.rootValue.defaultEnvironment !== undefined
        ? [configError(project.root, ['defaultEnvironment'], `defaultEnvironment: ${message}`)]
        : [];
    throw new McpformError('UNKNOWN_ENVIRONMENT', message, {
      problems: where,
      hint: 'pick one with --env NAME, MCPFORM_ENV, or defaultEnvironment in mcp.yaml',
    });
  }
  if (project.environments.size === 0 && requested !== 'default') {
    const message = `unknown environment '${requested}'; ${project.root.path} has no 'environments', so the only one is 'default'`;
    throw new McpformError('UNKNOWN_ENVIRONMENT', message, {
      problems: fromFile ? [configError(project.root, ['defaultEnvironment'], `defaultEnvironment: ${message}`)] : [],
      hint: fromFile
        ? "remove defaultEnvironment, or declare that environment under 'environments'"
        : "leave out --env / MCPFORM_ENV, or declare that environment under 'environments'",
    });
  }

  const resolved = resolveEnvironment(requested, project.environments, project.servers, reachIn(project), problems);
  const envFile = resolve(dirname(absolute(project.root)), (project.rootValue.envFile as string | undefined) ?? '.env');
  const lookup = makeLookup(processEnv, readEnvFile(envFile, project, problems));

  const servers: DesiredServer[] = [];
  for (const name of resolved?.servers ?? []) {
    const def = project.servers.get(name);
    if (!def) continue; // reported by resolveEnvironment
    const overrides = resolved?.overrides.get(name) ?? [];
    const before = problems.length;
    checkOverridden(name, [def, ...overrides], problems);
    if (problems.length > before) continue;
    let value = interpolateTree(def, lookup, problems, name);
    for (const ov of overrides) value = mergePatch(value, interpolateTree(ov, lookup, problems, name));
    // What the variables brought in: a NUL or an escape sequence from .env is refused too.
    problems.push(...checkServerValues(name, value as Record<string, unknown>, layerLocator([def, ...overrides])));
    if (problems.length > before) continue;
    // A server from git has no folder on disk: relative paths an override adds are the root's.
    const base = def.source.git ? dirname(absolute(project.root)) : undefined;
    servers.push(buildServer(name, value as Record<string, unknown>, def, opts.world, base));
  }
  const targets = readTargets(project, opts.clients, problems, opts.world);
  if (partial) partial.push(...problems.splice(0));
  if (problems.length) throw invalidConfig(problems);

  return deepFreeze({
    file: absolute(project.root),
    environment: requested,
    environments: envNames.length ? envNames : ['default'],
    servers,
    declaredServers: [...project.servers.keys()],
    targets,
    sources: project.files.filter((f) => !f.git).map(absolute),
    sourceHash: hashSources(project.files),
    envFile,
    ...(project.gitImports.length ? { gitImports: project.gitImports } : {}),
    ...reconcileSettings(project.rootValue.reconcile),
  });
}

/** The root's `reconcile:` block, already schema-checked; defaults filled in. */
function reconcileSettings(raw: unknown): { reconcile?: ReconcileSettings } {
  if (!isPlainObject(raw)) return {};
  const r = raw as { selfHeal?: boolean; interval?: string | number; autoApply?: boolean };
  return {
    reconcile: {
      selfHeal: r.selfHeal === true,
      intervalMs: r.interval === undefined ? DEFAULT_RECONCILE_INTERVAL_MS : parseDuration(r.interval),
      autoApply: r.autoApply === true,
    },
  };
}

/** validate: every file and every environment, all problems at once. */
export function validateProject(
  file: string,
  opts: LoadOptions,
  git?: GitReader,
): { environments: string[]; servers: number } {
  const problems: Problem[] = [];
  const project = readProject(file, opts.world, git, problems);
  const names = project.environments.size ? [...project.environments.keys()] : ['default'];
  for (const name of names) {
    const resolved = resolveEnvironment(name, project.environments, project.servers, reachIn(project), problems);
    for (const [server, overrides] of resolved?.overrides ?? []) {
      const def = project.servers.get(server);
      if (def) checkOverridden(server, [def, ...overrides], problems);
    }
  }
  // Variables and merged overrides are checked for the environment that would be used, once
  // the definitions themselves are sound (a value of the wrong type cannot be interpolated).
  if (problems.length === 0) desiredFromProject(project, opts, problems);
  if (problems.length) throw invalidConfig(inFileOrder(dedupe(problems)));
  return { environments: names, servers: project.servers.size };
}

/**
 * A server with its environment's overrides merged in, as written: the full server schema
 * (an override is only "some map" to the file's schema), exactly one kind, clean values.
 */
function checkOverridden(name: string, layers: Layers, problems: Problem[]): void {
  if (layers.length < 2) return; // a definition alone was checked with its file
  const merged = mergeLayers(layers);
  const where = layerLocator(layers);
  const found = checkMergedServer(name, merged, where);
  if (found.length === 0 && isPlainObject(merged)) {
    const last = layers[layers.length - 1]!;
    checkServerShape(name, merged, last.source, last.path, found);
    found.push(...checkServerValues(name, merged, where));
  }
  problems.push(...found);
}

const reachIn = (project: ProjectFiles) => (from: SourceFile, file: SourceFile) => reaches(project, from, file);

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.location?.file}:${p.location?.line}:${p.location?.col}:${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Problems as the file reads, top to bottom (a stable sort: the same place keeps its order). */
function inFileOrder(problems: Problem[]): Problem[] {
  const at = (p: Problem) => [p.location?.file ?? '', p.location?.line ?? 0, p.location?.col ?? 0] as const;
  return [...problems].sort((a, b) => {
    const [fa, la, ca] = at(a);
    const [fb, lb, cb] = at(b);
    return fa.localeCompare(fb) || la - lb || ca - cb;
  });
}

function makeLookup(processEnv: NodeJS.ProcessEnv, fileVars: Record<string, string>): Lookup {
  return (name) => processEnv[name] ?? fileVars[name];
}

// A dotenv file holds a few variables; anything bigger is the wrong file.
const MAX_ENV_FILE_BYTES = 1024 * 1024;

/** The env file's variables; a fresh clone has no .env yet (missing variables are reported one by one). */
function readEnvFile(path: string, project: ProjectFiles, problems: Problem[]): Record<string, string> {
  const read = readRegularFile(path, MAX_ENV_FILE_BYTES);
  if (read.ok) return parseDotenv(read.data.toString('utf8'));
  if (read.reason === 'missing') return {};
  const why =
    read.reason === 'not-a-file'
      ? `is ${read.kind}, not a regular file`
      : read.reason === 'directory'
        ? 'is a directory, not a file'
        : read.reason === 'too-big'
          ? 'is over 1 MiB'
          : `cannot be read (${read.code ?? 'unknown error'})`;
  const message = `the env file ${path} ${why}; point envFile at a dotenv file (KEY=value lines)`;
  // Point at envFile when mcp.yaml names it; the default .env is nobody's line.
  problems.push(
    project.rootValue.envFile === undefined
      ? { message, location: { file: path, line: 1, col: 1 } }
      : configError(project.root, ['envFile'], message),
  );
  return {};
}

/** Interpolates every string of a definition (not its test block), with located errors. */
function interpolateTree(def: Located<unknown>, lookup: Lookup, problems: Problem[], server: string): unknown {
  const walk = (v: unknown, path: PathSegment[]): unknown => {
    if (typeof v === 'string') {
      const r = interpolate(v, lookup);
      const field = path.slice(def.path.length).join('.');
      for (const name of r.missing) {
        problems.push(
          configError(
            def.source,
            path,
            `server '${server}' field '${field}': variable \${${name}} is not set; set it in the environment or in the env file (.env), or give a default with \${${name}:-default}`,
          ),
        );
      }
      for (const bad of r.invalid)
        problems.push(
          configError(
            def.source,
            path,
            `server '${server}' field '${field}': invalid reference '${bad}'; use \${NAME} or \${NAME:-default}`,
          ),
        );
      return r.value;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) out[k] = k === 'test' || k === 'description' ? v[k] : walk(v[k], [...path, k]);
      return out;
    }
    return v;
  };
  return walk(def.value, def.path);
}

function buildServer(
  name: string,
  value: Record<string, unknown>,
  def: Located<unknown>,
  world: Pick<World, 'home' | 'platform'>,
  base?: string,
): DesiredServer {
  const sensitive = new Set<string>();
  const secrets = new Set<string>();
  const references: Record<string, readonly TemplatePart[]> = {};
  const plain = (v: unknown, pointer: string): string => {
    if (v instanceof Secret) {
      references[pointer] = v.template;
      // What came from the environment is sensitive; a value made only of mcp.yaml's own text
      // (each variable unset, its `:-` default used, as `${FS_ROOT:-/tmp}`) is shown as it is.
      if (v.template.every((p) => typeof p === 'string' || p.defaulted)) return v.value;
      sensitive.add(pointer);
      for (const p of v.parts) secrets.add(p);
      return v.value;
    }
    return String(v);
  };
  const strMap = (m: unknown, field: string): Record<string, string> => {
    const out: Record<string, string> = {};
    if (!isPlainObject(m)) return out;
    for (const k of Object.keys(m)) {
      if (m[k] === undefined || m[k] === null) continue;
      const ptr = `/${field}/${escapePointer(k)}`;
      out[k] = plain(m[k], ptr);
      if (SECRET_KEY.test(k)) {
        sensitive.add(ptr);
        secrets.add(out[k]);
      }
    }
    return out;
  };
  const baseDir = base ?? dirname(absolute(def.source));
  const kind = value.command !== undefined ? 'command' : value.package !== undefined ? 'package' : 'url';
  // `verbatim: true`: command and cwd go into the client file exactly as written (an import
  // of a relative or foreign path must not turn into another path).
  const verbatim = value.verbatim === true;
  let command = value.command === undefined ? undefined : plain(value.command, '/command');
  if (command && !verbatim) command = resolveDeclaredCommand(baseDir, command);
  let cwd = value.cwd === undefined ? undefined : plain(value.cwd, '/cwd');
  if (cwd !== undefined && !verbatim) cwd = resolveDeclaredCwd(baseDir, cwd, world);
  const args = Array.isArray(value.args) ? value.args.map((a, i) => plain(a, `/args/${i}`)) : [];
  const test = isPlainObject(value.test) ? value.test : {};
  const env = strMap(value.env, 'env');
  const headers = strMap(value.headers, 'headers');
  const url = value.url === undefined ? undefined : plain(value.url, '/url');
  // Secrets also hide in plain text: `--token X`, `https://u:PW@host`, `Bearer X`.
  for (const s of secretsOfEntry({ args, env, headers, url })) secrets.add(s);
  return {
    name,
    kind,
    description: typeof value.description === 'string' ? value.description : undefined,
    command,
    package: value.package === undefined ? undefined : parsePackage(plain(value.package, '/package')),
    url,
    transport: value.transport as 'http' | 'sse' | undefined,
    args,
    env,
    headers,
    cwd,
    test: {
      timeoutMs: test.timeout === undefined ? DEFAULT_TEST_TIMEOUT_MS : parseDuration(test.timeout as string | number),
      expectTools: Array.isArray(test.expectTools) ? test.expectTools.map(String) : [],
      skip: test.skip === true,
      call: isPlainObject(test.call)
        ? {
            tool: String(test.call.tool),
            arguments: isPlainObject(test.call.arguments) ? test.call.arguments : {},
            expect: test.call.expect as string | undefined,
          }
        : undefined,
    },
    sensitive,
    references,
    secrets: [...secrets].filter((s) => s !== ''),
    origin: locate(def.source, def.path, true),
  };
}

/** `npm:@scope/name@^1.2` -> { name: '@scope/name', range: '^1.2' }; no range means `latest`. */
export function parsePackage(spec: string): { name: string; range: string } {
  const body = spec.replace(/^npm:/, '');
  const at = body.indexOf('@', 1);
  return at === -1
    ? { name: body, range: 'latest' }
    : { name: body.slice(0, at), range: body.slice(at + 1) || 'latest' };
}

/** `30s`, `1m`, `1500ms`, or a number of seconds, in milliseconds. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v * 1000;
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(v)!;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v) && !(v instanceof Set)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
