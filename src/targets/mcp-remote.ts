import type { ClientEntry } from './types.js';

/** A remote server reached through the `mcp-remote` stdio bridge, read back from its entry. */
export interface BridgedRemote {
  url: string;
  headers: Record<string, string>;
  transport?: 'http' | 'sse';
}

const TRANSPORTS: Record<string, 'http' | 'sse' | undefined> = {
  'http-only': 'http',
  'sse-only': 'sse',
  'http-first': undefined,
  'sse-first': undefined,
};

/**
 * `npx [-y] mcp-remote[@latest] URL [--header NAME:VALUE]... [--transport T]`, as Claude
 * Desktop users write it: the URL, its headers (a `${VAR}` in a header is taken from the
 * entry's env, as mcp-remote does) and the transport. Undefined for anything else, and for
 * a bridge with options a `url:` server cannot say (`--allow-http`, a pinned version, other
 * env), so that nothing the entry does is lost.
 */
export function parseMcpRemote(entry: ClientEntry): BridgedRemote | undefined {
  if (typeof entry.command !== 'string' || !/^npx(\.cmd)?$/i.test(entry.command.replace(/^.*[/\\]/, ''))) return;
  if (!Array.isArray(entry.args) || !entry.args.every((a) => typeof a === 'string')) return;
  const args = [...(entry.args as string[])];
  while (args[0] === '-y' || args[0] === '--yes') args.shift();
  if (!/^mcp-remote(@latest)?$/.test(args.shift() ?? '')) return;
  const url = args.shift();
  if (!url || !/^https?:\/\//.test(url)) return;
  const env = (entry.env ?? {}) as Record<string, unknown>;
  if (typeof env !== 'object' || Array.isArray(env)) return;
  const used = new Set<string>();
  const headers: Record<string, string> = {};
  let transport: BridgedRemote['transport'];
  while (args.length) {
    const flag = args.shift()!;
    const value = args.shift();
    if (value === undefined) return;
    if (flag === '--transport' && value in TRANSPORTS) transport = TRANSPORTS[value];
    else if (flag === '--header') {
      const m = /^([^:\s]+)\s*:\s*(.*)$/s.exec(value);
      if (!m) return;
      let missing = false;
      const expanded = m[2]!.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_all, name: string) => {
        used.add(name);
        if (typeof env[name] !== 'string') missing = true;
        return String(env[name] ?? '');
      });
      if (missing) return;
      headers[m[1]!] = expanded;
    } else return;
  }
  if (Object.keys(env).some((k) => !used.has(k))) return;
  return { url, headers, ...(transport ? { transport } : {}) };
}
