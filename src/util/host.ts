/**
 * Facts about the machine this process runs on, as opposed to the World's (src/world.ts):
 * the World's platform is the OS whose rules mcpform follows for the user's files and
 * clients, and tests set it to win32 or darwin on Linux. Starting a child, killing its
 * process group and reading /proc happen here, on the host, whatever the World says.
 * The one file outside src/cli that the World rule (eslint.config.js) lets read the process.
 */

/** The OS this process runs on: how Node spawns and signals children here. */
export const hostPlatform: NodeJS.Platform = process.platform;

/** The directory a child started without a `cwd` runs in. */
export function hostCwd(): string {
  return process.cwd();
}
