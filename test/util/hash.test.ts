import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/util/hash.js';

const native = (data: string | Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('sha256: JavaScript for short input, OpenSSL for long, one digest', () => {
  it('strings and buffers on both sides of the 4 KiB switch', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 9000 }), (s) => {
        expect(sha256(s)).toBe(native(s));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9000 }), (a) => {
        expect(sha256(Buffer.from(a))).toBe(native(Buffer.from(a)));
      }),
      { numRuns: 300 },
    );
  });

  it('exactly at the switch, and with lone surrogates (hashed as their UTF-8 replacement)', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 4095, 4096, 4097])
      for (const s of ['a'.repeat(n), 'é'.repeat(n >> 1)]) expect(sha256(s)).toBe(native(s));
    expect(sha256('\ud800x')).toBe(native('\ud800x'));
  });
});
