import type { GitImportPin } from '../config/git/reader.js';

/** mcp.lock, version 1: what was resolved, and what each server's tools looked like. */
export interface LockFile {
  lockfileVersion: 1;
  servers: Record<string, LockEntry>;
  /** Git imports by `URL#PATH`: the ref asked for, the commit it resolved to, each file's sha256. */
  imports?: Record<string, GitImportPin>;
}

/** mcp.lock as read, plus what this run changed in it. */
export interface OpenLock {
  path: string;
  lock: LockFile;
  text: string | null;
  changed: string[];
  /**
   * What this run set, per server: saveLock re-reads mcp.lock under its file mutex and applies
   * these, so parallel runs (other environments, other targets) keep each other's work.
   */
  edits: Map<string, LockEntry>;
  /** Git import pins this run sets (null: removes), applied the same way. */
  importEdits: Map<string, GitImportPin | null>;
}

export interface LockEntry {
  package?: PackageLock;
  tools?: ToolsLock;
  /** `test: { skip: true }`: lock does not start the server, so no fingerprint is taken. */
  skipped?: true;
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
