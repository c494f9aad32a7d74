import { sha256 } from '../util/hash.js';
import { privateDir, prunePrivate, readPrivate, writePrivate } from '../util/private-cache.js';

declare const __MCPFORM_BUILD__: string | undefined;
/** The build (scripts/build.mjs: its dependencies, the parser and this file): another build's entries never count. */
const BUILD = typeof __MCPFORM_BUILD__ === 'string' ? __MCPFORM_BUILD__ : 'dev';
/** mcp.yaml and its imports are refused over 1 MiB (config/source.ts); with their value, a few times that. */
const MAX_BYTES = 8 * 1024 * 1024;
const NOT_JSON = new Error('not JSON');
const MONTH = 30 * 24 * 3600 * 1000;
/** The entries' shape: a new one makes old entries misses. */
const FORMAT = 2;

/**
 * YAML files as plain values, kept between runs in the cache dir (`<cache dir>/yaml/`). After
 * start-up, parsing mcp.yaml is the biggest part of a `validate` or `plan`: the yaml library
 * runs cold in V8's interpreter, 5 ms for 60 lines, every run. Only a file that parsed with no
 * problem at all is kept, with its whole text, and an entry counts only for that very text
 * (and this build): anything else is parsed as always. Where a value is in the file (for a
 * message) is found by parsing again, on demand (config/source.ts).
 */
export class ParseCache {
  constructor(private readonly dir: string) {}

  private entry(absPath: string): string {
    return `${sha256(absPath).slice(7, 39)}.json`;
  }

  get(absPath: string, text: string): { value: unknown } | undefined {
    const data = readPrivate(this.dir, this.entry(absPath), MAX_BYTES);
    if (!data) return undefined;
    try {
      const e = JSON.parse(data.toString('utf8')) as {
        format?: unknown;
        build?: unknown;
        text?: unknown;
        value?: unknown;
      };
      if (e.format === FORMAT && e.build === BUILD && e.text === text && 'value' in e) return { value: e.value };
    } catch {
      // not an entry: parse as always
    }
    return undefined;
  }

  /**
   * Kept only if JSON carries it exactly: plain maps, lists, strings, booleans, null and finite
   * numbers, each object once. Not ±Infinity, NaN or -0 (YAML has .inf, .nan, -0), not a Date
   * (`%YAML 1.1` timestamps), and not a document with aliases: toJS shares one object between
   * an anchor and its aliases, which JSON would copy (code that edits one would then not edit
   * the other). Nor anything whose text would pass MAX_BYTES (aliases can expand a lot).
   */
  put(absPath: string, text: string, value: unknown): void {
    // A read-only or shared cache dir: nothing would be kept, so do not serialize.
    if (!privateDir(this.dir)) return;
    const seen = new WeakSet<object>();
    let size = 0;
    let json: string;
    try {
      // A function, for `this`: the raw value, before JSON.stringify calls a Date's toJSON.
      json = JSON.stringify(
        { format: FORMAT, build: BUILD, text, value },
        function (this: unknown, k: string, v: unknown) {
          const raw = (this as Record<string, unknown>)[k];
          if (typeof raw === 'string') {
            if ((size += raw.length) > MAX_BYTES) throw NOT_JSON;
          } else if (typeof raw === 'number') {
            if (!Number.isFinite(raw) || Object.is(raw, -0)) throw NOT_JSON;
          } else if (typeof raw === 'object' && raw !== null) {
            const proto = Object.getPrototypeOf(raw) as unknown;
            if (!Array.isArray(raw) && proto !== Object.prototype && proto !== null) throw NOT_JSON;
            if (seen.has(raw)) throw NOT_JSON;
            seen.add(raw);
          } else if (typeof raw !== 'boolean' && raw !== null) throw NOT_JSON; // undefined, bigint, ...
          return v;
        },
      );
    } catch {
      return;
    }
    try {
      if (!writePrivate(this.dir, this.entry(absPath), Buffer.from(json, 'utf8'))) return;
      // Entries of files not parsed anew for a month go (a project deleted, a CI checkout): the
      // cache holds copies of mcp.yaml files and must not keep them for good. (A file still in
      // use is parsed once more, then kept again.)
      prunePrivate(this.dir, MONTH);
    } catch {
      // a read-only or full disk: parsed again next time
    }
  }
}
