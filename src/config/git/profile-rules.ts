import type { Problem } from '../../errors.js';
import { isPlainObject } from '../merge-patch.js';
import { configError, type PathSegment, type SourceFile } from '../source.js';

// Only the mcp.yaml that imports a profile decides where mcpform writes (targets) and which
// local files it reads (envFile): a shared profile must not redirect either.
const ROOT_ONLY: Record<string, string> = {
  targets: 'where mcpform writes',
  envFile: 'which local file mcpform reads secrets from',
};

const RELATIVE_COMMAND = /^\.\.?[/\\]/;
// `${HOME}/x` is the user's own folder, known only once interpolated: not relative.
const isRelativeDir = (v: string) => !/^(?:[/\\~]|[A-Za-z]:[/\\]|\$\{)/.test(v);

/**
 * A profile read from git can declare servers, environments and imports, and nothing that
 * reaches outside its repository: no `targets`, no `envFile`, and no relative `cwd` or
 * `./command`. mcpform reads git files with `git show` and checks nothing out, so such a
 * path would name a folder of the user's machine relative to wherever mcpform was started.
 */
export function gitProfileProblems(source: SourceFile, value: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const [key, what] of Object.entries(ROOT_ONLY))
    if (value[key] !== undefined)
      problems.push(
        configError(
          source,
          [key],
          `a profile imported from git cannot set '${key}' (${what}); only the mcp.yaml that imports it can`,
          true,
        ),
      );
  const checkServer = (def: unknown, path: PathSegment[], name: string) => {
    if (!isPlainObject(def)) return;
    if (typeof def.command === 'string' && RELATIVE_COMMAND.test(def.command))
      problems.push(
        configError(
          source,
          [...path, 'command'],
          `server '${name}': a profile from git cannot run a script by relative path ('${def.command}'); mcpform does not check the repository out. Use a command on PATH, a 'package', or an absolute path`,
        ),
      );
    if (typeof def.cwd === 'string' && isRelativeDir(def.cwd))
      problems.push(
        configError(
          source,
          [...path, 'cwd'],
          `server '${name}': a profile from git cannot set a relative 'cwd' ('${def.cwd}'); mcpform does not check the repository out. Use an absolute path or ~/...`,
        ),
      );
  };
  if (isPlainObject(value.servers))
    for (const [name, def] of Object.entries(value.servers)) checkServer(def, ['servers', name], name);
  if (isPlainObject(value.environments))
    for (const [env, def] of Object.entries(value.environments))
      if (isPlainObject(def) && isPlainObject(def.overrides))
        for (const [name, ov] of Object.entries(def.overrides))
          checkServer(ov, ['environments', env, 'overrides', name], name);
  return problems;
}
