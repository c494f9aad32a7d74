import fc from 'fast-check';
import { createColors as picocolors } from 'picocolors';
import { describe, expect, it } from 'vitest';
import { colorsFor, createColors } from '../../src/util/colors.js';

const STYLES = ['bold', 'dim', 'red', 'green', 'yellow', 'cyan', 'gray'] as const;

describe('colors: picocolors output, without loading picocolors at start-up', () => {
  it('every style, nested in any order, writes the bytes picocolors writes', () => {
    const ours = createColors(true);
    const theirs = picocolors(true);
    const tree: fc.Arbitrary<(c: typeof ours) => string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string().map((s) => () => s),
        fc
          .tuple(
            fc.constantFrom(...STYLES),
            fc.array(tie('node') as fc.Arbitrary<(c: typeof ours) => string>, { maxLength: 3 }),
          )
          .map(
            ([style, kids]) =>
              (c: typeof ours) =>
                c[style](kids.map((k) => k(c)).join('')),
          ),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (render) => {
        expect(render(ours)).toBe(render(theirs as never));
      }),
    );
  });

  it('off, every style is the identity', () => {
    const c = createColors(false);
    for (const s of STYLES) expect(c[s]('a\x1b[1mb')).toBe('a\x1b[1mb');
  });

  it('colorsFor asks whether stdout is a TTY only when nothing else has decided', () => {
    let asked = 0;
    const tty = () => (asked++, true);
    expect(colorsFor(tty, true, { NO_COLOR: '1' }).isColorSupported).toBe(false);
    expect(colorsFor(tty, false, {}).isColorSupported).toBe(false);
    expect(colorsFor(tty, true, { TERM: 'dumb' }).isColorSupported).toBe(false);
    expect(colorsFor(tty, true, { FORCE_COLOR: '1', NO_COLOR: '1' }).isColorSupported).toBe(true);
    expect(asked).toBe(0);
    expect(colorsFor(tty, true, { NO_COLOR: '' }).isColorSupported).toBe(true);
    expect(colorsFor(() => false, true, {}).isColorSupported).toBe(false);
    expect(asked).toBe(1);
  });
});
