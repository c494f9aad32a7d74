import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { McpformError } from '../../src/errors.js';
import { sandbox, testWorld } from '../helpers.js';
import { clientCatalog } from '../../src/targets/index.js';

const load = (targets: string) => {
  const sb = sandbox({ 'mcp.yaml': `version: 1\ntargets: ${targets}\nservers:\n  a: { command: node }\n` });
  return {
    sb,
    state: () => loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) }),
  };
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    return (err.problems ?? []).map((p) => `${p.location?.line}:${p.location?.col} ${p.message}`);
  }
  throw new Error('expected an error');
}

describe('targets: names from the client registry, scope and secrets in the map form', () => {
  it.each([
    [
      '[cursr]',
      "2:11 targets: unsupported target 'cursr' (did you mean 'cursor'?); supported: claude-desktop, claude-code, cursor",
    ],
    [
      '{ claude-dsktop: { path: x.json } }',
      "2:12 targets: unsupported target 'claude-dsktop' (did you mean 'claude-desktop'?)",
    ],
    ['[nothing-like-it]', "2:11 targets: unsupported target 'nothing-like-it'; supported: claude-desktop"],
    [
      '{ cursor: { scope: workspace } }',
      "2:29 targets.cursor.scope: 'workspace' is not a scope of cursor; allowed: user",
    ],
  ])('%s', (targets, message) => {
    const [p] = problems(load(targets).state);
    expect(p).toContain(message);
  });

  it('map form: path resolved against mcp.yaml, scope and secrets kept, the mcp.yaml folder carried', () => {
    const { sb, state } = load(
      '{ cursor: { path: .cursor/mcp.json, secrets: reference }, claude-code: { scope: user }, claude-desktop: null }',
    );
    expect(state().targets).toEqual([
      { name: 'cursor', path: sb.path('.cursor/mcp.json'), secrets: 'reference', base: sb.path('') },
      { name: 'claude-code', scope: 'user', base: sb.path('') },
      { name: 'claude-desktop', base: sb.path('') },
    ]);
  });

  it('secrets other than value|reference is a schema error', () => {
    expect(problems(load('{ cursor: { secrets: plain } }').state).join('\n')).toMatch(/secrets/);
  });
});
