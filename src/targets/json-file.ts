import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { McpformError } from '../errors.js';

export function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface ConfigFile {
  exists: boolean;
  hash: string | null;
  /** The text as read, a BOM included (writes keep it). */
  text: string;
}

/**
 * Reads a client config file without ever guessing: missing is `exists: false`; a directory
 * or an unreadable file is an error that says nothing was changed. Parsing is the format's.
 */
export function readConfigFile(path: string): ConfigFile {
  try {
    if (statSync(path).isDirectory()) {
      throw new McpformError('INVALID_LIVE_CONFIG', `${path} is a directory, not a config file; nothing was changed`);
    }
    const buf = readFileSync(path);
    return { exists: true, hash: sha256(buf), text: buf.toString('utf8') };
  } catch (err) {
    if (err instanceof McpformError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { exists: false, hash: null, text: '' };
    throw new McpformError('UNREADABLE', `${path} cannot be read (${code ?? String(err)}); nothing was changed`, {
      hint: code === 'EACCES' ? 'check the file permissions' : undefined,
      cause: err,
    });
  }
}

/** The indentation unit of a JSON text: a tab or a number of spaces (default 2). */
export function detectIndent(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length;
}
