import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hasHidden } from '../../src/util/sanitize.js';
import { shellCommand, shellQuote } from '../../src/util/shell-quote.js';

const cwd = mkdtempSync(join(tmpdir(), 'mcpform-quote-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** What a shell makes of the printed words: each printed back, NUL-separated, exactly. */
function throughShell(shell: 'sh' | 'bash', quoted: readonly string[]): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${quoted.join(' ')}`], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8' },
  });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  '$(touch pwned)',
  '`touch pwned`',
  "it's $(touch pwned)",
  "'; touch pwned; '",
  'a"b$HOME\\c',
  '*',
  '~',
  '~/x',
  '#not-a-comment',
  'x#y',
  '=cmd',
  'a b\tc',
  'line\ntouch pwned',
  'esc\x1b[8mhidden',
  'bidi\u202eevil',
  `tag\u{e0041}`,
  '!!',
  '',
  '-rf',
  'profiles/base.mcp.yaml',
  'file:///tmp/repo#profiles/base.mcp.yaml',
];

describe('shellQuote: POSIX', () => {
  it('sh reads each hostile word back exactly, and runs nothing', () => {
    const plain = HOSTILE.filter((w) => !hasHidden(w)); // $'...' is for bash and zsh (dash has none)
    expect(
      throughShell(
        'sh',
        plain.map((w) => shellQuote(w)),
      ),
    ).toEqual(plain);
    expect(
      throughShell(
        'bash',
        HOSTILE.map((w) => shellQuote(w)),
      ),
    ).toEqual(HOSTILE);
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  });

  it('prints nothing a terminal would hide or act on', () => {
    for (const w of HOSTILE) expect(hasHidden(shellQuote(w))).toBe(false);
    expect(shellQuote('esc\x1b[8mhidden')).toBe("$'esc\\x1b[8mhidden'");
    expect(shellQuote(`it's\u202e`)).toBe("$'it\\'s\\u202e'");
  });

  it.each([
    ['a safe word stays bare', 'memory', {}, 'memory'],
    ['a git import key stays bare', 'file:///tmp/r#p/base.mcp.yaml', {}, 'file:///tmp/r#p/base.mcp.yaml'],
    ['always: quoted even when safe', 'profiles/base.mcp.yaml', { always: true }, "'profiles/base.mcp.yaml'"],
    ['a single quote', "it's", {}, "'it'\\''s'"],
    ['the empty word', '', {}, "''"],
  ])('%s', (_what, word, opts, expected) => {
    expect(shellQuote(word, opts)).toBe(expected);
  });

  it('any word without NUL reads back exactly through bash (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .string({ unit: 'binary', maxLength: 20 })
            .filter((s) => !s.includes('\0') && Buffer.from(s).toString() === s),
          { minLength: 1, maxLength: 80 },
        ),
        (words) => {
          expect(
            throughShell(
              'bash',
              words.map((w) => shellQuote(w)),
            ),
          ).toEqual(words);
        },
      ),
      { numRuns: 5 }, // a shell per run: many words each
    );
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  });

  it('shellCommand quotes every word', () => {
    expect(shellCommand(['mcpform', 'lock', '--update', "x'; touch pwned; '"])).toBe(
      "mcpform lock --update 'x'\\''; touch pwned; '\\'''",
    );
  });
});

describe('shellQuote: win32 (PowerShell, and cmd where one form serves both)', () => {
  it.each([
    ['a plain path stays bare', 'C:\\Users\\me\\mcp.json', 'C:\\Users\\me\\mcp.json'],
    ['spaces: double quotes, read alike by cmd and PowerShell', 'C:\\Program Files\\x', '"C:\\Program Files\\x"'],
    ['& and |: double quotes', 'a&calc|b', '"a&calc|b"'],
    ['$(...): a literal PowerShell string', '$(calc)', "'$(calc)'"],
    ['%VAR%: a literal PowerShell string', '%COMSPEC%', "'%COMSPEC%'"],
    ['a quote is doubled, typographic ones too', "it's $x \u2019", "'it''s $x \u2019\u2019'"],
    ['a comma or a leading @ is quoted', '@a,b', '"@a,b"'],
    ['hidden characters: built from visible parts', 'a\u202eb\x1b', "('a'+[char]0x202e+'b'+[char]0x001b)"],
    ['a tag character first', '\u{e0041}x', "(''+[char]::ConvertFromUtf32(0xe0041)+'x')"],
  ])('%s', (_what, word, expected) => {
    expect(shellQuote(word, { platform: 'win32' })).toBe(expected);
  });
});
