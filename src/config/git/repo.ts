import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { McpformError } from '../../errors.js';
import { hostPlatform } from '../../util/host.js';
import { makeOwnDir } from '../../util/make-dir.js';

// Only these transports, whatever the user's git config allows: `ext::` runs a command and
// `fd::` reads descriptors (spec.ts refuses such URLs too; this also covers insteadOf rewrites).
const SAFE_CONFIG = [
  'protocol.allow=never',
  'protocol.https.allow=always',
  'protocol.http.allow=always',
  'protocol.ssh.allow=always',
  'protocol.git.allow=always',
  'protocol.file.allow=always',
  'protocol.ext.allow=never',
  'protocol.fd.allow=never',
].flatMap((c) => ['-c', c]);

// Variables that would point git at another repository than the cache's.
const REPO_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
];

const MAX_FILE_BYTES = 1024 * 1024;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

interface Run {
  ok: boolean;
  /** The output passed the limit (a file too big to be a profile). */
  tooBig: boolean;
  stdout: string;
  stderr: string;
}

/**
 * The user's own git, run through execa with an argument list (never a shell): their
 * credential helpers, SSH agent and proxy settings apply. No prompts (no terminal, no
 * GIT_TERMINAL_PROMPT), a timeout, and errors that say what to do.
 */
export class GitCache {
  constructor(
    readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeoutMs: number,
  ) {}

