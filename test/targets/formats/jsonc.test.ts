import { describe, expect, it } from 'vitest';
import { deleteJsoncIn, parseJsonc, setJsoncIn } from '../../../src/targets/formats/jsonc.js';

const lines = (eol: string, ...l: string[]) => l.join(eol);

describe('jsonc: setIn / deleteIn change only the bytes of the value they edit', () => {
  it.each([
    {
      what: 'CRLF, BOM, tabs, no final newline: a new entry in the same style',
      text: '\uFEFF' + lines('\r\n', '{', '\t"x": 1,', '\t"mcpServers": {', '\t\t"a": {"command": "a"}', '\t}', '}'),
      path: ['mcpServers', 'b'],
      value: { command: 'b' },
      want:
        '\uFEFF' +
        lines(
          '\r\n',
          '{',
          '\t"x": 1,',
          '\t"mcpServers": {',
          '\t\t"a": {"command": "a"},',
          '\t\t"b": {',
          '\t\t\t"command": "b"',
          '\t\t}',
          '\t}',
          '}',
        ),
    },
    {
      what: '4 spaces, big number, duplicate keys, blank line, inline arrays elsewhere',
      text: lines(
        '\n',
        '{',
        '    "n": 12345678901234567890,',
        '    "d": 1, "d": 2,',
        '',
        '    "list": [1, 2, 3],',
        '    "mcpServers": {',
        '        "a": { "command": "a", "args": ["1"] }',
        '    }',
        '}',
        '',
      ),
      path: ['mcpServers', 'a', 'command'],
      value: 'b',
      want: lines(
        '\n',
        '{',
        '    "n": 12345678901234567890,',
        '    "d": 1, "d": 2,',
        '',
        '    "list": [1, 2, 3],',
        '    "mcpServers": {',
        '        "a": { "command": "b", "args": ["1"] }',
        '    }',
        '}',
        '',
      ),
    },
    {
      what: 'an entry edited key by key: unknown fields and comments inside keep their bytes',
      text: lines(
        '\n',
        '{',
        '  "mcpServers": {',
        '    "a": {',
        '      // pinned by hand',
        '      "command": "a",',
        '      "disabled": true,',
        '      "env": { "KEEP": "1", "OLD": "x" }',
        '    }',
        '  }',
        '}',
      ),
      path: ['mcpServers', 'a'],
      value: { command: 'a2', disabled: true, env: { KEEP: '1' } },
      want: lines(
        '\n',
        '{',
        '  "mcpServers": {',
        '    "a": {',
        '      // pinned by hand',
        '      "command": "a2",',
        '      "disabled": true,',
        '      "env": { "KEEP": "1" }',
        '    }',
        '  }',
        '}',
      ),
    },
    {
      what: 'a new last entry after a line with a `// comment`: the comment stays on its line',
      text: lines('\n', '{', '  "mcpServers": {', '    "a": { "command": "a" } // mine', '  }', '}'),
      path: ['mcpServers', 'b'],
      value: { command: 'b' },
      want: lines(
        '\n',
        '{',
        '  "mcpServers": {',
        '    "a": { "command": "a" }, // mine',
        '    "b": {',
        '      "command": "b"',
        '    }',
        '  }',
        '}',
      ),
    },
    {
      what: 'no server map yet: created at the end, the file keeps its final newline',
      text: '{\n  "theme": "dark"\n}\n',
      path: ['mcpServers', 'a'],
      value: { command: 'a', args: [] },
      want: '{\n  "theme": "dark",\n  "mcpServers": {\n    "a": {\n      "command": "a",\n      "args": []\n    }\n  }\n}\n',
    },
    {
      what: 'an empty file: a new document, 2 spaces, LF, final newline',
      text: '',
      path: ['mcpServers', 'a'],
      value: { command: 'a' },
      want: '{\n  "mcpServers": {\n    "a": {\n      "command": "a"\n    }\n  }\n}\n',
    },
    {
      what: 'a changed list inside a one-line entry stays on one line',
      text: '{ "mcpServers": { "a": { "command": "a", "args": ["1"], "disabled": true } } }',
      path: ['mcpServers', 'a', 'args'],
      value: ['1', '2'],
      want: '{ "mcpServers": { "a": { "command": "a", "args": ["1", "2"], "disabled": true } } }',
    },
    {
      what: 'a new entry in a one-line map goes on that line',
      text: '{"mcpServers": {"a": {"command": "a"}}, "x": [1,2]}',
      path: ['mcpServers', 'b'],
      value: { command: 'b', args: [] },
      want: '{"mcpServers": {"a": {"command": "a"}, "b": { "command": "b", "args": [] }}, "x": [1,2]}',
    },
  ])('set: $what', ({ text, path, value, want }) => {
    expect(setJsoncIn(text, path, value, 'f.json')).toBe(want);
    expect(setJsoncIn(want, path, value, 'f.json')).toBe(want); // already so: not a byte changes
  });

  it.each([
    {
      what: "the last entry: the previous entry's comma goes, its `// comment` stays (jsonc-parser would glue ours onto it)",
      text: lines(
        '\n',
        '{',
        '  "mcpServers": {',
        '    "a": { "command": "a" }, // note a',
        '    "b": {',
        '      "command": "b"',
        '    } // note b',
        '  }',
        '}',
      ),
      path: ['mcpServers', 'b'],
      want: lines('\n', '{', '  "mcpServers": {', '    "a": { "command": "a" } // note a', '  }', '}'),
    },
    {
      what: 'a middle entry, CRLF: its lines go, nothing else',
      text: lines(
        '\r\n',
        '{',
        '  "mcpServers": {',
        '    "a": { "command": "a" },',
        '    "b": { "command": "b" }, // b',
        '    "c": { "command": "c" }',
        '  },',
        '  "n": 12345678901234567890',
        '}',
      ),
      path: ['mcpServers', 'b'],
      want: lines(
        '\r\n',
        '{',
        '  "mcpServers": {',
        '    "a": { "command": "a" },',
        '    "c": { "command": "c" }',
        '  },',
        '  "n": 12345678901234567890',
        '}',
      ),
    },
    {
      what: 'the only entry: an empty map',
      text: '{\n  "mcpServers": {\n    "a": { "command": "a" }\n  }\n}',
      path: ['mcpServers', 'a'],
      want: '{\n  "mcpServers": {}\n}',
    },
    {
      what: 'an entry on one line with others: jsonc-parser removes it with its comma',
      text: '{"mcpServers": {"a": {"command": "a"}, "b": {"command": "b"}}}',
      path: ['mcpServers', 'a'],
      want: '{"mcpServers": {"b": {"command": "b"}}}',
    },
  ])('delete: $what', ({ text, path, want }) => {
    expect(deleteJsoncIn(text, path, 'f.json')).toBe(want);
  });

  it('deleting what is not there returns the text as it is', () => {
    const text = '{ "mcpServers": {} } ';
    expect(deleteJsoncIn(text, ['mcpServers', 'x'], 'f.json')).toBe(text);
  });
});

