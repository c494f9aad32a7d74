import type { ServerCwd } from '../targets/types.js';
import { pathsOf, type World } from '../world.js';

/** The folder a client starts a stdio server in, and how to say where that is. */
export interface ServerDirectory {
  readonly dir: string;
  /** `the filesystem root (/), where claude-desktop starts servers`: for messages about a relative path. */
  readonly said: string;
}

/**
 * Where `client` starts a server whose entry has no `cwd` (its `serverCwd`): the project
 * (mcp.yaml's folder, else mcpform's cwd), the home, or the filesystem root. An `unknown`
 * one is checked from the home: a folder that is neither the project nor mcpform's cwd, so
 * a relative path that only works here is caught rather than passed.
 */
export function serverDirectory(
  client: string,
  serverCwd: ServerCwd,
  world: Pick<World, 'platform' | 'home' | 'cwd'>,
  projectDir?: string,
): ServerDirectory {
  const project = projectDir ?? world.cwd;
  const home = world.home ?? project;
  switch (serverCwd) {
    case 'project':
      return { dir: project, said: `the project folder (${project}), where ${client} starts servers` };
    case 'home':
      return { dir: home, said: `your home folder (${home}), where ${client} starts servers` };
    case 'root': {
      // `/`; on Windows the root of the home's drive (the app's own folder there is not known).
      const root = pathsOf(world).parse(home).root || (world.platform === 'win32' ? 'C:\\' : '/');
      return { dir: root, said: `the filesystem root (${root}), where ${client} starts servers` };
    }
    case 'unknown':
      return {
        dir: home,
        said: `your home folder (${home}), where mcpform checks it: the folder ${client} starts servers in is not known`,
      };
  }
}

/** An entry's `cwd` as the client resolves it: a relative one against the client's own folder. */
export function entryDirectory(cwd: string | undefined, base: ServerDirectory, platform: NodeJS.Platform): string {
  if (cwd === undefined || cwd === '') return base.dir;
  const paths = pathsOf({ platform });
  return paths.isAbsolute(cwd) ? cwd : paths.resolve(base.dir, cwd);
}
