import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Sandbox } from '../../helpers.js';

/** The sandbox's env for git: its HOME, no system config, a fixed identity, its own cache dir. */
export function gitEnv(sb: Sandbox): NodeJS.ProcessEnv {
  return {
    ...sb.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(sb.home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Team Lead',
    GIT_AUTHOR_EMAIL: 'lead@example.com',
    GIT_COMMITTER_NAME: 'Team Lead',
    GIT_COMMITTER_EMAIL: 'lead@example.com',
    MCPFORM_CACHE_DIR: join(sb.dir, 'cache'),
  };
}

export interface Repo {
  dir: string;
  url: string;
  git(...args: string[]): string;
  /** Writes (null deletes) files and commits them; returns the new commit. */
  commit(files: Record<string, string | null>, message?: string): string;
  symlink(path: string, target: string): void;
  remove(): void;
}

/** A real repository on disk (`git init`), reached through a file:// URL as a remote would be. */
export function makeRepo(sb: Sandbox, name: string, files: Record<string, string>): Repo {
  const dir = join(sb.dir, 'remotes', name);
  mkdirSync(dir, { recursive: true });
  const env = gitEnv(sb);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const repo: Repo = {
    dir,
    url: pathToFileURL(dir).href,
    git,
    commit(changes, message = 'update') {
      for (const [rel, content] of Object.entries(changes)) {
        const p = join(dir, rel);
        if (content === null) rmSync(p, { force: true });
        else {
          mkdirSync(dirname(p), { recursive: true });
          writeFileSync(p, content);
        }
      }
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    symlink(path, target) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      symlinkSync(target, join(dir, path));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  repo.commit(files, 'first');
  return repo;
}

export const profile = (servers: Record<string, string>, extra = '') =>
  `version: 1\n${extra}servers:\n${Object.entries(servers)
    .map(([name, arg]) => `  ${name}:\n    command: node\n    args: ["${arg}"]\n`)
    .join('')}`;
