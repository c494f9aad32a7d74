import { posix } from 'node:path';
import { visible } from '../../util/sanitize.js';
import { isPlainObject } from '../merge-patch.js';

/** One `imports: - { git, ref, path }` entry, checked. */
export interface GitImportSpec {
  readonly url: string;
  readonly ref: string;
  /** The file inside the repository, normalised (`profiles/base.mcp.yaml`). */
  readonly path: string;
}

/** The lock's name for an import: the repository and the file (the ref is what it pins). */
export function importKey(spec: Pick<GitImportSpec, 'url' | 'path'>): string {
  return `${spec.url}#${spec.path}`;
}

/** As printed in `file:line:col` messages: where in which repository, at which ref. */
export function gitDisplay(url: string, ref: string, path: string): string {
  return `${url}@${ref}:${path}`;
}

export function isGitImport(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && v.git !== undefined;
}

// Transports git may use for a team profile. Everything else is refused, above all the
// remote helpers (`ext::sh -c ...` runs a command; `fd::` reads descriptors), which git
// also reaches through `<helper>::<address>` and unknown `<scheme>://` URLs.
const SCHEMES = new Set(['https', 'http', 'ssh', 'git', 'file', 'git+ssh', 'ssh+git']);
// scp-like `[user@]host:path` (no `/` before the first `:`, and not `C:\...`).
const SCP = /^(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9][A-Za-z0-9.-]*:(?!\/\/)[^\s]+$/;
// A bad character anywhere in a URL, ref or path: controls, and whitespace for URLs and refs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a git URL is refused, or undefined when git may fetch it. */
export function urlProblem(url: string): string | undefined {
  if (url.startsWith('-')) return `git URL '${visible(url)}' starts with '-' (it would be read as an option of git)`;
  if (url.includes('::'))
    return `git URL '${visible(url)}' uses a remote helper ('${visible(url.slice(0, url.indexOf('::')))}::'), which can run commands; use an https://, ssh:// or file:// URL`;
  if (CONTROL.test(url) || /\s/.test(url)) return 'the git URL contains whitespace or control characters';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme) {
    if (!SCHEMES.has(scheme))
      return `git URL scheme '${scheme}://' is not allowed; use https://, ssh://, git:// or file://`;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `'${url}' is not a valid URL`;
    }
    if (parsed.password || ((scheme === 'https' || scheme === 'http') && parsed.username))
      return 'the git URL carries credentials; mcp.yaml and mcp.lock are committed, so let git supply them (a credential helper, or an SSH URL with your agent)';
    return undefined;
  }
  if (SCP.test(url) && !/^[A-Za-z]:[\\/]/.test(url)) return undefined;
  return `'${url}' is not a git URL mcpform accepts; a local repository is written file:///path/to/repo`;
}

/** Why a ref is refused: git's own ref rules, plus no leading `-`. */
export function refProblem(ref: string): string | undefined {
  if (ref.startsWith('-')) return `ref '${visible(ref)}' starts with '-' (it would be read as an option of git)`;
  if (
    CONTROL.test(ref) ||
    /[\s~^:?*[\\]/.test(ref) ||
    ref.includes('..') ||
    ref.includes('@{') ||
    ref.endsWith('/') ||
    ref.endsWith('.lock') ||
    ref.startsWith('/')
  )
    return `'${visible(ref)}' is not a valid git ref (a tag, a branch or a commit SHA)`;
  return undefined;
}

/** A file path inside the repository, normalised; or why it is refused. */
export function repoPath(path: string): { path?: string; problem?: string } {
  if (CONTROL.test(path)) return { problem: 'the path contains control characters' };
  if (path.includes('\\')) return { problem: `path '${path}' contains '\\'; write paths inside a repository with '/'` };
  if (posix.isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.startsWith('~'))
    return { problem: `path '${path}' is absolute; a git import names a file inside its repository` };
  const norm = posix.normalize(path);
  if (norm === '..' || norm.startsWith('../'))
    return { problem: `path '${path}' leaves the repository; a git import can only read files inside it` };
  if (norm === '.' || norm.endsWith('/')) return { problem: `path '${path}' is a folder, not a file` };
  return { path: norm };
}

/** The spec of a `{ git, ref, path }` entry (its shape already checked by the schema). */
export function parseGitImport(v: Record<string, unknown>): { spec?: GitImportSpec; problem?: string; field?: string } {
  // A wrong shape (a key missing, a number, an unknown key) is the schema's to report.
  const strings = ['git', 'ref', 'path'].every((k) => typeof v[k] === 'string' && /\S/.test(v[k] as string));
  if (!strings || Object.keys(v).some((k) => !['git', 'ref', 'path'].includes(k))) return {};
  const url = v.git as string;
  const ref = v.ref as string;
  const why = urlProblem(url);
  if (why) return { problem: why, field: 'git' };
  const refWhy = refProblem(ref);
  if (refWhy) return { problem: refWhy, field: 'ref' };
  const p = repoPath(v.path as string);
  if (p.problem) return { problem: p.problem, field: 'path' };
  return { spec: { url, ref, path: p.path! } };
}

/** A relative import inside a git profile: resolved in the same repository, never out of it. */
export function joinInRepo(fromPath: string, rel: string): { path?: string; problem?: string } {
  const outside = `import '${rel}' is outside the repository; a profile from git can import only files of its own repository`;
  if (posix.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.startsWith('~')) return { problem: outside };
  if (CONTROL.test(rel)) return { problem: 'the import path contains control characters' };
  if (rel.includes('\\')) return { problem: `import '${rel}' contains '\\'; write paths inside a repository with '/'` };
  const joined = posix.normalize(posix.join(posix.dirname(fromPath), rel));
  if (joined === '..' || joined.startsWith('../')) return { problem: outside };
  return repoPath(joined);
}
