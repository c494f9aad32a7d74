import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, sandbox } from '../helpers.js';

// A message only the MCP SDK's client code contains: the chunks that hold it are the SDK.
const SDK = 'notifications/initialized';
// Prints every module the ES module loader loads (Node runs these hooks before the CLI).
const HOOK = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent("export async function load(url, context, next) { process._rawDebug('LOADED ' + url); return next(url, context); }"));
`;

describe('each command is imported when it runs (cli/main.ts)', () => {
  it('the MCP SDK is in the build, in chunks of its own', () => {
    const chunks = join(dirname(CLI), 'chunks');
    expect(readdirSync(chunks).some((f) => readFileSync(join(chunks, f), 'utf8').includes(SDK))).toBe(true);
  });

  it.each(['validate', 'plan'])('%s never loads the MCP SDK', async (command) => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers:\n  memory:\n    command: npx\n' });
    const hook = join(sb.dir, 'hook.mjs');
    writeFileSync(hook, HOOK);
    const env = { ...sb.env, NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` };
    const r = await runCli([command], { cwd: sb.path(''), env });
    expect(r.code).toBe(0);
    const loaded = [...r.stderr.matchAll(/^LOADED (file:\S+)$/gm)].map((m) => fileURLToPath(m[1]!));
    const ours = loaded.filter((f) => f.startsWith(dirname(CLI)));
    expect(ours).toContain(CLI);
    expect(ours.filter((f) => readFileSync(f, 'utf8').includes(SDK))).toEqual([]);
  });
});
