/**
 * Equality of parsed config values (maps, lists, scalars), whatever the objects' prototypes,
 * for every format mcpform reads: JSON, JSONC, TOML (bigints, dates) and YAML (dates, NaN).
 * Not `util.isDeepStrictEqual`: it also compares prototypes, and smol-toml parses tables
 * into null-prototype objects, so a TOML client entry would never equal its rendering.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b);
  if (a instanceof Date && b instanceof Date) return a.toISOString() === b.toISOString();
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
