/** A plain `{...}` map; class instances (such as a Secret) and arrays are values. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * JSON Merge Patch (RFC 7396): maps merge deeply, lists and scalars replace, `null`
 * deletes. Never mutates its inputs.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else defineKey(out, key, mergePatch(out[key], value));
  }
  return out;
}

// Plain assignment to a key named `__proto__` would change the prototype instead.
function defineKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
