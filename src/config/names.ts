const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a server or environment name is refused, or undefined when it is fine. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'an empty name is not allowed';
  if (RESERVED.has(name)) return `'${name}' is a reserved word and cannot be used as a name`;
  if (/[/\\]/.test(name)) return `name '${name}' must not contain '/' or '\\'`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return `name ${JSON.stringify(name)} must not contain control characters`;
  return undefined;
}
