import type { YAMLError } from 'yaml';

/**
 * The YAML parser's messages for the mistakes people really make in a hand-edited mcp.yaml,
 * said in their terms and placed where the mistake is (the parser often notices it a line or
 * more later: at the end of the file for a quote never closed). Anything else keeps the
 * parser's own message.
 */
export interface YamlHint {
  /** An open quote swallows what follows, so a bracket "never closed" after one is its echo. */
  kind: 'quote' | 'bracket' | 'indent';
  message: string;
  line: number;
  col: number;
}

const keyOf = (line: string) => /^(\s*)(- )?([^\s:#][^:#]*):(\s|$)/.exec(line);
const indentOf = (line: string) => /^ */.exec(line)![0].length;

export function yamlHint(
  e: YAMLError,
  lines: readonly string[],
  at: { line: number; col: number },
): YamlHint | undefined {
  const message = e.message;
  if (e.code === 'TAB_AS_INDENT')
    return {
      ...at,
      kind: 'indent',
      message: 'a tab is used for indentation; YAML indents with spaces only: replace the tab with spaces',
    };
  if (e.code === 'MISSING_CHAR' && /quote/.test(message)) return unclosedQuote(lines, at);
  if (e.code === 'BAD_INDENT' && /Flow sequence|Flow mapping/.test(message)) return unclosedFlow(lines, at);
  if (e.code === 'BAD_INDENT' && /same column/.test(message)) return misaligned(lines, at.line);
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY') {
    // `command: npx` followed by a line indented deeper: the parser sees a value going on.
    const next = lines.findIndex((l, i) => i >= at.line && l.trim() !== '' && !l.trim().startsWith('#'));
    if (next < 0) return undefined;
    return misaligned(lines, next + 1);
  }
  return undefined;
}

/** A key not lined up with the keys of its map: name both, with their columns. */
function misaligned(lines: readonly string[], lineNo: number): YamlHint | undefined {
  const line = lines[lineNo - 1];
  const key = line === undefined ? null : keyOf(line);
  if (!key) return undefined;
  const have = indentOf(line!);
  // The nearest key above that is not deeper than this map's parent: the one it should match.
  for (let i = lineNo - 2; i >= 0; i--) {
    const above = keyOf(lines[i]!);
    if (!above) continue;
    const want = indentOf(lines[i]!);
    if (want === have) return undefined;
    const how = have > want ? 'more' : 'less';
    return {
      kind: 'indent',
      line: lineNo,
      col: have + 1,
      message:
        `'${key[3]!.trim()}:' is indented ${have} spaces, ${how} than '${above[3]!.trim()}:' on line ${i + 1} (${want}); ` +
        'keys of one map must start at the same column: line it up',
    };
  }
  return undefined;
}

/** The line where a quote was opened and never closed (the parser reports where it gave up). */
function unclosedQuote(lines: readonly string[], at: { line: number; col: number }): YamlHint | undefined {
  for (let i = 0; i < Math.min(at.line, lines.length); i++) {
    const open = openQuote(lines[i]!);
    if (open !== undefined)
      return {
        kind: 'quote',
        line: i + 1,
        col: open.col + 1,
        message: `the ${open.quote === '"' ? 'double' : 'single'} quote opened here is never closed: add the closing ${open.quote} at the end of the value`,
      };
  }
  return undefined;
}

/** The column of a quote left open on this line, ignoring comments and escaped quotes. */
function openQuote(line: string): { quote: string; col: number } | undefined {
  let open: { quote: string; col: number } | undefined;
  for (let c = 0; c < line.length; c++) {
    const ch = line[c]!;
    if (open) {
      if (open.quote === '"' && ch === '\\') c++;
      else if (ch === open.quote) {
        if (open.quote === "'" && line[c + 1] === "'")
          c++; // '' inside single quotes
        else open = undefined;
      }
    } else if (ch === '#' && (c === 0 || /\s/.test(line[c - 1]!))) break;
    else if ((ch === '"' || ch === "'") && (c === 0 || /[\s[{,:]/.test(line[c - 1]!))) open = { quote: ch, col: c };
  }
  return open;
}

/** The `[` or `{` never closed before the parser gave up. */
function unclosedFlow(lines: readonly string[], at: { line: number; col: number }): YamlHint | undefined {
  const stack: { ch: string; line: number; col: number }[] = [];
  for (let i = 0; i < Math.min(at.line, lines.length); i++) {
    const line = lines[i]!;
    let quote: string | undefined;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c]!;
      if (quote) {
        if (ch === '\\' && quote === '"') c++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '#' && (c === 0 || /\s/.test(line[c - 1]!))) break;
      else if (ch === '[' || ch === '{') stack.push({ ch, line: i + 1, col: c + 1 });
      else if ((ch === ']' || ch === '}') && stack.length) stack.pop();
    }
  }
  const open = stack[stack.length - 1];
  if (!open) return undefined;
  const close = open.ch === '[' ? ']' : '}';
  return {
    kind: 'bracket',
    line: open.line,
    col: open.col,
    message: `the ${open.ch === '[' ? 'list' : 'map'} opened here with '${open.ch}' is never closed: add '${close}' after its last item`,
  };
}
