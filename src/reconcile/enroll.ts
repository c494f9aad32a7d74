import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findConfig } from '../config/find.js';
import { McpformError } from '../errors.js';
import { projectId } from '../plan/build.js';
import { STATE_DIR_HINT, stateDir } from '../state/dirs.js';
import { writeFileAtomic } from '../util/fs.js';
import { makeOwnDir } from '../util/make-dir.js';
import type { World } from '../world.js';

/** A project the agent keeps in sync: its mcp.yaml (real path) and environment. */
export interface Enrolled {
  file: string;
  /** `-e` at enroll time; absent: the project's own default, as `apply` picks it. */
  environment?: string;
  enrolledAt: string;
}

/** `<state dir>/agent/projects.json`. */
interface EnrollFile {
  formatVersion: 1;
  projects: Enrolled[];
}

const enrollPath = (world: World) => join(stateDir(world), 'agent', 'projects.json');

export function readEnrolled(world: World): Enrolled[] {
  const file = enrollPath(world);
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<EnrollFile>;
    if (raw.formatVersion !== 1 || !Array.isArray(raw.projects)) throw new Error('unknown format');
    return raw.projects.filter((p) => typeof p?.file === 'string');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new McpformError('UNREADABLE', `mcpform's state file ${file} is damaged (${(err as Error).message})`, {
      hint: "move it aside and enroll the projects again with 'mcpform agent enroll DIR'",
    });
  }
}

/**
 * `mcpform agent enroll [DIR]`: adds the mcp.yaml found in DIR (else as usual: -f,
 * MCPFORM_FILE, upward from the cwd) to the projects the agent reconciles. Enrolling one
 * again updates its environment. Returns the entry and whether it is new.
 */
export async function enrollProject(
  world: World,
  req: { dir?: string; file?: string; environment?: string },
): Promise<{ project: Enrolled; added: boolean }> {
  if (req.dir && /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(req.dir))
    throw new McpformError('USAGE', `enrolling a git URL (${req.dir}) is not supported yet`, {
      hint: 'clone the repository and enroll its folder: mcpform agent enroll ~/dotfiles',
    });
  const file = projectId(await findConfig(req.dir ?? req.file, world));
  const projects = readEnrolled(world);
  const project: Enrolled = {
    file,
    ...(req.environment ? { environment: req.environment } : {}),
    enrolledAt: world.now().toISOString(),
  };
  const added = !projects.some((p) => p.file === file);
  const next = [...projects.filter((p) => p.file !== file), project];
  makeOwnDir(join(stateDir(world), 'agent'), 'the agent folder', STATE_DIR_HINT);
  await writeFileAtomic(enrollPath(world), `${JSON.stringify({ formatVersion: 1, projects: next }, null, 2)}\n`, {
    mode: 0o600,
  });
  return { project, added };
}
