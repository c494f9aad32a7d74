import { sha256 } from '../util/hash.js';
import { readPrivate, writePrivate } from '../util/private-cache.js';

declare const __MCPFORM_BUILD__: string | undefined;
/** The build (scripts/build.mjs: its dependencies and parser): another build's entries never count. */
const BUILD = typeof __MCPFORM_BUILD__ === 'string' ? __MCPFORM_BUILD__ : 'dev';
/** mcp.yaml and its imports are refused over 1 MiB (config/source.ts); with their value, a few times that. */
const MAX_BYTES = 8 * 1024 * 1024;
const NOT_JSON = new Error('not JSON');

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
      const e = JSON.parse(data.toString('utf8')) as { build?: unknown; text?: unknown; value?: unknown };
      if (e.build === BUILD && e.text === text && 'value' in e) return { value: e.value };
    } catch {
      // not an entry: parse as always
    }
    return undefined;
  }

  /** Kept only if JSON carries it exactly: not ±Infinity, NaN or -0 (YAML has .inf, .nan, -0). */
  put(absPath: string, text: string, value: unknown): void {
    let json: string;
    try {
      json = JSON.stringify({ build: BUILD, text, value }, (_, v: unknown) => {
        if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) throw NOT_JSON;
        return v;
      });
    } catch {
      return;
    }
    if (json.length > MAX_BYTES) return;
    try {
      writePrivate(this.dir, this.entry(absPath), Buffer.from(json, 'utf8'));
    } catch {
      // a read-only or full disk: parsed again next time
    }
  }
}
