import { isScalar, parseDocument, type Scalar, type ScalarTag, type Tags } from 'yaml';
import { McpformError } from '../../errors.js';
import { hasHidden } from '../../util/sanitize.js';

/**
 * How strings are written into a client's YAML file. Goose reads it through libyaml (YAML
 * 1.1), where U+0085, U+2028 and U+2029 are line breaks even inside a plain scalar: a value
 * written raw would end its line there and start a key of the attacker's choosing. YAML 1.1
 * also reads plain `yes`, `off`, `0755` or `1:30` as a boolean or a number. So a string
 * that holds any character a reader cannot see, or whose plain form YAML 1.1 reads as
 * something else, is written double-quoted on one line, every such character escaped —
 * what both YAML 1.1 and 1.2 readers take back as the same string.
 */

const NAMED: Record<string, string> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\u0085': '\\N',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

/** Not printable for libyaml, though not hidden either: escaped too. */
const NON_CHARACTER = /[\ufffe\uffff]/;

// A tab counts: libyaml takes one in a plain scalar, PyYAML's pure reader refuses it. Astral
// characters (tag characters) stay raw: printable for every YAML reader, where a `\U` escape
// is misread by some.
const risky = (ch: string) => ch !== '\n' && ch.length === 1 && (hasHidden(ch) || NON_CHARACTER.test(ch));

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0)!;
  if (code >= 0xd800 && code <= 0xdfff)
    throw new McpformError(
      'UNSUPPORTED_BY_CLIENT',
      `a value holds a lone surrogate (U+${code.toString(16).toUpperCase()}), which no YAML file can hold; nothing was written`,
    );
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The string double-quoted on one line, with every risky character (and `\n`) escaped. */
export function escapedYamlString(value: string): string {
  let out = '"';
  for (const ch of value) out += risky(ch) || ch in NAMED ? escapeChar(ch) : ch;
  return `${out}"`;
}

/** Whether YAML 1.1 reads `text` as a plain scalar of another type (or as no scalar at all). */
function plainMeansOtherIn11(text: string): boolean {
  // `=` (the value key) and `<<` (merge) are tags of their own for PyYAML-like readers.
  if (text === '=' || text === '<<') return true;
  const doc = parseDocument(text, { version: '1.1' });
  return doc.errors.length > 0 || !isScalar(doc.contents) || doc.contents.value !== text;
}

/** The yaml library's schema tags with `str` replaced by the one above. */
export function yaml11SafeTags(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag === 'string' || !('tag' in tag) || tag.tag !== 'tag:yaml.org,2002:str') return tag;
    const base = tag as ScalarTag;
    const safe: ScalarTag = {
      ...base,
      stringify(item, ctx, onComment, onChompKeep) {
        // A scalar read from the file is the user's: written as the library always did.
        if ((item as Scalar).range) return base.stringify!(item, ctx, onComment, onChompKeep);
        const value = String((item as Scalar).value);
        if ([...value].some(risky)) return escapedYamlString(value);
        const out = base.stringify!(item, ctx, onComment, onChompKeep);
        if (out !== value || !plainMeansOtherIn11(value)) return out;
        return base.stringify!({ ...item, type: 'QUOTE_DOUBLE' } as Scalar, ctx, onComment, onChompKeep);
      },
    };
    return safe;
  });
}
