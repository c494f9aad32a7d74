import { McpformError } from '../errors.js';
import type { PackageLock } from './types.js';
import type { World } from '../world.js';

export interface PackageRequest {
  server: string;
  name: string;
  range: string;
}

/**
 * npm's own configuration, loaded the way npm loads it (project, user and global npmrc,
 * npm_config_* variables): registry, scoped registries, auth, proxies, CA.
 */
export async function npmOptions(
  cwd: string,
  world: Pick<World, 'env' | 'platform'>,
): Promise<Record<string, unknown>> {
  const { default: Config } = await import('@npmcli/config');
  // CommonJS: its exports arrive as the default export.
  const { definitions, shorthands, flatten } = (await import('@npmcli/config/lib/definitions/index.js')).default;
  const conf = new Config({
    npmPath: cwd,
    definitions,
    shorthands,
    flatten,
    argv: [process.execPath, 'npm'],
    cwd,
    env: world.env,
    execPath: process.execPath,
    platform: world.platform,
  });
  await conf.load();
  return conf.flat;
}

/**
 * Resolves `npm:NAME@RANGE` servers with pacote (npm's fetcher) against the registry npm is
 * configured for: the highest version in range and its integrity.
 */
export async function resolvePackages(
  requests: readonly PackageRequest[],
  cwd: string,
  world: Pick<World, 'env' | 'platform'>,
): Promise<Map<string, PackageLock>> {
  const out = new Map<string, PackageLock>();
  if (requests.length === 0) return out;
  const [{ default: pacote }, options] = await Promise.all([import('pacote'), npmOptions(cwd, world)]);
  const registry = String(options.registry ?? 'the npm registry');
  await Promise.all(
    requests.map(async (r) => {
      try {
        const m = await pacote.manifest(`${r.name}@${r.range}`, {
          ...options,
          preferOnline: true,
          fullMetadata: false,
        });
        if (!m._integrity) throw new Error('the registry gave no integrity for it');
        // No tarball URL: the lock stays valid for teammates behind another registry mirror;
        // the integrity is what pins the content.
        out.set(r.server, { name: r.name, requested: r.range, version: m.version, integrity: String(m._integrity) });
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { code?: string };
        const why =
          e.code === 'ETARGET' ? `no version matches ${r.range}` : e.code === 'E404' ? 'no such package' : e.message;
        throw new McpformError(
          'REGISTRY',
          `cannot resolve ${r.name}@${r.range} for server '${r.server}' from ${registry}: ${why}`,
          {
            hint: 'check the package name and range in mcp.yaml, and your npm registry settings (.npmrc)',
            cause: err,
          },
        );
      }
    }),
  );
  return out;
}
