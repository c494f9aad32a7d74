import type { DesiredServer } from '../../config/types.js';
import { McpformError } from '../../errors.js';
import { unescapePointer } from '../../util/pointer.js';

/** `/env/API_KEY` -> `env.API_KEY`, `/args/2` -> `args[2]`: the field as mcp.yaml names it. */
function fieldName(pointer: string): string {
  const [field, key] = pointer.slice(1).split('/');
  if (key === undefined) return field!;
  return field === 'args' ? `args[${key}]` : `${field}.${unescapePointer(key)}`;
}

/**
 * `secrets: reference` and a `${NAME:-default}` whose NAME is set: no client reference says
 * "NAME, else this default", so only NAME's value could be written, into a file the user
 * asked to hold references only (a project's `.mcp.json` is often committed). Refused.
 */
export function refuseSetDefault(server: DesiredServer, pointer: string, name: string): never {
  const field = fieldName(pointer);
  const message = `server '${server.name}' ${field}: 'secrets: reference' cannot write \${${name}:-...} as a reference, and ${name} is set here, so its value would be written into the client file`;
  throw new McpformError('INVALID_CONFIG', message, {
    problems: [{ message, location: server.origin }],
    hint: `write \${${name}} without a default in ${field} (the client then reads ${name} itself), or set 'secrets: value' on this target to write values`,
  });
}
