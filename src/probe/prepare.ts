import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { hostCwd, hostPlatform } from '../util/host.js';
import { whichCommand } from './environment.js';
import { SpawnedServer, type StdioLaunch } from './spawn.js';
import type { Check, ProbeSpec } from './types.js';

/** A server whose configuration was checked and, if that passed, whose process is starting. */
export interface PreparedServer {
  readonly config: Check;
  readonly server?: SpawnedServer;
}

/** Configuration check, then start the process at once. Light: no SDK code is loaded here. */
export function prepareServer(spec: ProbeSpec): PreparedServer {
  if (spec.launch.kind !== 'stdio')
    return { config: { name: 'configuration', verdict: 'pass', detail: `remote server ${spec.launch.url}` } };
  const config = checkConfiguration(spec.launch, spec.launchDir);
  return config.verdict === 'fail' ? { config } : { config, server: new SpawnedServer(spec.launch) };
}

/** `launchDir`: where the client starts the server, said for a person (ProbeSpec.launchDir). */
export function checkConfiguration(launch: StdioLaunch, launchDir?: string): Check {
  // The process starts here, on the host: its rules, and its cwd unless the entry gives one.
  const cwd = launch.cwd ?? hostCwd();
  const found = whichCommand(launch.command, launch.env, { platform: hostPlatform, cwd });
  const relative = [launch.command, ...launch.args].find((a) => isRelativePath(a) && !existsSync(resolve(cwd, a)));
  const where = launchDir ?? (launch.cwd && `its working directory ${launch.cwd}`);
  if (relative && where) {
    return {
      name: 'configuration',
      verdict: 'fail',
      detail: `${relative} is a relative path and is not in ${where}; use an absolute path, or set cwd for this server`,
    };
  }
  if (!found) {
    return {
      name: 'configuration',
      verdict: 'fail',
      detail: `command '${launch.command}' was not found on the PATH the client gives servers (PATH=${launch.env.PATH ?? '(unset)'})`,
    };
  }
  if (launch.cwd && !(existsSync(launch.cwd) && statSync(launch.cwd).isDirectory())) {
    return { name: 'configuration', verdict: 'fail', detail: `working directory ${launch.cwd} does not exist` };
  }
  const missing = launch.args.filter((a) => isAbsolute(a) && /\.(m?js|cjs|ts|py|sh)$/.test(a) && !existsSync(a));
  if (missing.length) return { name: 'configuration', verdict: 'fail', detail: `script ${missing[0]} does not exist` };
  return { name: 'configuration', verdict: 'pass', detail: `${launch.command} -> ${found}` };
}

/** A path the process looks up from its working directory: `./x`, `../x`, `dir/x.js`, `server.mjs`. */
function isRelativePath(a: string): boolean {
  if (isAbsolute(a) || /\s/.test(a) || a.startsWith('-') || a.startsWith('@') || /^[a-z][a-z0-9+.-]*:/i.test(a))
    return false;
  return /^\.\.?[/\\]/.test(a) || /\.(m?js|cjs|ts|mts|py|sh)$/.test(a);
}
