import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { findConfig } from '../../config/find.js';
import { McpformError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import type { Context } from '../context.js';
import { print } from '../output.js';

export interface AddFlags {
  package?: string;
  name?: string;
  force?: boolean;
}

/** `add NAME -- COMMAND ARGS...`, `add NAME --package npm:PKG[@RANGE]`, `add PATH`. */
export default async function add(ctx: Context, target: string, command: string[], flags: AddFlags): Promise<void> {
  const file = await findConfig(ctx.opts.file, ctx.cwd);
  const { addServer } = await import('../../adopt/add.js');
  let name = flags.name ?? target;
  let definition: Record<string, unknown>;
  let how: string;
  let envVars: Record<string, string> = {};

  if (command.length) {
    definition = { command: command[0], args: command.slice(1) };
    how = 'the given command';
  } else if (flags.package) {
    const spec = flags.package.startsWith('npm:') ? flags.package : `npm:${flags.package}`;
    definition = { package: spec };
    how = `the npm package ${spec.slice(4)} (pinned in mcp.lock on the next plan)`;
  } else if (existsSync(resolve(ctx.cwd, target))) {
    const { detectLaunch } = await import('../../adopt/interpreter.js');
    const d = detectLaunch(resolve(ctx.cwd, target));
    name = flags.name ?? d.name;
    definition = { command: d.command, ...(d.args.length ? { args: d.args } : {}), cwd: d.cwd };
    envVars = d.dotenv;
    // Reference the script's .env variables; their values live in mcpform's env file.
    if (Object.keys(envVars).length)
      definition.env = Object.fromEntries(Object.keys(envVars).map((k) => [k, `\${${k}}`]));
    how = d.how;
  } else {
    throw new McpformError('USAGE', `'${target}' is not a file, and no command or --package was given`, {
      hint: 'use one of: mcpform add NAME -- COMMAND ARGS... | mcpform add NAME --package npm:PKG[@RANGE] | mcpform add PATH/TO/server.py',
    });
  }

  const before = readFileSync(file, 'utf8');
  const result = addServer(before, { name, definition }, { environment: ctx.environment, force: flags.force });
  const copied = await copyEnvValues(file, before, envVars);
  await writeFileAtomic(file, result.text);
  try {
    const { readProject } = await import('../../config/load.js');
    readProject(file, ctx.cwd);
  } catch (err) {
    await writeFileAtomic(file, before); // leave mcp.yaml as it was
    throw err;
  }
  print(
    `Added server '${name}' to ${file} (${how})${result.environment ? `, in environment '${result.environment}'` : ''}.`,
  );
  if (copied.length)
    print(
      `Copied ${copied.join(', ')} from the script's .env into ${join(dirname(file), '.env')} (mode 0600); mcp.yaml references them as \${VAR}.`,
    );
  if (result.note) print(`Note: ${result.note}.`);
  print("Next: 'mcpform plan' to see the change, 'mcpform apply' to make it.");
}

/** Missing values go into mcpform's env file (envFile, default .env), never into mcp.yaml. */
async function copyEnvValues(file: string, yamlText: string, vars: Record<string, string>): Promise<string[]> {
  if (Object.keys(vars).length === 0) return [];
  const envFile = (parseYaml(yamlText) as { envFile?: string } | null)?.envFile ?? '.env';
  const path = resolve(dirname(file), envFile);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const existing = parseDotenv(text);
  const { appendEnv } = await import('../../adopt/import.js');
  const missing = Object.keys(vars).filter((k) => !(k in existing) && process.env[k] === undefined);
  if (missing.length === 0) return [];
  await writeFileAtomic(path, appendEnv(text, Object.fromEntries(missing.map((k) => [k, vars[k]!])), existing), {
    mode: 0o600,
  });
  chmodSync(path, 0o600);
  return missing;
}
