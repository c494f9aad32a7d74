import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { buildPlans } from '../../src/plan/build.js';
import { applyPlanToEntries } from '../../src/plan/compute.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import { sandbox, testWorld } from '../helpers.js';

/** A client file as people have them: other settings first, odd spacing, a hand-made entry. */
function realShaped(o: { eol: string; indent: string; bom: boolean; final: boolean; key?: string }): string {
  const i = (n: number) => o.indent.repeat(n);
  const body = [
    '{',
    `${i(1)}"numStartups": 12345678901234567890,`,
    `${i(1)}"tips": { "seen": 1, "seen": 2 },`,
    `${i(1)}"recent": ["/a", "/b"],`,
    '',
    `${i(1)}"${o.key ?? 'mcpServers'}": {`,
    `${i(2)}"handmade": { "command": "uvx", "args": ["mcp-server-git"], "disabled": true },`,
    `${i(2)}"tiny": {`,
    `${i(3)}"command": "node",`,
    `${i(3)}"args": ["old.js"],`,
    `${i(3)}"disabled": false,`,
    `${i(3)}"alwaysAllow": ["read"]`,
    `${i(2)}}`,
    `${i(1)}},`,
    `${i(1)}"theme": "dark"`,
    '}',
  ].join(o.eol);
  return (o.bom ? '\uFEFF' : '') + body + (o.final ? o.eol : '');
}

const YAML = (target: string) => `version: 1
targets: [${target}]
servers:
  tiny: { command: node, args: [new.js], env: { LOG: debug } }
  fresh: { command: npx, args: ["-y", "some-server"] }
`;

const STYLES = [
  { style: 'LF, 2 spaces, final newline', eol: '\n', indent: '  ', bom: false, final: true },
  { style: 'CRLF, BOM, tabs, no final newline', eol: '\r\n', indent: '\t', bom: true, final: false },
  { style: '4 spaces, no final newline', eol: '\n', indent: '    ', bom: false, final: false },
];
/**
 * One row per client whose server map is a top-level key (`key`, default `mcpServers`).
 * `stdio: false` for a client whose stdio entry is not command/args/env (the field-level checks).
 */
const CLIENTS: { client: string; key?: string; stdio?: boolean }[] = [
  { client: 'claude-desktop' },
  { client: 'claude-code' },
  { client: 'cursor' },
  { client: 'vscode', key: 'servers' },
  { client: 'zed', key: 'context_servers' },
  { client: 'gemini-cli' },
  { client: 'opencode', key: 'mcp', stdio: false },
  { client: 'windsurf' },
  { client: 'cline' },
  { client: 'roo-code' },
  { client: 'kiro' },
  { client: 'amazon-q' },
  { client: 'lm-studio' },
];
const CASES = CLIENTS.flatMap((row) => STYLES.map((s) => ({ ...row, ...s })));

function setup(client: string, text: string) {
  const sb = sandbox({ 'mcp.yaml': YAML(client) });
  const adapter = adapterFor(client);
  const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
  const file = adapter.resolvePath(state.targets[0]!, testWorld({ env: sb.env, platform: 'linux' }));
  sb.write('../' + file.slice(sb.dir.length + 1), text);
  const plan = () => buildPlans(state, sb.world)[0]!;
  /** What apply writes: the plan's entries through the adapter's serialize. */
  const write = () => {
    const tp = plan();
    const out = tp.adapter.serialize(tp.live, applyPlanToEntries(tp.live.entries, tp.plan));
    writeFileSync(file, out);
    return out;
  };
  return { sb, file, plan, write };
}

