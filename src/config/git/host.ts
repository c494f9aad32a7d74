import { createHash } from 'node:crypto';
import { McpformError, type SourceLocation } from '../../errors.js';
import { acquireFileMutex } from '../../state/file-mutex.js';
import { cacheDir } from '../../state/dirs.js';
import type { GitFileRef, GitImportPin, GitPendingRead, GitReader } from './reader.js';
import { GitCache } from './repo.js';
import { importKey, type GitImportSpec } from './spec.js';
import type { World } from '../../world.js';
import { shellCommand } from '../../util/shell-quote.js';

export interface GitLoadOptions {
  /** --frozen-lockfile: a git import without a matching pin is an error, not a fetch. */
  frozen?: boolean;
  /** `lock --update`: re-resolve these imports (keys) or all of them from the remote. */
  update?: true | readonly string[];
  /** `plan --refresh`: fetch, to tell whether a ref moved past its pin. */
  refresh?: boolean;
}

export type GitHost = GitReader & { prepare(pending: readonly GitPendingRead[]): Promise<void> };

interface ImportState {
  spec: GitImportSpec;
  commit: string;
  locked: boolean;
  pin?: GitImportPin;
  moved?: { commit: string; ahead: boolean };
  files: Map<string, { text: string; ref: GitFileRef } | { problem: string }>;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * `pins`: what mcp.lock pins, by import key (the caller reads mcp.lock: see GitPinsReader).
 * Git imports are fetched into the World's cache dir, with git run in its env.
 */
export function createGitHost(
  pins: Readonly<Record<string, GitImportPin>>,
  opts: GitLoadOptions,
  world: World,
): GitHost {
  const { env } = world;
  const cache = new GitCache(cacheDir(world), env, Number(env.MCPFORM_GIT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS);
  const imports = new Map<string, ImportState>();
  const fetched = new Map<string, Promise<void>>();

  /** At most one fetch per URL and run, under a lock so concurrent runs do not race in the cache. */
  const fetchOnce = (url: string) => {
    let p = fetched.get(url);
    if (!p) {
      p = (async () => {
        const held = await acquireFileMutex(cache.dirFor(url), { world, command: `fetch ${url}`, waitMs: 60_000 });
        try {
          await cache.fetch(url);
        } finally {
          await held.release();
        }
      })();
      fetched.set(url, p);
    }
    return p;
  };

  const located = (
    code: 'GIT_IMPORT' | 'LOCKFILE_FROZEN' | 'IMPORT_TAMPERED',
    message: string,
    where: SourceLocation,
    hint?: string,
  ) => new McpformError(code, message, { problems: [{ message, location: where }], hint });

  /** The commit to read: mcp.lock's when it pins this ref, else the ref resolved on the remote. */
  const openImport = async (spec: GitImportSpec, where: SourceLocation): Promise<ImportState> => {
    const key = importKey(spec);
    const pin = pins[key];
    const update = opts.update === true || opts.update?.includes(key);
    if (pin && pin.git === spec.url && pin.ref === spec.ref && !update) {
      if (!(await cache.hasCommit(spec.url, pin.commit))) {
        try {
          await fetchOnce(spec.url);
        } catch (err) {
          throw located(
            'GIT_IMPORT',
            `${key}: the commit ${pin.commit.slice(0, 12)} pinned in mcp.lock is not in the cache (${cache.dirFor(spec.url)}), and ${(err as Error).message}`,
            where,
            'connect to the network (or fix access to the repository) once; after that this import works offline',
          );
        }
        if (!(await cache.hasCommit(spec.url, pin.commit)) && !(await cache.fetchCommit(spec.url, pin.commit)))
          throw located(
            'GIT_IMPORT',
            `${key}: the commit ${pin.commit} pinned in mcp.lock is not on ${spec.url} any more (history rewritten, or the branch deleted)`,
            where,
            `'${shellCommand(['mcpform', 'lock', '--update', key])}' pins what '${spec.ref}' is now; review the changes it prints`,
          );
      }
      if (opts.refresh) await fetchOnce(spec.url);
      const now = FULL_SHA.test(spec.ref) ? undefined : await cache.resolveRef(spec.url, spec.ref);
      const moved =
        now && now !== pin.commit
          ? { commit: now, ahead: await cache.isAncestor(spec.url, pin.commit, now) }
          : undefined;
      await cache.keep(spec.url, pin.commit);
      return { spec, commit: pin.commit, locked: true, pin, moved, files: new Map() };
    }
    if (opts.frozen) {
      const why = !pin
        ? 'mcp.lock has no pin for it'
        : pin.git !== spec.url
          ? `mcp.lock pins ${pin.git}, but mcp.yaml asks for ${spec.url}`
          : `mcp.lock pins ref '${pin.ref}', but mcp.yaml asks for '${spec.ref}'`;
      throw located(
        'LOCKFILE_FROZEN',
        `git import ${key}: ${why}, and --frozen-lockfile forbids resolving it`,
        where,
        "run 'mcpform lock' and commit mcp.lock",
      );
    }
    try {
      await fetchOnce(spec.url);
    } catch (err) {
      throw located('GIT_IMPORT', (err as Error).message, where, (err as McpformError).hint);
    }
    let commit = await cache.resolveRef(spec.url, spec.ref);
    if (!commit && FULL_SHA.test(spec.ref) && (await cache.fetchCommit(spec.url, spec.ref))) commit = spec.ref;
    if (!commit)
      throw located(
        'GIT_IMPORT',
        `${spec.url} has no tag, branch or commit '${spec.ref}'`,
        where,
        'check the ref in mcp.yaml (`git ls-remote URL` lists tags and branches)',
      );
    await cache.keep(spec.url, commit);
    return { spec, commit, locked: false, files: new Map() };
  };

  const readInto = async (st: ImportState, path: string, where: SourceLocation) => {
    const got = await cache.readFile(st.spec.url, st.commit, path);
    if ('problem' in got)
      return void st.files.set(path, { problem: `${st.spec.url} at ${st.spec.ref}: ${got.problem}` });
    const sha256 = `sha256:${createHash('sha256').update(got.text).digest('hex')}`;
    const locked = st.pin?.files[path];
    // The commit pins the content: a different hash means mcp.lock or the cache was tampered with.
    if (st.locked && locked && locked !== sha256)
      throw located(
        'IMPORT_TAMPERED',
        `${importKey(st.spec)}: ${path} at commit ${st.commit.slice(0, 12)} has ${sha256}, but mcp.lock recorded ${locked}; mcp.lock was edited or the cache (${cache.dirFor(st.spec.url)}) was tampered with`,
        where,
        `check the repository; delete the cache folder to fetch it again, or '${shellCommand(['mcpform', 'lock', '--update', importKey(st.spec)])}' to accept what it holds now`,
      );
    const ref: GitFileRef = {
      key: importKey(st.spec),
      url: st.spec.url,
      ref: st.spec.ref,
      commit: st.commit,
      path,
      sha256,
      locked: st.locked,
      moved: st.moved,
    };
    st.files.set(path, { text: got.text, ref });
  };

  return {
    read(spec, path) {
      const st = imports.get(importKey(spec));
      if (st && st.spec.ref !== spec.ref)
        return {
          problem: `${importKey(spec)} is imported at ref '${st.spec.ref}' and at ref '${spec.ref}'; import it once`,
        };
      return st?.files.get(path);
    },
    async prepare(pending) {
      // One at a time: imports of one repository share its clone and its fetch.
      for (const p of pending) {
        const key = importKey(p.spec);
        let st = imports.get(key);
        if (!st) imports.set(key, (st = await openImport(p.spec, p.where)));
        if (st.spec.ref !== p.spec.ref) continue; // read() reports it, located
        if (!st.files.has(p.path)) await readInto(st, p.path, p.where);
      }
    },
  };
}
