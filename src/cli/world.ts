import { homedir } from 'node:os';
import { homeFromEnv, type World } from '../world.js';

/** The World as this process sees it: the one place mcpform reads the machine it runs on. */
export function readWorld(): World {
  const env = process.env;
  const platform = process.platform;
  return {
    env,
    platform,
    cwd: process.cwd(),
    home: homeFromEnv(env, platform) ?? accountHome(),
    now: () => new Date(),
  };
}

/** The passwd entry's home; undefined for an account without one (a container's random uid). */
function accountHome(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}
