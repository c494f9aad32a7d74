/** A value that came from the environment or .env: shown as (sensitive), never written to a plan or lock. */
export class Secret {
  /**
   * `value`, and each variable's value inside it: what must be masked wherever it shows up.
   * `template`: the string as written, so `secrets: reference` can write the client's own
   * reference to each variable instead of its value.
   */
  constructor(
    readonly value: string,
    readonly parts: readonly string[] = [],
    readonly template: readonly TemplatePart[] = [],
  ) {}
  toString(): string {
    return '(sensitive)';
  }
  toJSON(): string {
    return '(sensitive)';
  }
}

/**
 * A literal run of the string as written, or one `${NAME}` / `${NAME:-fallback}` in it;
 * `defaulted` when NAME was unset or empty, so the fallback (text of mcp.yaml) was used.
 */
export type TemplatePart = string | { readonly name: string; readonly fallback?: string; readonly defaulted?: true };

export type Lookup = (name: string) => string | undefined;

const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}?/g;

export interface InterpolationResult {
  value: string | Secret;
  missing: string[];
  invalid: string[];
}

/**
 * Replaces `${VAR}` and `${VAR:-default}`; `$${` is a literal `${`. A string that
 * interpolated anything becomes a Secret (PRODUCT.md: anything interpolated is sensitive).
 */
export function interpolate(input: string, lookup: Lookup): InterpolationResult {
  const missing: string[] = [];
  const invalid: string[] = [];
  let used = false;
  const parts: string[] = [];
  const template: TemplatePart[] = [];
  let last = 0;
  const literal = (text: string) => {
    if (typeof template[template.length - 1] === 'string') template[template.length - 1] += text;
    else if (text) template.push(text);
  };
  const out = input.replace(
    REF,
    (match, name: string | undefined, fallback: string | undefined, bad: string | undefined, at: number) => {
      literal(input.slice(last, at));
      last = at + match.length;
      if (match === '$${') {
        literal('${');
        return '${';
      }
      if (name === undefined) {
        invalid.push(bad ?? match);
        literal(match);
        return match;
      }
      used = true;
      const v = lookup(name);
      const set = v !== undefined && v !== '';
      template.push(fallback === undefined ? { name } : set ? { name, fallback } : { name, fallback, defaulted: true });
      if (set) {
        parts.push(v);
        return v;
      }
      if (fallback !== undefined) return fallback;
      if (v === undefined) missing.push(name);
      return '';
    },
  );
  literal(input.slice(last));
  return { value: used ? new Secret(out, [out, ...parts], template) : out, missing, invalid };
}
