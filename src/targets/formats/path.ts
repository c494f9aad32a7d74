/** A key path into a parsed config document: `['mcpServers', 'github']`, `['servers', 2]`. */
export type DocPath = readonly (string | number)[];

export function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function getIn(v: unknown, path: DocPath): unknown {
  let cur = v;
  for (const k of path) {
    if (Array.isArray(cur) && typeof k === 'number') cur = cur[k];
    else if (isPlain(cur) && Object.hasOwn(cur, k)) cur = cur[k as string];
    else return undefined;
  }
  return cur;
}

/** A copy of the document with `value` at `path`, missing parents created as maps. */
export function setIn(v: unknown, path: DocPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [k, ...rest] = path as [string, ...DocPath];
  const copy: Record<string, unknown> = isPlain(v) ? { ...v } : {};
  Object.defineProperty(copy, k, {
    value: setIn(copy[k], rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** The document without the value at `path` (a copy; `v` is not changed). */
export function withoutIn(v: unknown, path: DocPath): unknown {
  if (path.length === 0 || !isPlain(v)) return v;
  const [k, ...rest] = path as [string, ...DocPath];
  if (!Object.hasOwn(v, k)) return v;
  const copy = { ...v };
  if (rest.length === 0) delete copy[k];
  else copy[k] = withoutIn(copy[k], rest);
  return copy;
}
