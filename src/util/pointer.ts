/** One JSON Pointer (RFC 6901) segment. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The key a pointer segment spells (`~1` is `/`, `~0` is `~`; in that order). */
export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${escapePointer(String(s))}`).join('');
}

/** `/servers/a~1b/0` -> `['servers', 'a/b', '0']`; the empty pointer is the whole document. */
export function splitPointer(ptr: string): string[] {
  return ptr ? ptr.slice(1).split('/').map(unescapePointer) : [];
}
