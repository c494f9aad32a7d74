import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/util/hash.js';

describe('sha256', () => {
  it('is SHA-256 of the UTF-8 bytes, spelled sha256:<hex>', () => {
    expect(sha256('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('é')).toBe(sha256(Buffer.from([0xc3, 0xa9])));
  });
});
