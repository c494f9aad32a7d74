import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { McpformError } from '../errors.js';

export function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface JsonFile {
  exists: boolean;
  hash: string | null;
  text: string;
  value: unknown;
  indent: string | number;
}

/**
 * Reads a JSON config file without ever guessing: missing is `exists: false`; a directory,
 * an unreadable file or invalid JSON is an INVALID_LIVE_CONFIG error naming line and column.
 */
export function readJsonFile(path: string): JsonFile {
  let buf: Buffer;
  try {
    if (statSync(path).isDirectory()) {
      throw new McpformError(
        'INVALID_LIVE_CONFIG',
        `${path} is a directory, not a JSON config file; nothing was changed`,
      );
    }
    buf = readFileSync(path);
  } catch (err) {
    if (err instanceof McpformError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { exists: false, hash: null, text: '', value: undefined, indent: 2 };
    throw new McpformError('UNREADABLE', `${path} cannot be read (${code ?? String(err)}); nothing was changed`, {
      hint: code === 'EACCES' ? 'check the file permissions' : undefined,
      cause: err,
    });
  }
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { exists: true, hash: sha256(buf), text, value: undefined, indent: 2 };
  try {
    return { exists: true, hash: sha256(buf), text, value: JSON.parse(text), indent: detectIndent(text) };
  } catch (err) {
    const { line, col } = jsonErrorPosition(text, err as Error);
    const why = (err as Error).message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/\s*\(line \d+ column \d+\)/, '');
    throw new McpformError(
      'INVALID_LIVE_CONFIG',
      `${path}:${line}:${col} is not valid JSON (${why}); mcpform will not overwrite it`,
      {
        hint: 'fix the file by hand (or restore it with `mcpform rollback`), then run again',
      },
    );
  }
}

function jsonErrorPosition(text: string, err: Error): { line: number; col: number } {
  const m = /line (\d+) column (\d+)/.exec(err.message);
  if (m) return { line: Number(m[1]), col: Number(m[2]) };
  const p = /position (\d+)/.exec(err.message);
  const offset = p ? Number(p[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/** The indentation unit of a JSON text: a tab or a number of spaces (default 2). */
export function detectIndent(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length;
}
