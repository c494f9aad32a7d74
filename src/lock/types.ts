/** mcp.lock, version 1: what was resolved, and what each server's tools looked like. */
export interface LockFile {
  lockfileVersion: 1;
  servers: Record<string, LockEntry>;
  /** Git imports by `URL#PATH`: the ref asked for, the commit it resolved to, each file's sha256. */
  imports?: Record<string, GitImportLock>;
}

export interface GitImportLock {
  git: string;
  ref: string;
  commit: string;
  files: Record<string, string>;
}

export interface LockEntry {
  package?: PackageLock;
  tools?: ToolsLock;
}

export interface PackageLock {
  name: string;
  /** The range mcp.yaml asked for when this was resolved. */
  requested: string;
  version: string;
  integrity: string;
}

export interface ToolsLock {
  /** Sorted tool names. */
  names: string[];
  /** sha256 over the canonical tools list: names, descriptions, input schemas. */
  fingerprint: string;
  /** Per tool, so a change can be named tool by tool (and reviewed in a diff). */
  details: Record<string, { description: string; inputSchema: string }>;
}

export const EMPTY_LOCK: LockFile = { lockfileVersion: 1, servers: {} };
