import type { Problem } from '../errors.js';
import { closest } from '../util/closest.js';
import { isPlainObject } from './merge-patch.js';
import { configError, locate, type Located, type PathSegment, type SourceFile } from './source.js';

export interface RawEnvironment {
  extends?: string;
  servers?: string[];
  exclude?: string[];
  overrides?: Record<string, Record<string, unknown> | null>;
}

export interface ResolvedEnvironment {
  /** Server names, in declaration order (base environments first). */
  servers: string[];
  /** Override patches per server, oldest ancestor first, each with its source. */
  overrides: Map<string, Located<unknown>[]>;
}

/**
 * Resolves `extends` chains, `servers`, `exclude` and `overrides`. Problems (unknown
 * names, cycles) are pushed, located; the result is as good as the input allows.
 * `default`, unless `environments` defines it, is every server: the only environment of a
 * file without `environments`, and a base others can `extends: default` once there are some.
 * An environment may override only servers defined in its own file or in what that file
 * imports (`reaches`): a profile must not patch the command of a server mcp.yaml defines.
 */
export function resolveEnvironment(
  name: string,
  environments: ReadonlyMap<string, Located<RawEnvironment>>,
  servers: ReadonlyMap<string, Located<unknown>>,
  reaches: (from: SourceFile, file: SourceFile) => boolean,
  problems: Problem[],
): ResolvedEnvironment | undefined {
  const everyServer = (): ResolvedEnvironment => ({ servers: [...servers.keys()], overrides: new Map() });
  if (name === 'default' && !environments.has('default')) return everyServer();
  const serverNames = [...servers.keys()];
  const unknownServer = (env: Located<RawEnvironment>, path: PathSegment[], server: string, key = false) => {
    const guess = closest(server, serverNames);
    problems.push(
      configError(
        env.source,
        path,
        `environment '${path[1]}' refers to unknown server '${server}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
        key,
      ),
    );
  };

  const visit = (envName: string, chain: string[]): ResolvedEnvironment | undefined => {
    const env = environments.get(envName)!;
    // validate resolves environments the schema already faulted too: what is not of the
    // expected type was reported there, and is skipped here.
    const raw: RawEnvironment = isPlainObject(env.value) ? env.value : {};
    const names = (v: unknown) =>
      (Array.isArray(v) ? v : []).flatMap((s: unknown, i) => (typeof s === 'string' ? [[s, i] as const] : []));
    let base: ResolvedEnvironment = { servers: [], overrides: new Map() };
    if (typeof raw.extends === 'string') {
      const parent = raw.extends;
      if (chain.includes(parent)) {
        problems.push(
          configError(
            env.source,
            [...env.path, 'extends'],
            `environment extends cycle: ${[...chain, envName, parent].slice(chain.indexOf(parent)).join(' -> ')}`,
          ),
        );
        return undefined;
      }
      if (parent === 'default' && !environments.has('default')) base = everyServer();
      else if (!environments.has(parent)) {
        const guess = closest(parent, [...environments.keys()]);
        problems.push(
          configError(
            env.source,
            [...env.path, 'extends'],
            `environment '${envName}' extends unknown environment '${parent}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
          ),
        );
        return undefined;
      } else {
        const parentResolved = visit(parent, [...chain, envName]);
        if (!parentResolved) return undefined;
        base = parentResolved;
      }
    }
    const list = [...base.servers];
    for (const [s, i] of names(raw.servers)) {
      if (!servers.has(s)) unknownServer(env, [...env.path, 'servers', i], s);
      else if (!list.includes(s)) list.push(s);
    }
    const excluded = new Set<string>();
    for (const [s, i] of names(raw.exclude)) {
      if (!servers.has(s)) unknownServer(env, [...env.path, 'exclude', i], s);
      excluded.add(s);
    }
    const overrides = new Map(base.overrides);
    for (const s of isPlainObject(raw.overrides) ? Object.keys(raw.overrides) : []) {
      const def = servers.get(s);
      if (!def) {
        unknownServer(env, [...env.path, 'overrides', s], s, true);
        continue;
      }
      if (!reaches(env.source, def.source)) {
        problems.push(foreignOverride(env, envName, s, def));
        continue;
      }
      overrides.set(s, [
        ...(overrides.get(s) ?? []),
        { value: raw.overrides![s], source: env.source, path: [...env.path, 'overrides', s] },
      ]);
    }
    return { servers: list.filter((s) => !excluded.has(s)), overrides };
  };
  return visit(name, []);
}

function foreignOverride(
  env: Located<RawEnvironment>,
  envName: string,
  server: string,
  def: Located<unknown>,
): Problem {
  const at = locate(def.source, def.path, true);
  return configError(
    env.source,
    [...env.path, 'overrides', server],
    `environment '${envName}' overrides server '${server}', which ${at.file}:${at.line}:${at.col} defines, not this file or what it imports; a profile may override only servers it defines (local definitions win). To change '${server}' per environment, put the override in mcp.yaml's own environments; if the profile is not yours, ask its owners to drop this override`,
    true,
  );
}
