import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, writeJson, type Sandbox } from '../helpers.js';

/** The tests of the compile and parse caches (boot.test.ts, boot-review.test.ts) share these. */
export const YAML =
  'version: 1\nservers:\n  memory:\n    command: npx\n    args: ["-y", "@modelcontextprotocol/server-memory"]\n';

/** A one-server project, an empty client file, and where its compile cache goes. */
export function project(): Sandbox & { cache: string } {
  const sb = sandbox({ 'mcp.yaml': YAML });
  writeJson(sb.claudeConfig, { mcpServers: {} });
  return Object.assign(sb, { cache: join(sb.home, '.cache', 'mcpform', 'v8') });
}

/** A cache dir's entries, sorted. Node 22+ keeps its own cache (of the ES module commands) in v8/node: not ours. */
export const entries = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f !== 'node')
        .sort()
    : [];
