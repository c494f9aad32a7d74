/**
 * Words of a shell command mcpform prints for the user to copy (a `git diff` to review, a
 * `mcpform lock --update NAME`, a file to move). Names and paths in it may come from a
 * profile, a client file or a server: pasted, `$(...)`, a backquote or a `'` in one must stay
 * part of the word. Written here rather than taken from a library because the printed text
 * must also be safe to show: no control, bidi or zero-width character may reach the
 * terminal raw, which is `$'...'` (bash, zsh, POSIX.1-2024 sh) or a PowerShell expression.
 */

import { hasHidden } from './sanitize.js';

export interface QuoteOptions {
  /** The user's OS: on win32 the word is for PowerShell (and for cmd too where one form serves both). */
  platform?: NodeJS.Platform;
  /** Quote a word even when it needs none (`'profiles/base.mcp.yaml'`), so a reader sees where it ends. */
  always?: boolean;
}

// `#` starts a comment and `~` expands only at the start of a word; `=` at the start expands in zsh.
const POSIX_BARE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./#~-]*$/;
// Neither cmd (`,;=` split words, `%` expands) nor PowerShell (`,` makes an array, `@` splats) reads these specially.
const WIN_BARE = /^[A-Za-z0-9_+:./\\-][A-Za-z0-9_@+:./\\-]*$/;
// What double quotes do not protect in cmd (`%`, `!`, `"`) or in PowerShell (`$`, backquote, its typographic double quotes).
const WIN_DOUBLE_UNSAFE = /[%!"$`\u201c-\u201e]/;

/** One word, quoted so that the shell reads it back exactly. */
export function shellQuote(word: string, opts: QuoteOptions = {}): string {
  return opts.platform === 'win32' ? powershellWord(word, !!opts.always) : posixWord(word, !!opts.always);
}

/** A command line of words, each quoted as needed (the first, a program name mcpform chose, too). */
export function shellCommand(words: readonly string[], opts: QuoteOptions = {}): string {
  return words.map((w) => shellQuote(w, opts)).join(' ');
}

function posixWord(word: string, always: boolean): string {
  if (!always && POSIX_BARE.test(word)) return word;
  if (!hasHidden(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  // ANSI-C quoting: the word exactly, spelled with visible characters only.
  let out = '';
  for (const ch of word) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (!hasHidden(ch)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `$'${out}'`;
}

function powershellWord(word: string, always: boolean): string {
  if (!always && WIN_BARE.test(word)) return word;
  if (!hasHidden(word) && !WIN_DOUBLE_UNSAFE.test(word)) return `"${word}"`;
  if (!hasHidden(word)) return psSingle(word);
  // Hidden characters: a PowerShell expression that builds the word from visible parts.
  const parts: string[] = [];
  let run = '';
  for (const ch of word) {
    if (!hasHidden(ch)) {
      run += ch;
      continue;
    }
    if (run) parts.push(psSingle(run));
    run = '';
    const code = ch.codePointAt(0)!;
    parts.push(
      code < 0x10000
        ? `[char]0x${code.toString(16).padStart(4, '0')}`
        : `[char]::ConvertFromUtf32(0x${code.toString(16)})`,
    );
  }
  if (run) parts.push(psSingle(run));
  // A string first, so that `+` concatenates instead of adding character codes.
  if (!parts[0]!.startsWith("'")) parts.unshift("''");
  return `(${parts.join('+')})`;
}

/** PowerShell's literal string: nothing expands; a quote (its typographic ones too) is doubled. */
function psSingle(text: string): string {
  return `'${text.replace(/['\u2018-\u201b]/g, '$&$&')}'`;
}