describe('jsonc: parse errors are located and refuse the write', () => {
  it.each([
    [
      'a comment in a strict-JSON file',
      '{\n  "a": 1 // c\n}',
      true,
      'f.json:2:10 is not valid JSON (comments are not allowed',
    ],
    ['a trailing comma in a strict-JSON file', '{\n  "a": 1,\n}', true, 'f.json:3:1 is not valid JSON (trailing comma'],
    [
      'a missing comma (JSONC)',
      '{\n  "a": 1\n  "b": 2\n}',
      false,
      'f.json:3:3 is not valid JSON/JSONC (comma expected)',
    ],
    ['a truncated file (JSONC)', '{\n  "a": {', false, 'f.json:2:9 is not valid JSON/JSONC'],
  ])('%s', (_what, text, strict, message) => {
    expect(() => parseJsonc(text, 'f.json', strict)).toThrow(message);
    expect(() => parseJsonc(text, 'f.json', strict)).toThrow('mcpform will not overwrite it');
    expect(() => setJsoncIn(text, ['mcpServers', 'a'], {}, 'f.json', strict)).toThrow('f.json:');
  });

  it('JSONC accepts comments and trailing commas; a BOM is not content', () => {
    expect(parseJsonc('\uFEFF{ /* c */ "a": [1,], }', 'f.json')).toEqual({ a: [1] });
  });

  it('a top level that is not an object is refused', () => {
    expect(() => setJsoncIn('[1]', ['mcpServers', 'a'], {}, 'f.json')).toThrow('must hold a JSON object');
  });
});

describe('jsonc: hostile names and values', () => {
  it.each([['we"ird\u0001\u2028'], ['a.b/c~1 ü']])('a server named %j round-trips', (name) => {
    const text = '{\n  "mcpServers": {\n    "a": { "command": "a" }\n  }\n}\n';
    const out = setJsoncIn(text, ['mcpServers', name], { command: 'x\u0000y', args: ['"', '\\'] }, 'f.json', true);
    expect(out.startsWith('{\n  "mcpServers": {\n    "a": { "command": "a" },\n')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(JSON.parse(out).mcpServers, name)?.value).toEqual({
      command: 'x\u0000y',
      args: ['"', '\\'],
    });
    expect(deleteJsoncIn(out, ['mcpServers', name], 'f.json', true)).toBe(text);
  });

  it('a hand-made `__proto__` entry is left as it is (parsers do not see it as a key)', () => {
    const text = '{\n  "mcpServers": {\n    "__proto__": { "command": "x" }\n  }\n}\n';
    const out = setJsoncIn(text, ['mcpServers', 'b'], { command: 'b' }, 'f.json', true);
    expect(out).toBe(
      '{\n  "mcpServers": {\n    "__proto__": { "command": "x" },\n    "b": {\n      "command": "b"\n    }\n  }\n}\n',
    );
  });
});
