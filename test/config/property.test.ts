import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { stringify } from 'yaml';
import { loadDesired, validateProject } from '../../src/config/load.js';
import { McpformError } from '../../src/errors.js';
import { sandbox, testWorld } from '../helpers.js';
import { clientCatalog } from '../../src/targets/index.js';

/** The loader may accept or reject a document, but it must only ever fail with McpformError. */
function check(path: string, text: string): void {
  writeFileSync(path, text);
  // validate goes on past the first class of problem, so it meets malformed values the loader does not.
  for (const load of [loadDesired, validateProject]) {
    try {
      load(path, { clients: clientCatalog, world: testWorld({ env: { A: 'a' } }) });
    } catch (e) {
      if (!(e instanceof McpformError)) throw new Error(`loader threw ${String(e)} for:\n${text}`, { cause: e });
    }
  }
}

const key = fc.oneof(
  fc.constantFrom(
    'version',
    'servers',
    'environments',
    'imports',
    'targets',
    'command',
    'args',
    'env',
    'url',
    'package',
    'extends',
    'exclude',
    'overrides',
    '__proto__',
    'constructor',
    'test',
    'timeout',
  ),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('${A}', '${MISSING}', '${A:-x}', 'npm:pkg@1', 'https://x.test', './nope.yaml'),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  ),
})).node;

describe('loader property', () => {
  it('random structured documents fail only with McpformError', () => {
    const sb = sandbox();
    const path = sb.path('mcp.yaml');
    fc.assert(
      fc.property(tree, fc.boolean(), (doc, withVersion) => {
        const value =
          withVersion && doc && typeof doc === 'object' && !Array.isArray(doc) ? { version: 1, ...doc } : doc;
        check(path, stringify(value));
      }),
      { numRuns: 400 },
    );
  });

  it('random text fails only with McpformError', () => {
    const sb = sandbox();
    const path = sb.path('mcp.yaml');
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => check(path, text)),
      { numRuns: 400 },
    );
  });
});
