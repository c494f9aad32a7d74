import { dirname, resolve } from 'node:path';
import type { Problem } from '../errors.js';
import { expandHome } from '../util/paths.js';
import { absolute, type ProjectFiles } from './project.js';
import { configError, type PathSegment } from './source.js';
import type { World } from '../world.js';
import type { TargetSpec } from './types.js';

interface RawSpec {
  path?: string;
  scope?: string;
  secrets?: 'value' | 'reference';
  servers?: string[];
}

/**
 * What reading `targets:` needs to know of the clients: targets/index.ts's clientCatalog,
 * passed in because targets/ builds on config/'s types (never the other way round).
 */
export interface ClientCatalog {
  /** The client's scopes (the first is its default) and whether it expands variables; undefined if unknown. */
  find(name: string): { readonly scopes: readonly string[]; readonly variableReference?: unknown } | undefined;
  /** Why `name` is no client's, with the closest known name. */
  unknownMessage(name: string): string;
}

/**
 * `targets:` as specs: names checked against the client registry (so a new client needs no
 * schema edit) and scopes against the client's own list, each problem located in mcp.yaml.
 * No `targets` means Claude Desktop. A `path` with `~` is in the World's home.
 */
export function readTargets(
  project: ProjectFiles,
  clients: ClientCatalog,
  problems: Problem[],
  world: Pick<World, 'home' | 'platform'>,
): TargetSpec[] {
  const t = project.rootValue.targets;
  const base = dirname(absolute(project.root));
  if (t === undefined) return [{ name: 'claude-desktop', base }];
  const raw: [string, RawSpec, PathSegment[]][] = Array.isArray(t)
    ? [...new Set(t as string[])].map((name) => [name, {}, ['targets', (t as string[]).indexOf(name)]])
    : Object.entries(t as Record<string, RawSpec | null>).map(([name, spec]) => [name, spec ?? {}, ['targets', name]]);
  const specs: TargetSpec[] = [];
  for (const [name, spec, path] of raw) {
    const adapter = clients.find(name);
    if (!adapter) {
      problems.push(configError(project.root, path, `targets: ${clients.unknownMessage(name)}`, !Array.isArray(t)));
      continue;
    }
    if (spec.scope !== undefined && !adapter.scopes.includes(spec.scope)) {
      problems.push(
        configError(
          project.root,
          [...path, 'scope'],
          `targets.${name}.scope: '${spec.scope}' is not a scope of ${name}; allowed: ${adapter.scopes.join(', ')}`,
        ),
      );
      continue;
    }
    if (spec.secrets === 'reference' && !adapter.variableReference) {
      problems.push(
        configError(
          project.root,
          [...path, 'secrets'],
          `targets.${name}.secrets: ${name} does not expand variables in its file, so it can only be given the values; remove 'secrets: reference'`,
        ),
      );
      continue;
    }
    const unknown = (spec.servers ?? []).filter((s) => !project.servers.has(s));
    if (unknown.length) {
      const i = spec.servers!.indexOf(unknown[0]!);
      problems.push(
        configError(
          project.root,
          [...path, 'servers', i],
          `targets.${name}.servers: ${unknown.map((s) => `'${s}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a server mcp.yaml declares; declared: ${[...project.servers.keys()].join(', ') || '(none)'}`,
        ),
      );
      continue;
    }
    specs.push({
      name,
      path: spec.path ? resolve(base, expandHome(spec.path, world)) : undefined,
      ...(spec.scope !== undefined && { scope: spec.scope }),
      ...(spec.secrets !== undefined && { secrets: spec.secrets }),
      ...(spec.servers !== undefined && { servers: [...spec.servers] }),
      base,
    });
  }
  return specs;
}
