import { vi } from 'vitest';
import { main, type LoadCommand } from '../../src/cli/main.js';
import { sink } from '../../src/cli/output.js';
import type { CliResult } from '../helpers.js';

let running = false;
const load: LoadCommand = (name) => import(`../../src/cli/commands/${name}.ts`) as ReturnType<LoadCommand>;

/**
 * `mcpform ARGS` in this process, as the binary runs it (the same registry, context and
 * one catch) but without starting Node: the env and cwd are the run's only, then put back.
 * For behaviour that needs no process of its own; apply, crash, signals and watch do.
 * One at a time: the env and cwd are the process's.
 */
export async function runInProcess(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  if (running) throw new Error('runInProcess: one run at a time (it sets process.env and the cwd)');
  running = true;
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(sink, 'out').mockImplementation((text: string) => void (stdout += text));
  const err = vi.spyOn(sink, 'err').mockImplementation((text: string) => void (stderr += text));
  const env = process.env;
  const cwd = process.cwd();
  try {
    if (opts.env) process.env = { ...opts.env };
    if (opts.cwd) process.chdir(opts.cwd);
    const code = await main([process.execPath, 'mcpform', ...args], load);
    return { code, signal: null, stdout, stderr };
  } finally {
    process.env = env;
    process.chdir(cwd);
    out.mockRestore();
    err.mockRestore();
    running = false;
  }
}
