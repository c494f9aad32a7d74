/** One JSON Pointer (RFC 6901) segment. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${escapePointer(String(s))}`).join('');
}
