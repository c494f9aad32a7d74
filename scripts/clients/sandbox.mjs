// A throw-away machine for one client: its own HOME, XDG dirs, mcpform state dir and project
// folder, and an environment built from scratch, so no client reads (or writes) the real
// home's config through CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME, CLINE_DIR, ...
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The binary package.json names, as users get it (built by npm run build). */
export const MCPFORM = join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.mcpform);

/** Only what a shell would give a program, pointed into the sandbox. */
function sandboxEnv(dir, home) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    CI: '1',
    TMPDIR: join(dir, 'tmp'),
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    MCPFORM_STATE_DIR: join(dir, 'mcpform-state'),
  };
}

export function makeSandbox(root, name, extraEnv = () => ({})) {
  const dir = join(root, name);
  const home = join(dir, 'home');
  const project = join(dir, 'project');
  for (const d of [home, project, join(dir, 'tmp')]) mkdirSync(d, { recursive: true });
  const env = sandboxEnv(dir, home);
  Object.assign(env, extraEnv({ dir, home, project }));
  const log = [];
  /** Runs a program in the project folder with the sandbox env; never throws. */
  const run = (cmd, args, { timeout = 120_000, cwd = project } = {}) => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = {
      code: r.status ?? -1,
      stdout: r.stdout ?? '',
      stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : ''),
    };
    log.push(`$ ${[cmd, ...args].join(' ')}  (in ${cwd}, exit ${result.code})\n${result.stdout}${result.stderr}`);
    return result;
  };
  const mcpform = (args, opts) => run(process.execPath, [MCPFORM, ...args], opts);
  return { dir, home, project, env, run, mcpform, log };
}
