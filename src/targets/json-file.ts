import { McpformError } from '../errors.js';
import { readRegularFile } from '../util/fs.js';
import { sha256 } from '../util/hash.js';

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
  // Regular files only: a FIFO or a device would be waited on forever (doctor, init --import too).
  const read = readRegularFile(path, MAX_CONFIG_BYTES);
  if (read.ok) return configFileOf(read.data);
  if (read.reason === 'missing') return { exists: false, hash: null, text: '' };
  if (read.reason === 'directory' || read.reason === 'not-a-file' || read.reason === 'too-big') {
    const what = read.reason === 'not-a-file' ? read.kind : read.reason === 'directory' ? 'a directory' : 'over 64 MiB';
    throw new McpformError('INVALID_LIVE_CONFIG', `${path} is ${what}, not a config file; nothing was changed`, {
      hint: 'point the target at its real config file (targets.NAME.path in mcp.yaml)',
    });
  }
  throw new McpformError(
    'UNREADABLE',
    `${path} cannot be read (${read.code ?? 'unknown error'}); nothing was changed`,
    {
      hint: read.code === 'EACCES' ? 'check the file permissions' : undefined,
    },
  );
}

/** The bytes of a client file already in hand (a backup's), as `readConfigFile` gives them. */
export function configFileOf(data: Buffer): ConfigFile {
  return { exists: true, hash: sha256(data), text: data.toString('utf8') };
}

/** ~/.claude.json holds much else besides servers; no client file legitimately comes near this. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/** The indentation unit of a JSON text: a tab or a number of spaces (default 2). */
export function detectIndent(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length;
}
