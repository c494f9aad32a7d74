/** How a client is started, which decides the environment its stdio servers inherit. */
export type LaunchKind = 'gui' | 'cli';

/**
 * The variables the MCP SDK's stdio transport passes on to a server (its
 * DEFAULT_INHERITED_ENV_VARS), per OS. A GUI client built on the SDK gives a server these,
 * taken from its own (desktop session) environment, plus the entry's `env`.
 */
const INHERITED: Record<'posix' | 'win32', readonly string[]> = {
  posix: ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'],
  win32: [
    'APPDATA',
    'HOMEDRIVE',
    'HOMEPATH',
    'LOCALAPPDATA',
    'PATH',
    'PROCESSOR_ARCHITECTURE',
    'SYSTEMDRIVE',
    'SYSTEMROOT',
    'TEMP',
    'USERNAME',
    'USERPROFILE',
    'PROGRAMFILES',
  ],
};

/**
 * The PATH an app started from the dock, the start menu or a desktop launcher gets: the
 * session's, without what a shell's rc files add (nvm, asdf, pyenv shims, ~/.cargo/bin).
 * macOS: launchd's default for user agents. Linux: the systemd/PAM default a desktop session
 * starts with. Windows: the user + system PATH from the registry, which is what the shell has
 * too (nothing on Windows adds to it per shell, except npm for `npm run`/npx).
 * MCPFORM_GUI_PATH overrides it for a machine whose session differs (`launchctl config user path`).
 */
export function guiPath(processEnv: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (processEnv.MCPFORM_GUI_PATH) return processEnv.MCPFORM_GUI_PATH;
  if (platform === 'darwin') return '/usr/bin:/bin:/usr/sbin:/sbin';
  if (platform === 'win32') return withoutNpmAdditions(pathOf(processEnv) ?? '', processEnv, ';');
  return '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
}

/**
 * The environment a client of this launch kind gives its stdio servers, before the entry's
 * own `env`:
 * - `gui`: the SDK's inherited variables (HOME, USER, ...) with the desktop session's PATH;
 * - `cli`: the environment of the shell the client is started from, as it is — except what
 *   npm adds while running mcpform itself through `npx`/`npm run` (node_modules/.bin on PATH,
 *   npm_* variables): the user's shell does not have those when it starts the client.
 * Shell functions (`() { ...`, exported by bash) are never passed on.
 */
export function launchEnvironment(
  kind: LaunchKind,
  processEnv: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): Record<string, string> {
  const env: Record<string, string> = {};
  const usable = (v: string | undefined): v is string => v !== undefined && !v.startsWith('()');
  if (kind === 'gui') {
    for (const key of INHERITED[platform === 'win32' ? 'win32' : 'posix']) {
      const value = key === 'PATH' ? undefined : valueOf(processEnv, key, platform);
      if (usable(value)) env[key] = value;
    }
    env.PATH = guiPath(processEnv, platform);
    return env;
  }
  for (const [key, value] of Object.entries(processEnv)) {
    if (!usable(value) || /^npm_/i.test(key) || key === 'INIT_CWD' || key.startsWith('MCPFORM_')) continue;
    env[key] = value;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  if (pathKey) env[pathKey] = withoutNpmAdditions(env[pathKey]!, processEnv, platform === 'win32' ? ';' : ':');
  return env;
}

/** The PATH in an environment, whatever its case (Windows has `Path`). */
export function pathOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.PATH !== undefined) return env.PATH;
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  return key === undefined ? undefined : env[key];
}

function valueOf(env: NodeJS.ProcessEnv, key: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[key];
  const found = Object.keys(env).find((k) => k.toUpperCase() === key);
  return found === undefined ? undefined : env[found];
}

/**
 * npm prepends `node_modules/.bin` of the project and its parents (and node-gyp's bin)
 * while it runs a script or npx; a client started from the user's shell never sees them.
 * Only stripped when npm is the one that ran us (npm_execpath), so a PATH the user set up
 * with ./node_modules/.bin on purpose is kept.
 */
function withoutNpmAdditions(path: string, processEnv: NodeJS.ProcessEnv, sep: string): string {
  if (!processEnv.npm_execpath && !processEnv.npm_lifecycle_event) return path;
  return path
    .split(sep)
    .filter((dir) => !/[/\\]node_modules[/\\]\.bin[/\\]?$/.test(dir) && !/[/\\]node-gyp-bin[/\\]?$/.test(dir))
    .join(sep);
}
