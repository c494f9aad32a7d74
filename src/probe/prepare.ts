import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { hostCwd, hostPlatform } from '../util/host.js';
import { isBatchFile, whichCommand } from './environment.js';
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
  const host = { platform: hostPlatform, cwd };
  const found = whichCommand(launch.command, launch.env, { ...host, windowsStart: launch.windowsStart });
  const relative = [launch.command, ...launch.args].find((a) => isRelativePath(a) && !existsSync(resolve(cwd, a)));
  const where = launchDir ?? (launch.cwd && `its working directory ${launch.cwd}`);
  if (relative && where) {
    return {
      name: 'configuration',
      verdict: 'fail',
      detail: `${relative} is a relative path and is not in ${where}; use an absolute path, or set cwd for this server`,
    };
  }
  const batch =
    hostPlatform === 'win32' && launch.windowsStart === 'plain' ? plainBatch(launch, found, host) : undefined;
  if (batch) return { name: 'configuration', verdict: 'fail', detail: batch };
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

/**
 * A client that starts commands without a shell on Windows cannot run a batch file: bare
 * `npx` is not found (`npx.cmd` is not tried), `npx.cmd` is refused. What to write instead.
 */
function plainBatch(launch: StdioLaunch, found: string | undefined, where: { platform: NodeJS.Platform; cwd: string }) {
  const batch = found ?? whichCommand(launch.command, launch.env, { ...where, windowsStart: 'resolving' });
  if (!batch || !isBatchFile(batch)) return undefined;
  const wrapped = JSON.stringify(['/c', launch.command, ...launch.args]);
  return `'${launch.command}' is ${batch}, a batch file, and this client starts commands without a shell on Windows ("spawn ${launch.command} ${found ? 'EINVAL' : 'ENOENT'}"): start it through cmd, "command": "cmd", "args": ${wrapped}`;
}
