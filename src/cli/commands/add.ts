import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { findConfig } from '../../config/find.js';
import { McpformError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import type { Context } from '../context.js';
import { print, printErr } from '../output.js';

export interface AddFlags {
  package?: string;
  name?: string;
  force?: boolean;
}

/** `add NAME -- COMMAND ARGS...`, `add NAME --package npm:PKG[@RANGE]`, `add PATH` (a script or a project folder). */
export default async function add(ctx: Context, target: string, command: string[], flags: AddFlags): Promise<void> {
  const file = await findConfig(ctx.opts.file, ctx.cwd);
  const { addServer } = await import('../../adopt/add.js');
  let name = flags.name ?? target;
  let definition: Record<string, unknown>;
  let how: string;
  let envVars: Record<string, string> = {};
  let warnings: string[] = [];

  if (command.length) {
    // No `args: []` for a bare command: the file says only what was given.
    definition = { command: command[0], ...(command.length > 1 ? { args: command.slice(1) } : {}) };
    how = 'the given command';
  } else if (flags.package) {
    const spec = flags.package.startsWith('npm:') ? flags.package : `npm:${flags.package}`;
    definition = { package: spec };
    how = `the npm package ${spec.slice(4)} (pinned in mcp.lock on the next plan)`;
  } else if (existsSync(resolve(ctx.cwd, target))) {
    const path = resolve(ctx.cwd, target);
    const opts = { env: ctx.processEnv, platform: ctx.platform };
    const { detectProject, withDependencyWarnings } = await import('../../adopt/project-entry.js');
    let d;
    if (statSync(path).isDirectory()) d = detectProject(path, opts);
    else {
      const { detectLaunch } = await import('../../adopt/interpreter.js');
      const launch = detectLaunch(path, opts);
      d = withDependencyWarnings(launch, launch.cwd);
    }
    name = flags.name ?? d.name;
    definition = { command: d.command, ...(d.args.length ? { args: d.args } : {}), cwd: d.cwd };
    envVars = d.dotenv;
    warnings = d.warnings;
    // Reference the script's .env variables; their values live in mcpform's env file.
    if (Object.keys(envVars).length)
      definition.env = Object.fromEntries(Object.keys(envVars).map((k) => [k, `\${${k}}`]));
    how = d.how;
  } else {
    throw new McpformError('USAGE', `'${target}' is not a file or folder, and no command or --package was given`, {
      hint: 'use one of: mcpform add NAME -- COMMAND ARGS... | mcpform add NAME --package npm:PKG[@RANGE] | mcpform add PATH/TO/server.py | mcpform add PATH/TO/PROJECT',
    });
  }

  const before = readFileSync(file, 'utf8');
  const result = addServer(before, { name, definition }, { environment: ctx.environment, force: flags.force });
  const env = await copyEnvValues(file, before, envVars, ctx.processEnv);
  await writeFileAtomic(file, result.text);
  try {
    const { readProjectWithImports } = await import('../../config/load.js');
    await readProjectWithImports(file, { displayBase: ctx.cwd, env: ctx.processEnv });
  } catch (err) {
    await writeFileAtomic(file, before); // leave mcp.yaml as it was
    throw err;
  }
  const hasEnvironments = /^environments\s*:/m.test(result.text);
  const where =
    hasEnvironments && result.environment
      ? `, in environment '${result.environment}'${result.environment === 'default' && !/^\s+default\s*:/m.test(result.text) ? ' (every server)' : ''}`
      : '';
  print(`Added server '${name}' to ${file} (${how})${where}.`);
  if (env.copied.length)
    print(
      `Copied ${env.copied.join(', ')} from the script's .env into ${relative(ctx.cwd, env.path) || env.path} (mode 0600${env.ignored ? ', added to .gitignore' : ''}); mcp.yaml references them as \${VAR}.`,
    );
  for (const w of warnings) printErr(`Warning: ${w}.`);
  print("Next: 'mcpform plan' to see the change, 'mcpform apply' to make it.");
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
  const { appendEnv } = await import('../../adopt/import.js');
  const missing = Object.keys(vars).filter((k) => !(k in existing) && processEnv[k] === undefined);
  if (missing.length === 0) return { copied: [], path, ignored: false };
  await writeFileAtomic(path, appendEnv(text, Object.fromEntries(missing.map((k) => [k, vars[k]!])), existing), {
    mode: 0o600,
  });
  chmodSync(path, 0o600);
  const { ignoreEnvFile } = await import('../../adopt/project-gitignore.js');
  const ignored = await ignoreEnvFile(file, path);
  return { copied: missing, path, ignored };
}