  /** One bare clone per URL. */
  dirFor(url: string): string {
    const slug = (
      url
        .replace(/\.git$/, '')
        .split(/[/:]/)
        .pop() || 'repo'
    )
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40);
    return join(this.root, 'git', `${createHash('sha256').update(url).digest('hex').slice(0, 16)}-${slug}.git`);
  }

  has(url: string): boolean {
    return existsSync(join(this.dirFor(url), 'HEAD'));
  }

  async run(args: string[], what: string, gitDir?: string, maxBuffer = MAX_FILE_BYTES): Promise<Run> {
    const { execa } = await import('execa');
    // No prompt on the terminal, and no sign-in window from Git Credential Manager. Credential
    // helpers, the SSH agent and an askpass program the user configured still answer (CI
    // often hands git its token that way).
    const env: NodeJS.ProcessEnv = { ...this.env, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
    for (const v of REPO_VARS) delete env[v];
    const full = [...SAFE_CONFIG, ...(gitDir ? [`--git-dir=${gitDir}`] : []), ...args];
    const sub = execa('git', full, {
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      // File contents are hashed as they are: keep their last newline.
      stripFinalNewline: false,
      timeout: this.timeoutMs,
      // Its own session: no controlling terminal, so ssh cannot stop to ask for a passphrase.
      detached: hostPlatform !== 'win32',
      maxBuffer,
    });
    const release = sub.pid ? killOnExit(sub.pid) : () => undefined;
    const r = await sub.finally(release);
    if (r.timedOut) {
      if (sub.pid) killGroup(sub.pid); // ssh and git's helpers too
      throw new McpformError(
        'GIT_IMPORT',
        `git timed out after ${Math.round(this.timeoutMs / 1000)} s while ${what} (MCPFORM_GIT_TIMEOUT_MS sets the limit)`,
      );
    }
    if ((r as { code?: string }).code === 'ENOENT')
      throw new McpformError('GIT_IMPORT', `cannot run git while ${what}: git is not on PATH`, {
        hint: 'install git (https://git-scm.com) to use imports from git',
      });
    return {
      ok: r.exitCode === 0 && !r.isMaxBuffer,
      tooBig: r.isMaxBuffer,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? '').trim(),
    };
  }

  /** Clones (into a temp dir, renamed into place) or fetches every branch and tag. */
  async fetch(url: string): Promise<void> {
    const dir = this.dirFor(url);
    // Profiles, and the commits mcp.lock trusts, are read from here: the user's alone.
    privateDir(join(this.root, 'git'));
    if (!this.has(url)) {
      removeAbandonedClones(dir);
      const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        privateDir(tmp); // git clones into it, empty, whatever the umask
        const r = await this.run(['clone', '--bare', '--quiet', '--', url, tmp], `cloning ${url}`);
        if (!r.ok) throw unreachable(url, r.stderr);
        if (!this.has(url)) renameSync(tmp, dir);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      return;
    }
    privateDir(dir); // a clone made by an older mcpform
    // Forced and pruned: a moved tag or a rewritten branch shows as it is now on the remote.
    const r = await this.run(
      ['fetch', '--quiet', '--prune', '--force', '--', url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'],
      `fetching ${url}`,
      dir,
    );
    if (!r.ok) throw unreachable(url, r.stderr);
  }

  /** A commit by SHA that no branch or tag reaches (servers that allow it). */
  async fetchCommit(url: string, sha: string): Promise<boolean> {
    const r = await this.run(['fetch', '--quiet', '--', url, sha], `fetching ${sha} from ${url}`, this.dirFor(url));
    return r.ok;
  }

  async hasCommit(url: string, sha: string): Promise<boolean> {
    if (!this.has(url)) return false;
    return (await this.run(['cat-file', '-e', `${sha}^{commit}`], 'reading the cache', this.dirFor(url))).ok;
  }

  /** The commit a ref names in the cache (no network): a tag first, then a branch, then a SHA. */
  async resolveRef(url: string, ref: string): Promise<string | undefined> {
    if (FULL_SHA.test(ref)) return (await this.hasCommit(url, ref)) ? ref : undefined;
    for (const name of [`refs/tags/${ref}`, `refs/heads/${ref}`, ref]) {
      const r = await this.run(
        ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`],
        'resolving a ref',
        this.dirFor(url),
      );
      if (r.ok && r.stdout.trim()) return r.stdout.trim();
    }
    return undefined;
  }

  async isAncestor(url: string, older: string, newer: string): Promise<boolean> {
    const r = await this.run(['merge-base', '--is-ancestor', older, newer], 'comparing commits', this.dirFor(url));
    return r.ok;
  }

  /**
   * `git diff --stat` between two commits of the cache, for files of the profile: the review's
   * summary. No external diff or textconv program runs (a profile may name such drivers).
   */
  async diffStat(url: string, from: string, to: string, paths: readonly string[]): Promise<string[]> {
    const r = await this.run(
      ['diff', '--stat=100', '--no-color', '--no-ext-diff', '--no-textconv', from, to, '--', ...paths],
      'summarising the change',
      this.dirFor(url),
    );
    return r.ok ? r.stdout.split('\n').filter((l) => l.trim() !== '') : [];
  }

  /** Keeps a pinned commit in the cache even after its tag moves or its branch is rewritten (gc). */
  async keep(url: string, sha: string): Promise<void> {
    const dir = this.dirFor(url);
    const ref = `refs/mcpform/pins/${sha}`;
    // Already kept (loose, or packed by gc): no git process, and plan writes nothing.
    if (existsSync(join(dir, ref)) || readText(join(dir, 'packed-refs')).includes(` ${ref}\n`)) return;
    await this.run(['update-ref', `refs/mcpform/pins/${sha}`, sha], 'recording a pin', this.dirFor(url));
  }

  /**
   * A file at a commit, through `git ls-tree` and `git cat-file` (nothing is checked out).
   * Symlinks are followed only while they stay inside the repository.
   */
  async readFile(url: string, commit: string, path: string): Promise<{ text: string } | { problem: string }> {
    const dir = this.dirFor(url);
    let current = path;
    for (let hops = 0; hops < 10; hops++) {
      const entry = await this.lsTree(dir, commit, current);
      if (entry && entry.mode !== '120000') {
        if (entry.type !== 'blob') return { problem: `${current} is a folder in the repository, not a file` };
        const r = await this.run(['cat-file', 'blob', entry.object], 'reading a file', dir);
        if (r.tooBig) return { problem: `${current} is over 1 MiB; profiles that big are refused` };
        if (!r.ok) return { problem: `cannot read ${current}: ${r.stderr}` };
        return { text: r.stdout };
      }
      // A symlink, the file itself or a folder on the way to it.
      const link = entry ? { at: current, rest: '' } : await this.linkOnTheWay(dir, commit, current);
      if (!link) return { problem: `${current} does not exist in the repository at commit ${commit.slice(0, 12)}` };
      const target = (await this.run(['cat-file', 'blob', `${commit}:${link.at}`], 'reading a symlink', dir)).stdout;
      const next = posix.normalize(posix.join(posix.dirname(link.at), target, link.rest));
      if (posix.isAbsolute(target) || next === '..' || next.startsWith('../'))
        return { problem: `${link.at} is a symlink to '${target}', outside the repository; refused` };
      current = next;
    }
    return { problem: `${path}: too many levels of symlinks` };
  }

  private async lsTree(dir: string, commit: string, path: string) {
    const r = await this.run(['ls-tree', '-z', commit, '--', path], 'listing a commit', dir);
    const line = r.stdout.split('\0')[0];
    const m = line ? /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(line) : null;
    return m ? { mode: m[1]!, type: m[2]!, object: m[3]! } : undefined;
  }

  private async linkOnTheWay(dir: string, commit: string, path: string) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const at = parts.slice(0, i).join('/');
      const e = await this.lsTree(dir, commit, at);
      if (!e) return undefined;
      if (e.mode === '120000') return { at, rest: parts.slice(i).join('/') };
    }
    return undefined;
  }
}

function unreachable(url: string, stderr: string): McpformError {
  const why = stderr.split('\n').filter(Boolean).slice(-3).join(' ') || 'git failed';
  return new McpformError('GIT_IMPORT', `cannot fetch ${url}: ${why}`, {
    hint: 'check the URL and that `git ls-remote URL` works in your shell (credentials, SSH agent, proxy)',
  });
}

/** The dir made (each missing level) or tightened to 0700: the umask and the parent's mode do not matter. */
function privateDir(dir: string): void {
  makeOwnDir(
    dir,
    'the git import cache',
    'set MCPFORM_CACHE_DIR to a folder you can write, or fix the permissions of this one',
  );
  if (hostPlatform === 'win32') return; // no such modes: LOCALAPPDATA is per user
  if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * git runs in its own session (no terminal to prompt on), so Ctrl-C does not reach it: while
 * it runs, an exit of mcpform kills its process group (ssh included). A signal ends mcpform
 * through process.exit (src/cli/signals.ts), so this hook runs then too. It is not a signal
 * listener itself: one would keep the CLI's from deciding to exit.
 */
function killOnExit(pid: number): () => void {
  const onExit = () => killGroup(pid);
  process.on('exit', onExit);
  return () => process.off('exit', onExit);
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Temp clones of runs that were killed mid-clone (Ctrl-C): their pid is gone on this host. */
function removeAbandonedClones(dir: string): void {
  const prefix = `${basename(dir)}.tmp-`;
  for (const name of readdirSync(dirname(dir))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(dirname(dir), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
