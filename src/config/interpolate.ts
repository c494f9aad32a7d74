/** A value that came from the environment or .env: shown as (sensitive), never written to a plan or lock. */
export class Secret {
  /** `value`, and each variable's value inside it: what must be masked wherever it shows up. */
  constructor(
    readonly value: string,
    readonly parts: readonly string[] = [],
    /** The text as declared, `${VAR}`s and all (a client may want the variable's name). */
    readonly template?: string,
  ) {}
  toString(): string {
    return '(sensitive)';
  }
  toJSON(): string {
    return '(sensitive)';
  }
}

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
  const out = input.replace(
    REF,
    (match, name: string | undefined, fallback: string | undefined, bad: string | undefined) => {
      if (match === '$${') return '${';
      if (name === undefined) {
        invalid.push(bad ?? match);
        return match;
      }
      used = true;
      const v = lookup(name);
      if (v !== undefined && v !== '') {
        parts.push(v);
        return v;
      }
      if (fallback !== undefined) return fallback;
      if (v === undefined) missing.push(name);
      return '';
    },
  );
  return { value: used ? new Secret(out, [out, ...parts], input) : out, missing, invalid };
}
