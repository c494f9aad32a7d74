import { dirname } from 'node:path';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { npmOptions } from './resolve.js';
import type { OpenLock, PackageLock } from './types.js';
import type { World } from '../world.js';

/** Whether two SRI strings name the same content: some algorithm in common, same digest. */
export function sameIntegrity(a: string, b: string): boolean {
  const digests = (s: string) =>
    new Map(
      s
        .trim()
        .split(/\s+/)
        .map((p) => [p.slice(0, p.indexOf('-')), p] as const),
    );
  const da = digests(a);
  let common = false;
  for (const [algo, part] of digests(b)) {
    if (!da.has(algo)) continue;
    if (da.get(algo) !== part) return false;
    common = true;
  }
  return common;
}

export function integrityError(server: string, pkg: PackageLock, served: string): McpformError {
  return new McpformError(
    'INTEGRITY_MISMATCH',
    `${pkg.name}@${pkg.version} for server '${server}': the registry serves integrity ${served}, but mcp.lock pins ${pkg.integrity} (EINTEGRITY); nothing was changed`,
    {
      hint: 'the published package is not the one that was locked: find out why before trusting it; if the new content is expected, delete the entry of that server from mcp.lock and run `mcpform lock`',
    },
  );
}

/**
 * npm's EINTEGRITY, before a pinned package is installed: the registry's integrity for the
 * exact version must be the one mcp.lock pins (pacote refuses a mismatch itself when given
 * the expected integrity). Pins resolved by this run were just read from the registry.
 */
export async function verifyPinnedPackages(
  open: OpenLock,
  state: DesiredState,
  servers: readonly string[],
  world: Pick<World, 'env' | 'platform'>,
): Promise<void> {
  const wanted = state.servers.filter(
    (s) =>
      s.package && servers.includes(s.name) && open.lock.servers[s.name]?.package && !open.edits.get(s.name)?.package,
  );
  if (wanted.length === 0) return;
  const [{ default: pacote }, options] = await Promise.all([import('pacote'), npmOptions(dirname(state.file), world)]);
  await Promise.all(
    wanted.map(async (s) => {
      const pkg = open.lock.servers[s.name]!.package!;
      try {
        await pacote.manifest(`${pkg.name}@${pkg.version}`, {
          ...options,
          integrity: pkg.integrity,
          preferOnline: true,
          fullMetadata: false,
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EINTEGRITY') {
          const served = /but got (\S+?)\.?$/.exec(e.message)?.[1] ?? 'a different integrity';
          throw integrityError(s.name, pkg, served);
        }
        throw new McpformError(
          'REGISTRY',
          `cannot verify ${pkg.name}@${pkg.version} for server '${s.name}' with the registry: ${e.code === 'ETARGET' || e.code === 'E404' ? 'the registry does not have that version' : e.message}; nothing was changed`,
          {
            hint: 'check your npm registry settings (.npmrc); a pin the registry does not have cannot be installed',
            cause: err,
          },
        );
      }
    }),
  );
}
