import type { SourceLocation } from '../../errors.js';
import type { GitImportSpec } from './spec.js';

/** Where a file read from git came from: the import, the commit, and its content hash. */
export interface GitFileRef {
  /** The import it belongs to (`URL#PATH`, as in mcp.lock). */
  readonly key: string;
  readonly url: string;
  readonly ref: string;
  readonly commit: string;
  /** The file inside the repository. */
  readonly path: string;
  readonly sha256: string;
  /** The commit came from mcp.lock (false: resolved now, to be written). */
  readonly locked: boolean;
  /** The ref points elsewhere than the locked commit (as the cache last saw it, or after --refresh). */
  readonly moved?: { readonly commit: string; readonly ahead: boolean };
}

/** What mcp.lock pins for one git import (`URL#PATH`): the ref asked for, its commit, each file's sha256. */
export interface GitImportPin {
  git: string;
  ref: string;
  commit: string;
  files: Record<string, string>;
}

/**
 * mcp.lock's git import pins for the mcp.yaml at `configFile` (lock/git-pins.ts). The loader
 * takes them from its caller, so config/ never reads mcp.lock itself (lock/ builds on config/).
 */
export type GitPinsReader = (configFile: string) => Promise<Readonly<Record<string, GitImportPin>>>;

/** One git import as the lock records it, with what a profile diff needs. */
export interface GitImportState {
  readonly key: string;
  readonly url: string;
  readonly ref: string;
  readonly commit: string;
  /** Every file read from the repository (the import and its relative imports) -> sha256. */
  readonly files: Readonly<Record<string, string>>;
  readonly locked: boolean;
  readonly moved?: { readonly commit: string; readonly ahead: boolean };
  /** The server definitions in its files, as written (for `lock --update`'s profile diff). */
  readonly servers: Readonly<Record<string, unknown>>;
}

/** A file the loader needs from git before it can go on. */
export interface GitPendingRead {
  spec: GitImportSpec;
  path: string;
  /** The import entry that asked for it (for located errors). */
  where: SourceLocation;
}

/**
 * What readProject (synchronous) asks for git files. undefined: not fetched yet; the loader
 * fetches everything pending (asynchronously) and reads the project again.
 */
export interface GitReader {
  read(spec: GitImportSpec, path: string): { text: string; ref: GitFileRef } | { problem: string } | undefined;
}

/** Thrown by readProject when git files are needed; the loader catches it (never the user). */
export class GitImportsPending extends Error {
  constructor(readonly pending: GitPendingRead[]) {
    super(
      `bug: this command read mcp.yaml without its git imports (${pending.map((p) => p.spec.url).join(', ')}); please report it`,
    );
  }
}
