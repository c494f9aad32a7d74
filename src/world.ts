/**
 * The World: everything mcpform knows about the machine it runs on. It is read from the
 * process in one place (src/cli/world.ts) and passed down as one required value, so a core
 * function never reads `process.env`, `process.platform`, `process.cwd()`, `os.homedir()` or
 * the clock itself, and a test can run any of them in-process for another home, OS or time.
 * `npm run lint` enforces it (eslint.config.js, "the World rule").
 */
import { posix, win32, type PlatformPath } from 'node:path';
import { McpformError } from './errors.js';

export interface World {
  /** The process's environment variables (never mutated below src/cli). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The OS whose rules apply: paths, PATH lookup, config locations, how clients start servers. */
  readonly platform: NodeJS.Platform;
  /** The directory mcpform was started in. */
  readonly cwd: string;
  /** The user's home: HOME (USERPROFILE first on Windows), else the passwd entry; undefined when neither exists. */
  readonly home: string | undefined;
  /** The clock. */
  readonly now: () => Date;
}

/** The path rules of the World's OS (`path.win32` on Windows), never the host's. */
export function pathsOf(world: Pick<World, 'platform'>): PlatformPath {
  return world.platform === 'win32' ? win32 : posix;
}

/**
 * The home an environment names: USERPROFILE first on Windows (HOME there is often an MSYS
 * or Cygwin home the Windows clients never look in), HOME first elsewhere.
 */
export function homeFromEnv(env: World['env'], platform: NodeJS.Platform): string | undefined {
  return (platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME || env.USERPROFILE) || undefined;
}

/** The World's home, for what cannot do without one (client files, the state dir). */
export function requireHome(world: Pick<World, 'home'>): string {
  if (world.home) return world.home;
  throw new McpformError('NO_HOME', 'no home directory: set HOME', {
    hint: 'mcpform finds client config files and its state dir from the home folder; HOME is unset and the account has none',
  });
}