describe('writes touch only what changes', () => {
  it.each(CASES)(
    '$client, $style: bytes outside the changed entries are identical; plan after is "No changes."',
    (c) => {
      const before = realShaped(c);
      const { plan, write } = setup(c.client, before);
      expect(plan().plan.changes.map((x) => `${x.action} ${x.server}`)).toEqual(['adopt tiny', 'create fresh']);
      const after = write();
      const head = before.slice(0, before.indexOf('"tiny"'));
      // Everything up to the changed entry: other settings, big number, duplicate keys, blank line, the hand-made entry.
      expect(after.startsWith(head)).toBe(true);
      // Everything after the server map.
      const tail = `${c.eol}${c.indent}},${c.eol}${c.indent}"theme": "dark"${c.eol}}${c.final ? c.eol : ''}`;
      expect(after.endsWith(tail)).toBe(true);
      // The changed entry: edited field by field, unknown fields in place, in the file's style.
      const i = (n: number) => c.indent.repeat(n);
      expect(after).toContain(`${i(3)}"disabled": false,${c.eol}${i(3)}"alwaysAllow": ["read"],${c.eol}`);
      if (c.stdio !== false) expect(after).toContain(`${i(3)}"env": {${c.eol}${i(4)}"LOG": "debug"${c.eol}${i(3)}}`);
      expect(after).toContain(`${c.eol}${i(2)}"fresh": {${c.eol}${i(3)}"`);
      expect(after.includes('\r\n')).toBe(c.eol === '\r\n');
      expect(after.includes('\n') && !after.replace(/\r\n/g, '').includes('\r')).toBe(true);
      expect(plan().plan.changes).toEqual([]);
    },
  );

  it('a file already as planned is not rewritten: serialize returns the same bytes', () => {
    const { plan, write } = setup('cursor', realShaped(STYLES[0]!));
    const first = write();
    const tp = plan();
    expect(tp.adapter.serialize(tp.live, { ...tp.live.entries })).toBe(first);
  });

  it('removing an entry deletes its lines only; the neighbours keep their bytes', () => {
    const text = realShaped(STYLES[1]!);
    const { plan } = setup('claude-desktop', text);
    const tp = plan();
    const entries = { ...tp.live.entries };
    delete entries.tiny;
    const out = tp.adapter.serialize(tp.live, entries);
    expect(out).toBe(
      text.replace(
        /,\r\n\t\t"tiny": \{[\s\S]*?\r\n\t\t\}/,
        '', // the hand-made entry loses the comma it no longer needs, nothing else
      ),
    );
  });

  it('Claude Code: an entry without `type` is stdio — no change, and no `type` written on an edit', () => {
    const text =
      '{\n  "mcpServers": {\n    "tiny": { "command": "node", "args": ["new.js"], "env": { "LOG": "info" } }\n  }\n}\n';
    const { plan, write, file } = setup('claude-code', text);
    expect(plan().plan.changes.map((x) => `${x.action} ${x.server}`)).toEqual(['adopt tiny', 'create fresh']);
    write();
    const tiny = JSON.parse(readFileSync(file, 'utf8')).mcpServers.tiny;
    expect(tiny).toEqual({ command: 'node', args: ['new.js'], env: { LOG: 'debug' } });
    expect(plan().plan.changes).toEqual([]);
  });

  it('a strict-JSON client file with a comment is refused at read, located, and never written', () => {
    const text = '{\n  // mine\n  "mcpServers": {}\n}\n';
    const { plan } = setup('claude-code', text);
    expect(() => plan()).toThrow(
      /\.claude\.json:2:3 is not valid JSON \(comments are not allowed.*will not overwrite it/,
    );
  });

  it('the read-back: an edit that would not yield exactly the planned entries fails before writing', () => {
    const { plan } = setup('cursor', realShaped(STYLES[0]!));
    const tp = plan();
    // Duplicate server names: the editor changes the first, JSON readers keep the last.
    const dup = '{ "mcpServers": {\n  "tiny": { "command": "a" },\n  "tiny": { "command": "b" }\n} }';
    const live = tp.adapter.read(tp.live.path);
    writeFileSync(tp.live.path, dup);
    const liveDup = tp.adapter.read(tp.live.path);
    expect(live.entries.tiny).toBeDefined();
    expect(() => tp.adapter.serialize(liveDup, { tiny: { command: 'c' } })).toThrow(
      /would not hold exactly the planned servers/,
    );
  });
});
