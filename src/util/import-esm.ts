/** Where cli/boot.ts lends its import() (see there). */
export const LENT_IMPORT = Symbol.for('mcpform.import');

/**
 * `import()` of an ESM-only package (execa), from any bundle. The everyday bundles are plain
 * scripts that cli/boot.ts runs through V8's code cache, and on Node 20 a script compiled
 * from cached data cannot run `import()` (its module loader is lost with the cache), so
 * boot, an ordinary module, lends its own. In tests (sources, not bundles) there is none.
 */
export function importEsm<T>(specifier: string): Promise<T> {
  const lent = (globalThis as Record<symbol, ((s: string) => Promise<unknown>) | undefined>)[LENT_IMPORT];
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}
