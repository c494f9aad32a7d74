import { describe, expect, it } from 'vitest';
import { closest } from '../../src/util/closest.js';

const targets = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'zed'];

describe('closest: the known word within edit distance 2 ("did you mean")', () => {
  it.each([
    ['cursr', 'cursor'], // one deletion
    ['CURSOR', 'cursor'], // case does not count
    ['vscdoe', 'vscode'], // a swap is two edits
    ['claude-cod', 'claude-code'], // the nearer of two close names
    ['zd', 'zed'],
    ['windsurf', undefined], // nothing near
    ['', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(closest(word, targets)).toBe(expected);
  });

  it('no candidates, no guess', () => {
    expect(closest('cursor', [])).toBeUndefined();
  });
});
