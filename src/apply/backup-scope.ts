import { findConfig } from '../config/find.js';
import { McpformError } from '../errors.js';
import { realPathOf } from '../util/real-path.js';
import type { World } from '../world.js';
import type { BackupMeta } from './backups.js';

/**
 * Which backups `backups` and `rollback` act on: those of the files this mcp.yaml's targets
 * write (narrowed by --target), not every backup on the machine — a bare `rollback --yes`
 * in one project must not restore another project's Cursor file. `--all` reaches beyond.
 * Without an mcp.yaml (and without --all) the scope is unknown: `backups` lists everything
 * and says so; `rollback` asks for an id or --all.
 */
export type BackupScope =
  | { readonly kind: 'all'; readonly why: 'asked' | 'no-project' }
  // A broken mcp.yaml must not stand between the user and their backups: restoring one is
  // how people recover. It only cannot say which backups are this project's.
  | { readonly kind: 'all'; readonly why: 'unreadable'; readonly problem: string }
  | { readonly kind: 'project'; readonly file: string; readonly paths: ReadonlySet<string> };

export async function backupScope(
  world: World,
  req: { file?: string; target?: string; all?: boolean },
): Promise<BackupScope> {
  if (req.all) return { kind: 'all', why: 'asked' };
  let file: string;
  try {
    file = await findConfig(req.file, world);
  } catch (err) {
    if (err instanceof McpformError && err.code === 'CONFIG_NOT_FOUND' && !req.file)
      return { kind: 'all', why: 'no-project' };
    throw err;
  }
  const { readProjectWithImports } = await import('../config/load.js');
  const { readGitPins } = await import('../lock/git-pins.js');
  const { readTargets } = await import('../config/targets.js');
  const { clientCatalog, selectTargets, adapterFor } = await import('../targets/index.js');
  let project;
  try {
    project = await readProjectWithImports(file, { world, gitPins: readGitPins });
  } catch (err) {
    if (err instanceof McpformError) return { kind: 'all', why: 'unreadable', problem: `${file}: ${err.message}` };
    throw err;
  }
  const specs = selectTargets(readTargets(project, clientCatalog, [], world), req.target);
  const paths = new Set(specs.map((s) => realPathOf(adapterFor(s.name).resolvePath(s, world))));
  return { kind: 'project', file, paths };
}

export function inScope(scope: BackupScope, backup: Pick<BackupMeta, 'path'>): boolean {
  return scope.kind === 'all' || scope.paths.has(realPathOf(backup.path));
}
