/**
 * SEP-2243 (2026-07-28): a tool parameter annotated `x-mcp-header: Name` is mirrored into an
 * `Mcp-Param-Name` header of every tools/call over HTTP, so gateways can route without
 * reading the body. A server may reject a call whose headers do not match its body, and a
 * client must not call a tool whose annotations are invalid.
 */

/** RFC 9110 token characters: what a header name may hold (no space, colon or non-ASCII). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Types whose values have one plain text form; `number` is excluded by the spec (float text varies). */
const HEADER_TYPES = new Set(['string', 'integer', 'boolean']);

export type ParamHeaders = { headers: Record<string, string> } | { invalid: string };

/** The Mcp-Param-* headers for calling a tool with `args`, or why the tool must not be called. */
export function paramHeaders(inputSchema: unknown, args: Record<string, unknown> = {}): ParamHeaders {
  const properties = (inputSchema as { properties?: unknown } | undefined)?.properties;
  if (!properties || typeof properties !== 'object') return { headers: {} };
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [param, schema] of Object.entries(properties as Record<string, unknown>)) {
    if (!schema || typeof schema !== 'object' || !('x-mcp-header' in schema)) continue;
    const { 'x-mcp-header': name, type } = schema as { 'x-mcp-header': unknown; type?: unknown };
    if (typeof name !== 'string' || !TOKEN.test(name))
      return { invalid: `parameter ${param} has x-mcp-header ${JSON.stringify(name)}, which is no header name` };
    if (!headerType(type))
      return {
        invalid: `parameter ${param} has x-mcp-header on type ${JSON.stringify(type)} (only string, integer, boolean)`,
      };
    if (seen.has(name.toLowerCase())) return { invalid: `x-mcp-header ${name} is used twice` };
    seen.add(name.toLowerCase());
    const value = args[param];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') headers[`Mcp-Param-${name}`] = headerValue(value);
    else if (typeof value === 'number' || typeof value === 'boolean') headers[`Mcp-Param-${name}`] = String(value);
  }
  return { headers };
}

/**
 * Whether a parameter's declared type may carry a header: one of HEADER_TYPES, or a list of
 * them that may also allow null (a nullable string). No type at all is left to the value.
 */
function headerType(type: unknown): boolean {
  if (type === undefined) return true;
  if (typeof type === 'string') return HEADER_TYPES.has(type);
  if (!Array.isArray(type)) return false;
  const types = type.filter((t) => t !== 'null');
  return types.length > 0 && types.every((t) => typeof t === 'string' && HEADER_TYPES.has(t));
}

/** RFC 9110 header values: visible ASCII and inner spaces; anything else goes Base64 (2026-07-28 value encoding). */
export function headerValue(v: string): string {
  const plain = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(v) && !/^=\?base64\?.*\?=$/.test(v);
  return plain ? v : `=?base64?${Buffer.from(v, 'utf8').toString('base64')}?=`;
}
