import type { DesiredServer } from '../../config/types.js';
import { escapePointer } from '../../util/pointer.js';
import { defineClient } from '../define.js';
import { isPlain } from '../formats/path.js';
import type { ClientEntry, RenderedEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderStdio } from './render.js';

/**
 * A remote server as Codex spells it. Codex has no `${}` interpolation and refuses an inline
 * token, but reads variable NAMES: a header declared as exactly `${VAR}` becomes
 * `env_http_headers = { Header = "VAR" }`, `Authorization: Bearer ${VAR}` becomes
 * `bearer_token_env_var = "VAR"` (Codex then needs VAR in the environment it starts with,
 * not only in mcp.yaml's .env). Any other header — a literal secret included — is written as
 * its value in `http_headers`, masked in plans like every client's secret values. No `type`
 * key: Codex rejects unknown keys under --strict-config.
 */
function renderCodexRemote(server: DesiredServer): RenderedEntry {
  const sensitive = new Set<string>();
  const entry: ClientEntry = { url: server.url };
  if (server.sensitive.has('/url')) sensitive.add('/url');
  const http: Record<string, string> = {};
  const fromEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(server.headers)) {
    const ptr = `/headers/${escapePointer(name)}`;
    const parts = server.references?.[ptr] ?? [];
    const variable = (p: unknown) =>
      typeof p === 'object' && p !== null && !('fallback' in p && p.fallback !== undefined)
        ? (p as { name: string }).name
        : undefined;
    const whole = parts.length === 1 ? variable(parts[0]) : undefined;
    const bearer =
      name.toLowerCase() === 'authorization' && parts.length === 2 && parts[0] === 'Bearer '
        ? variable(parts[1])
        : undefined;
    if (bearer && entry.bearer_token_env_var === undefined) entry.bearer_token_env_var = bearer;
    else if (whole) fromEnv[name] = whole;
    else {
      http[name] = value;
      if (server.sensitive.has(ptr)) sensitive.add(`/http_headers/${escapePointer(name)}`);
    }
  }
  if (Object.keys(http).length) entry.http_headers = http;
  if (Object.keys(fromEnv).length) entry.env_http_headers = fromEnv;
  return { entry, sensitive };
}

/**
 * Codex CLI: `$CODEX_HOME/config.toml` (default `~/.codex/config.toml`, also on Windows),
 * one `[mcp_servers.NAME]` table per server; comments and every other table keep their
 * bytes (text-range splices, src/targets/formats/toml.ts). A CLI: servers get its shell's
 * environment.
 */
export const codex = defineClient({
  name: 'codex',
  format: 'toml',
  launch: 'cli',
  // the session's cwd (`-C`) (openai/codex codex-rs rmcp-client; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // Rust's which resolves npx.cmd through PATHEXT
  remote: 'native',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'bearer_token_env_var', 'http_headers', 'env_http_headers'],
  serversPath: () => ['mcp_servers'],
  resolvePath: (ctx) => {
    const { join } = pathsOf(ctx);
    return join(ctx.env.CODEX_HOME || join(ctx.home, '.codex'), 'config.toml');
  },
  render: (server, pins) => (server.kind === 'url' ? renderCodexRemote(server) : renderStdio(server, pins)),
  toCanonical: (entry, env) => {
    if (typeof entry.url !== 'string') return entry;
    const { url, bearer_token_env_var: bearer, http_headers: http, env_http_headers: fromEnv, ...rest } = entry;
    const value = (name: string) => (env && env[name] !== undefined ? env[name]! : '${' + name + '}');
    const headers: Record<string, string> = {};
    if (isPlain(http)) for (const [k, v] of Object.entries(http)) headers[k] = String(v);
    if (isPlain(fromEnv)) for (const [k, v] of Object.entries(fromEnv)) headers[k] = value(String(v));
    if (typeof bearer === 'string') headers.Authorization = `Bearer ${value(bearer)}`;
    return { ...rest, type: 'http', url, ...(Object.keys(headers).length ? { headers } : {}) };
  },
});
