import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import TOML from '@iarna/toml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error no types: a port of PyYAML (YAML 1.1, libyaml's line breaks), as Goose reads its file
import yaml11 from 'yaml-js';
import { nameProblem } from '../../src/config/names.js';
import type { DesiredServer } from '../../src/config/types.js';
import { McpformError } from '../../src/errors.js';
import { HIDDEN_CLASS } from '../../src/util/sanitize.js';
import { allAdapters } from '../../src/targets/index.js';
import type { TargetAdapter } from '../../src/targets/types.js';
import { sandbox } from '../helpers.js';

/**
 * Every writer's output, read back the way its client reads it — by a parser that is not the
 * one mcpform writes with: YAML 1.1 (libyaml's rules) for Goose and Continue, TOML for Codex,
 * JSON.parse for the JSON and JSONC clients. What comes back must be exactly what was meant,
 * and nothing more: no other entry, no other key.
 */
const readBack: Record<TargetAdapter['format'], (text: string) => unknown> = {
  json: (t) => JSON.parse(t.replace(/^\uFEFF/, '')),
  jsonc: (t) => JSON.parse(t.replace(/^\uFEFF/, '')),
  toml: (t) => TOML.parse(t),
  yaml: (t) => yaml11.load(t),
};

/** What an attacker would put in a name or a value: every way text ends a line, a string or a scalar. */
const PIECES = [
  '\u0085',
  '\u2028',
  '\u2029',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\0',
  '\x1b[8m',
  '\x7f',
  '\u009b',
  '"',
  "'",
  '\\',
  '#',
  ': ',
  ':',
  '- ',
  '{{',
  '}}',
  '[',
  ']',
  ',',
  '&a',
  '*a',
  '!!python/object',
  '%YAML',
  '---',
  '...',
  '|',
  '>',
  '=',
  '[mcp_servers.x]',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ufffe',
  '\u{e0041}\u{e0042}',
  '\ud800',
  '\udfff',
  'yes',
  'off',
  '0755',
  '1:30',
  '~',
  'null',
  ' ',
  'pwn:',
  '  evil:',
  '    cmd: sh',
  'x',
  'ü',
];

const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 4 })), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''));
const serverName = hostile.filter((s) => nameProblem(s) === undefined);
// eslint-disable-next-line no-control-regex -- what the loader refuses in a variable name
const envKey = hostile.filter((s) => s.length > 0 && !s.includes('=') && !/[\u0000-\u001f\u007f]/.test(s));

function server(name: string, command: string, args: string[], env: Record<string, string>): DesiredServer {
  return {
    name,
    kind: 'command',
    command,
    args,
    env,
    headers: {},
    test: { timeoutMs: 1000, expectTools: [], skip: false },
    sensitive: new Set(),
    secrets: [],
    origin: { file: 'mcp.yaml', line: 1, col: 1 },
  };
}

const HIDDEN = new RegExp(HIDDEN_CLASS, 'u');
const loneSurrogate = (s: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** The node at `path` in a parsed document (a list of `name:` items for Continue's list). */
function at(doc: unknown, path: readonly (string | number)[]): unknown {
  let v = doc;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

describe.each(allAdapters().map((a) => [a.name, a] as const))(
  '%s: what it writes reads back as meant',
  (_n, adapter) => {
    it('for hostile server names, arguments and env values (property)', () => {
      const sb = sandbox();
      const file = join(sb.dir, `config.${adapter.format === 'jsonc' ? 'json' : adapter.format}`);
      const spec = { name: adapter.name, path: file, base: sb.path('') };
      fc.assert(
        fc.property(
          serverName,
          hostile,
          fc.array(hostile, { maxLength: 3 }),
          fc.dictionary(envKey, hostile, { maxKeys: 2 }),
          (name, command, args, env) => {
            writeFileSync(file, '');
            const desired = server(name, command || 'node', args, env);
            const meant = JSON.parse(JSON.stringify(adapter.render(desired, new Map(), spec, 'linux').entry));
            let text: string;
            try {
              text = adapter.serialize(adapter.read(file, spec), { [name]: meant });
            } catch (err) {
              // A value no file of this format can hold is refused, never written as something else.
              if (
                err instanceof McpformError &&
                [name, command, ...args, ...Object.keys(env), ...Object.values(env)].some(loneSurrogate)
              )
                return;
              throw err;
            }
            writeFileSync(file, text);
            // Nothing in the file hides from a review (YAML keeps astral tag characters raw: see yaml-string.ts).
            const layoutless = text.replace(/^\uFEFF/, '').replace(/[\n\r\t]/g, '');
            expect(
              adapter.format === 'yaml' ? layoutless.replace(/[\u{10000}-\u{10ffff}]/gu, '') : layoutless,
            ).not.toMatch(HIDDEN);
            const live = adapter.read(file, spec);
            const doc = readBack[adapter.format](readFileSync(file, 'utf8'));
            const servers = at(doc, live.serversPath ?? []);
            if (Array.isArray(servers)) {
              // A list of entries (Continue): the name is a field of its entry.
              expect(servers).toHaveLength(1);
              expect(servers[0]).toEqual({ name, ...meant });
            } else {
              expect(Object.keys(servers as object)).toEqual([name]);
              expect((servers as Record<string, unknown>)[name]).toEqual(meant);
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  },
);

describe('Goose: a value holding a YAML 1.1 line break cannot add an extension', () => {
  it('U+2029 in an env value stays in the value; no `pwn` extension runs sh', () => {
    const goose = allAdapters().find((a) => a.name === 'goose')!;
    const sb = sandbox();
    const file = join(sb.dir, 'config.yaml');
    writeFileSync(file, 'extensions:\n  developer:\n    enabled: true\n    name: developer\n    type: builtin\n');
    const spec = { name: 'goose', path: file, base: sb.path('') };
    const value = 'x\u2029  pwn:\u2029    cmd:\u2029      sh\u2029    enabled:\u2029      true';
    const meant = goose.render(server('notes', 'node', ['a\u0085b'], { NOTE: value }), new Map(), spec, 'linux').entry;
    const live = goose.read(file, spec);
    writeFileSync(file, goose.serialize(live, { ...live.entries, notes: meant as never }));
    const doc = yaml11.load(readFileSync(file, 'utf8')) as { extensions: Record<string, { envs?: unknown }> };
    expect(Object.keys(doc.extensions)).toEqual(['developer', 'notes']);
    expect(doc.extensions.notes!.envs).toEqual({ NOTE: value });
  });
});
