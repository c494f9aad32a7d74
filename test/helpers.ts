import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { homeFromEnv, type World } from '../src/world.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli', 'bin.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

const cleanups: string[] = [];
afterEach(() => {
  while (cleanups.length) rmSync(cleanups.pop()!, { recursive: true, force: true });
});

export interface Sandbox {
  dir: string;
  home: string;
  stateDir: string;
  claudeConfig: string;
  env: NodeJS.ProcessEnv;
  /** The sandbox as a World: its env (the same object, so later edits show), home, the project as cwd. */
  world: World;
  write(rel: string, content: string): string;
  path(rel: string): string;
}

/**
 * A temp project with its own HOME, XDG dirs and state dir, so no test can touch the real
 * ones. Files given inline are written into it (changesets' testdir idea).
 */
export function sandbox(files: Record<string, string> = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'mcpform-test-'));
  cleanups.push(dir);
  const home = join(dir, 'home');
  const stateDir = join(dir, 'state');
  mkdirSync(home, { recursive: true });
  const claudeConfig = join(home, '.config', 'Claude', 'claude_desktop_config.json');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    MCPFORM_STATE_DIR: stateDir,
    MCPFORM_CLAUDE_DESKTOP_CONFIG: claudeConfig,
    MCPFORM_CURSOR_CONFIG: join(home, '.cursor', 'mcp.json'),
    MCPFORM_CLAUDE_CODE_CONFIG: join(home, '.claude.json'),
    NO_COLOR: '1',
    // Anything that would resolve a package must fail fast here, never reach a public registry
    // (lock tests point npm at their own loopback registry).
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? dir, '.npm'),
  };
  const sb: Sandbox = {
    dir,
    home,
    stateDir,
    claudeConfig,
    env,
    world: testWorld({ env, home, cwd: join(dir, 'project') }),
    path: (rel) => join(dir, 'project', rel),
    write(rel, content) {
      const p = sb.path(rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
  };
  mkdirSync(join(dir, 'project'), { recursive: true });
  for (const [rel, content] of Object.entries(files)) sb.write(rel, content);
  return sb;
}

/**
 * A World for an in-process test: the host's OS (its files, a sandbox's, follow the host's path
 * rules: npm run test:windows runs these tests on Windows), no variables, the test runner's cwd
 * and the real clock, unless given. A test of another OS's rules sets `platform`. The home
 * follows the env's HOME/USERPROFILE as the CLI's would, and is never the real one: without
 * either there is none (or pass `home`).
 */
export function testWorld(over: Partial<World> = {}): World {
  const env = over.env ?? {};
  const platform = over.platform ?? process.platform;
  const home = 'home' in over ? over.home : homeFromEnv(env, platform);
  return { env, platform, home, cwd: over.cwd ?? process.cwd(), now: over.now ?? (() => new Date()) };
}

/**
 * The test runner's own variables (its PATH, to find node) as a World, for probes that start
 * real servers without a client; no home, so nothing can reach the real one.
 */
export function runnerWorld(env: NodeJS.ProcessEnv = process.env): World {
  return testWorld({ env, home: undefined });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary as a user would: its own process, the sandbox's env and cwd. */
export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      // No env given: a sandbox's, so not even the compile cache (cli/bin.ts) lands in the real HOME.
      env: opts.env ?? sandbox().env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Waits until `fn` gives something truthy (a condition, not a fixed sleep), and returns it. */
export async function until<T>(what: string, fn: () => T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process is still running (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
