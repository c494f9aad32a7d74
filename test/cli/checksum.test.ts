import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksum } from '../../src/cli/checksum.js';

/** The same sums in plain JavaScript (see src/cli/checksum.ts). */
function reference(data: Uint8Array): number {
  const padded = Buffer.alloc((data.length + 3) & ~3);
  padded.set(data);
  let a = 1;
  let b = 0;
  for (let i = 0; i < padded.length; i += 4) {
    a = (a + padded.readInt32LE(i)) | 0;
    b = (b + a) | 0;
  }
  return (a ^ ((b << 16) | (b >>> 16)) ^ data.length) >>> 0;
}

describe('the compile cache checksum (WebAssembly)', () => {
  it('agrees with its JavaScript reference, from empty to past one memory page', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200_000 }), (data) => {
        expect(checksum(data)).toBe(reference(data));
      }),
      { numRuns: 60 },
    );
    for (const n of [0, 1, 3, 4, 5, 65_535, 65_536, 65_537, 600_000])
      expect(checksum(new Uint8Array(n).fill(0xa5))).toBe(reference(new Uint8Array(n).fill(0xa5)));
  });

  it('any one flipped bit, or a byte more or less, changes it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 5000 }), fc.nat(), fc.nat(7), (data, at, bit) => {
        const flipped = Uint8Array.from(data);
        flipped[at % data.length]! ^= 1 << bit;
        expect(checksum(flipped)).not.toBe(checksum(data));
        expect(checksum(data.subarray(0, data.length - 1))).not.toBe(checksum(data));
      }),
    );
    // Zero bytes appended would vanish in the padding, but not from the length.
    expect(checksum(Uint8Array.from([1, 2]))).not.toBe(checksum(Uint8Array.from([1, 2, 0])));
  });
});
