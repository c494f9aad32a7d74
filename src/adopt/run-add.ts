import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { findConfig } from '../config/find.js';
import { McpformError } from '../errors.js';
import { readGitPins } from '../lock/git-pins.js';
import { writeFileAtomic } from '../util/fs.js';
import type { World } from '../world.js';
import { addServer } from './add.js';

/** What `mcpform add` was asked: a command, a package, or a path (a script or a project). */
export interface AddRequest {
  /** mcp.yaml (`-f`); else MCPFORM_FILE, else found upward from the cwd. */
  file?: string;
  /** NAME, or PATH when neither `command` nor `package` is given. */
  target: string;
  command: readonly string[];
  package?: string;
  name?: string;
  force?: boolean;
  /** The environment to list the server in (-e); else MCPFORM_ENV, else the file's default. */
  environment?: string;
}

export interface AddResult {
  /** The mcp.yaml edited. */
  file: string;
  name: string;
  /** How the server is started, in words ("the given command", "the virtual environment ..."). */
  how: string;
  /** With `environments` in the file: the environment it is in (`default`: every server). */
  environment?: string;
  /** The environment is `default` without a list of its own: every server is in it. */
  everyServer: boolean;
  /** Variables copied from the script's .env into mcpform's env file (`envPath`). */
  copied: string[];
  envPath: string;
  gitignored: boolean;
  warnings: string[];
}

/**
 * `mcpform add`: builds the server's definition, inserts it into mcp.yaml (text edits, see
 * ./add.ts), copies a script's .env values into mcpform's env file, and checks the result
 * loads; if it does not, mcp.yaml is put back as it was.
 */
export async function runAdd(world: World, req: AddRequest): Promise<AddResult> {
  const file = await findConfig(req.file, world);
  const d = await definitionFor(req, world);
  const before = readFileSync(file, 'utf8');
  // The environment plan and test would use: -e, else MCPFORM_ENV, else the file's default.
  const wanted = req.environment ?? world.env.MCPFORM_ENV;
  const result = addServer(
    before,
    { name: d.name, definition: d.definition },
    { environment: wanted, force: req.force, file: relative(world.cwd, file) || file },
  );
  const twin = sameLaunch(before, d.definition);
  if (twin && twin !== d.name) d.warnings.push(`'${twin}' already starts the same server; two entries start it twice`);
  const env = await copyEnvValues(file, before, d.dotenv, world.env);
  await writeFileAtomic(file, result.text);
  try {
    const { readProjectWithImports } = await import('../config/load.js');
    await readProjectWithImports(file, { world, gitPins: readGitPins });
  } catch (err) {
    await writeFileAtomic(file, before); // leave mcp.yaml as it was
    throw err;
  }
  const envs = (parseYaml(result.text) as { environments?: Record<string, unknown> } | null)?.environments;
  const environment = envs && typeof envs === 'object' ? result.environment : undefined;
  return {
    file,
    name: d.name,
    how: d.how,
    environment,
    everyServer: environment === 'default' && !Object.hasOwn(envs!, 'default'),
    copied: env.copied,
    envPath: env.path,
    gitignored: env.ignored,
    warnings: d.warnings,
  };
}

async function definitionFor(
  req: AddRequest,
  world: World,
): Promise<{
  name: string;
  definition: Record<string, unknown>;
  how: string;
  dotenv: Record<string, string>;
  warnings: string[];
}> {
  const name = req.name ?? req.target;
  // `--package SPEC -- ARGS`: what follows `--` is the package's arguments, not a command.
  if (req.package) {
    const spec = req.package.startsWith('npm:') ? req.package : `npm:${req.package}`;
    const how = `the npm package ${spec.slice(4)} (pinned in mcp.lock on the next plan)`;
    const definition = { package: spec, ...(req.command.length ? { args: [...req.command] } : {}) };
    return { name, definition, how, dotenv: {}, warnings: [] };
  }
  if (req.command.length) {
    // No `args: []` for a bare command: the file says only what was given.
    const definition = { command: req.command[0], ...(req.command.length > 1 ? { args: req.command.slice(1) } : {}) };
    return { name, definition, how: 'the given command', dotenv: {}, warnings: [] };
  }
  const path = resolve(world.cwd, req.target);
  if (!existsSync(path)) {
    throw new McpformError('USAGE', `'${req.target}' is not a file or folder, and no command or --package was given`, {
      hint: `use one of: ${[
        'mcpform add NAME -- COMMAND ARGS...',
        'mcpform add NAME --package npm:PKG[@RANGE]',
        'mcpform add PATH/TO/server.py',
        'mcpform add PATH/TO/PROJECT',
      ].join(' | ')}`,
    });
  }
  const opts = { env: world.env, platform: world.platform };
  const { detectProject, withDependencyWarnings } = await import('./project-entry.js');
  let d;
  if (statSync(path).isDirectory()) d = detectProject(path, opts);
  else {
    const { detectLaunch } = await import('./interpreter.js');
    const launch = detectLaunch(path, opts);
    d = withDependencyWarnings(launch, launch.cwd);
  }
  const definition: Record<string, unknown> = {
    command: d.command,
    ...(d.args.length ? { args: d.args } : {}),
    cwd: d.cwd,
  };
  // Reference the script's .env variables; their values live in mcpform's env file.
  if (Object.keys(d.dotenv).length)
    definition.env = Object.fromEntries(Object.keys(d.dotenv).map((k) => [k, `\${${k}}`]));
  return { name: req.name ?? d.name, definition, how: d.how, dotenv: d.dotenv, warnings: d.warnings };
}

/** Missing values go into mcpform's env file (envFile, default .env), never into mcp.yaml; that file is git-ignored. */
async function copyEnvValues(
  file: string,
  yamlText: string,
  vars: Record<string, string>,
  processEnv: NodeJS.ProcessEnv,
): Promise<{ copied: string[]; path: string; ignored: boolean }> {
  const envFile = (parseYaml(yamlText) as { envFile?: string } | null)?.envFile ?? '.env';
  const path = resolve(dirname(file), envFile);
  if (Object.keys(vars).length === 0) return { copied: [], path, ignored: false };
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const existing = parseDotenv(text);
  const { appendEnv } = await import('./import.js');
  const missing = Object.keys(vars).filter((k) => !(k in existing) && processEnv[k] === undefined);
  if (missing.length === 0) return { copied: [], path, ignored: false };
  await writeFileAtomic(path, appendEnv(text, Object.fromEntries(missing.map((k) => [k, vars[k]!])), existing), {
    mode: 0o600,
  });
  chmodSync(path, 0o600);
  const { ignoreEnvFile } = await import('./project-gitignore.js');
  const ignored = await ignoreEnvFile(file, path);
  return { copied: missing, path, ignored };
}

/** The server in mcp.yaml already started by the same command and arguments (or package), if any. */
function sameLaunch(yamlText: string, definition: Record<string, unknown>): string | undefined {
  const servers = (parseYaml(yamlText) as { servers?: Record<string, Record<string, unknown>> } | null)?.servers;
  if (!servers || typeof servers !== 'object') return undefined;
  const key = (d: Record<string, unknown>) =>
    JSON.stringify([d.command ?? null, d.package ?? null, d.url ?? null, d.args ?? []]);
  const wanted = key(definition);
  return Object.keys(servers).find((n) => servers[n] && typeof servers[n] === 'object' && key(servers[n]) === wanted);
}
