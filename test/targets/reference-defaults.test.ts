import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { McpformError } from '../../src/errors.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import { runCli, sandbox, testWorld } from '../helpers.js';

// `secrets: reference` on a project file (.mcp.json is often committed) with ${VAR:-default}:
// no client reference says "else this default", so the field is written as its value.
const YAML = `version: 1
targets:
  claude-code: { scope: project, secrets: reference }
servers:
  api:
    command: node
    args: [srv.js, "--token=\${TOK}", "--level=\${LEVEL:-info}"]
    env:
      API_KEY: \${API_KEY:-placeholder-key}
      MIXED: "\${TOK}-\${SUFFIX:-x}"
`;

function render(env: NodeJS.ProcessEnv) {
  const sb = sandbox({ 'mcp.yaml': YAML });
  const state = loadDesired(sb.path('mcp.yaml'), {
    clients: clientCatalog,
    world: testWorld({ env, cwd: sb.path('') }),
  });
  return adapterFor('claude-code').render(state.servers[0]!, new Map(), state.targets[0], 'linux');
}

function refusal(run: () => unknown): McpformError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(McpformError);
    return err as McpformError;
  }
  throw new Error('expected a refusal');
}

describe('secrets: reference with ${VAR:-default}', () => {
  it('every default used: their text is written, and shown as written unless the key looks secret', () => {
    const r = render({ TOK: 'tok-1', SUFFIX: '' });
    expect(r.entry.args).toEqual(['srv.js', '--token=${TOK}', '--level=info']);
    expect(r.entry.env).toEqual({ API_KEY: 'placeholder-key', MIXED: '${TOK}-x' });
    expect([...r.sensitive].sort()).toEqual([]);
    expect(JSON.stringify(r.entry)).not.toContain('tok-1');
  });

  it.each([
    ['LEVEL', { LEVEL: 'debug' }, 'args[2]'],
    ['API_KEY', { API_KEY: 'real-secret-999' }, 'env.API_KEY'],
    ['SUFFIX', { SUFFIX: 'y' }, 'env.MIXED'],
  ])(
    'a set %s would put its value in the file: refused at the server, naming field and variable',
    (name, vars, field) => {
      const err = refusal(() => render({ TOK: 'tok-1', ...vars }));
      expect(err.code).toBe('INVALID_CONFIG');
      expect(err.message).toBe(
        `server 'api' ${field}: 'secrets: reference' cannot write \${${name}:-...} as a reference, and ${name} is set here, so its value would be written into the client file`,
      );
      expect(err.problems[0]!.location).toMatchObject({ file: 'mcp.yaml', line: 5, col: 3 });
      expect(err.hint).toContain(`write \${${name}} without a default in ${field}`);
      expect(err.hint).toContain("'secrets: value'");
    },
  );

  it('end to end: plan shows what is written; with a set variable it refuses and writes nothing', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML, '.env': 'TOK=tok-1\n' });
    const plan = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('+ args        = ["srv.js","--token=${TOK}","--level=info"]');
    expect(plan.stdout).toContain('+ env.API_KEY = (sensitive)');
    expect(plan.stdout).toContain('+ env.MIXED   = "${TOK}-x"');

    sb.write('.env', 'TOK=tok-1\nAPI_KEY=real-secret-999\n');
    const refused = await runCli(['apply', '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("mcp.yaml:5:3 server 'api' env.API_KEY: 'secrets: reference' cannot write");
    expect(refused.stderr).not.toContain('real-secret-999');
    expect(existsSync(sb.path('.mcp.json'))).toBe(false);
  });
});
