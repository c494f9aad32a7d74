import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
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
  const config = checkConfiguration(spec.launch);
  return config.verdict === 'fail' ? { config } : { config, server: new SpawnedServer(spec.launch) };
}

export function checkConfiguration(launch: StdioLaunch): Check {
  // The process starts here, on the host: its rules, and its cwd unless the entry gives one.
  const where = { platform: hostPlatform, cwd: launch.cwd ?? hostCwd() };
  const found = whichCommand(launch.command, launch.env, { ...where, windowsStart: launch.windowsStart });
  const batch =
    hostPlatform === 'win32' && launch.windowsStart === 'plain' ? plainBatch(launch, found, where) : undefined;
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
