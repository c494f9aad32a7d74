// The stage's verdicts, pure: what a client reported against what was declared.

/** The servers each sandbox holds. `dir` keeps the memory files apart per sandbox. */
export function scenario({ memoryServer, url, dir, remote, kinds = ['stdio', 'env', 'http'] }) {
  const stdio = (file) => ({
    command: 'node',
    args: [memoryServer],
    ...(file ? { env: { MEMORY_FILE_PATH: `${dir}/${file}.jsonl` } } : {}),
  });
  const pick = (servers) => Object.fromEntries(Object.entries(servers).filter(([, s]) => remote || !s.url));
  return {
    managed: pick({ 'mf-stdio': stdio(), 'mf-env': stdio('mf-env'), 'mf-http': { url } }),
    // Only the kinds the client's own `mcp add` can make.
    hand: pick(
      Object.fromEntries(
        Object.entries({ 'hand-stdio': stdio(), 'hand-env': stdio('hand-env'), 'hand-http': { url } }).filter(([n]) =>
          kinds.includes(n.slice('hand-'.length)),
        ),
      ),
    ),
  };
}

/** Field by field, what the client reports that differs from the declaration ([] when none). */
export function fieldDifferences(want, got) {
  const out = [];
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  if (want.url) {
    if (got.url !== want.url) out.push(`url ${JSON.stringify(got.url)}, want ${JSON.stringify(want.url)}`);
    return out;
  }
  if (got.command !== want.command)
    out.push(`command ${JSON.stringify(got.command)}, want ${JSON.stringify(want.command)}`);
  if (!same(got.args ?? [], want.args)) out.push(`args ${JSON.stringify(got.args)}, want ${JSON.stringify(want.args)}`);
  if (got.envHidden) return out; // the client does not print it: its connection vouches for it
  const gotEnv = got.env ?? {};
  for (const [k, v] of Object.entries(want.env ?? {}))
    if (gotEnv[k] !== v) out.push(`env.${k} ${JSON.stringify(gotEnv[k])}, want ${JSON.stringify(v)}`);
  for (const k of Object.keys(gotEnv)) if (!(k in (want.env ?? {}))) out.push(`env.${k} not declared`);
  return out;
}

/**
 * How the client's own entry is shaped next to mcpform's for the same kind of server: paths
 * present on one side only, and `type` values that differ. Values that differ by design
 * (the memory file's path) are not compared.
 */
export function shapeDifferences(clientEntry, mcpformEntry) {
  const flat = (value, prefix = '', out = new Map()) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (!Object.keys(value).length) out.set(prefix, '{}');
      for (const [k, v] of Object.entries(value)) flat(v, prefix ? `${prefix}.${k}` : k, out);
    } else out.set(prefix, prefix === 'type' ? JSON.stringify(value) : Array.isArray(value) ? 'array' : typeof value);
    return out;
  };
  const a = flat(clientEntry ?? {});
  const b = flat(mcpformEntry ?? {});
  const out = [];
  for (const [k, v] of a) if (!b.has(k)) out.push(`+${k}${v === '{}' ? ' = {}' : ''}`);
  for (const [k] of b) if (!a.has(k)) out.push(`-${k}`);
  for (const [k, v] of a) if (b.has(k) && b.get(k) !== v) out.push(`${k}: ${v} (mcpform: ${b.get(k)})`);
  return out;
}
