import { dirname, join } from 'node:path';

/** mcp.lock lives beside mcp.yaml. */
export function lockPathFor(configFile: string): string {
  return join(dirname(configFile), 'mcp.lock');
}
