import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir } from '../../src/util/make-dir.js';
import { sandbox } from '../helpers.js';

describe('makeDir', () => {
  it('makes every missing level with the mode, and accepts one that exists', () => {
    const sb = sandbox();
    const deep = join(sb.dir, 'a', 'b', 'c');
    makeDir(deep, 0o700);
    makeDir(deep, 0o700);
    for (const d of [join(sb.dir, 'a'), join(sb.dir, 'a', 'b'), deep]) expect(statSync(d).mode & 0o777).toBe(0o700);
  });

  it('fails on a file in the way', () => {
    const sb = sandbox();
    writeFileSync(join(sb.dir, 'f'), '');
    expect(() => makeDir(join(sb.dir, 'f'))).toThrow(/EEXIST/);
    expect(() => makeDir(join(sb.dir, 'f', 'x'))).toThrow(/ENOTDIR/);
  });

  // Node's own recursive mkdir spins forever on this path (a libuv retry loop).
  it.runIf(existsSync('/proc/self'))('fails, not hangs, where a level can never be made (/proc/self/x/y)', () => {
    expect(() => makeDir('/proc/self/x/y', 0o700)).toThrow(/ENOENT/);
  });
});
