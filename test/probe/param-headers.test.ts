import { afterAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/probe/check-server.js';
import { paramHeaders } from '../../src/probe/param-headers.js';
import { startStatelessHttp } from '../fixtures/servers/stateless-http.mjs';

const schema = (properties: Record<string, unknown>) => ({ type: 'object', properties });
const h = (type: string, name: unknown = 'Region') => ({ type, 'x-mcp-header': name });
const h2 = (type: string[]) => ({ type, 'x-mcp-header': 'Region' });

describe('Mcp-Param headers of a 2026-07-28 tools/call (SEP-2243)', () => {
  it.each([
    ['plain string', { r: h('string') }, { r: 'us-west1' }, { 'Mcp-Param-Region': 'us-west1' }],
    ['integer', { r: h('integer', 'Priority') }, { r: 42 }, { 'Mcp-Param-Priority': '42' }],
    ['boolean', { r: h('boolean', 'Verbose') }, { r: false }, { 'Mcp-Param-Verbose': 'false' }],
    ['inner spaces stay plain', { r: h('string') }, { r: 'a b' }, { 'Mcp-Param-Region': 'a b' }],
    ['non-ASCII goes Base64', { r: h('string') }, { r: 'Région' }, { 'Mcp-Param-Region': '=?base64?UsOpZ2lvbg==?=' }],
    ['edge spaces go Base64', { r: h('string') }, { r: ' x' }, { 'Mcp-Param-Region': '=?base64?IHg=?=' }],
    ['CR LF goes Base64', { r: h('string') }, { r: 'a\r\nb' }, { 'Mcp-Param-Region': '=?base64?YQ0KYg==?=' }],
    ['null is omitted', { r: h('boolean', 'Verbose') }, { r: null }, {}],
    ['absent is omitted', { r: h('string') }, {}, {}],
    ['unannotated is not mirrored', { q: { type: 'string' } }, { q: 'x' }, {}],
    ['a nullable string', { r: h2(['string', 'null']) }, { r: 'x' }, { 'Mcp-Param-Region': 'x' }],
    ['no declared type: the value says', { r: { 'x-mcp-header': 'Region' } }, { r: 7 }, { 'Mcp-Param-Region': '7' }],
    ['no declared type, an object value: not mirrored', { r: { 'x-mcp-header': 'Region' } }, { r: {} }, {}],
  ])('%s', (_label, properties, args, headers) => {
    expect(paramHeaders(schema(properties), args)).toEqual({ headers });
  });

  it.each([
    ['empty name', { r: h('string', '') }, /no header name/],
    ['space in name', { r: h('string', 'My Region') }, /no header name/],
    ['colon in name', { r: h('string', 'Region:Primary') }, /no header name/],
    ['non-ASCII name', { r: h('string', 'Région') }, /no header name/],
    ['control character in name', { r: h('string', 'Region\t1') }, /no header name/],
    ['number type', { r: h('number', 'Score') }, /type "number"/],
    ['object type', { r: h('object', 'Data') }, /type "object"/],
    ['array type', { r: h('array', 'Items') }, /type "array"/],
    ['null type', { r: h('null', 'Nil') }, /type "null"/],
    ['only null in a list', { r: h2(['null']) }, /type \["null"\]/],
    ['a list with number', { r: h2(['string', 'number']) }, /type \["string","number"\]/],
    ['same name twice, any case', { a: h('string', 'MyField'), b: h('string', 'myfield') }, /used twice/],
  ])('a tool with an invalid annotation (%s) is not to be called', (_label, properties, why) => {
    const r = paramHeaders(schema(properties), {});
    expect('invalid' in r && r.invalid).toMatch(why);
  });
});

describe('a call to a tool with x-mcp-header parameters', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('mirrors them, so a server that checks its headers against the body takes the call', async () => {
    const server = await startStatelessHttp({ headerTools: true });
    servers.push(server);
    const r = await checkServer({
      name: 'headers',
      launch: { kind: 'http', url: server.url, headers: {} },
      timeoutMs: 30_000,
      call: { tool: 'locate', arguments: { region: 'eu west', priority: 3, note: 'n' }, expect: 'located eu west' },
    });
    expect(
      r.checks.find((c) => c.name === 'call'),
      JSON.stringify(r.checks),
    ).toMatchObject({ verdict: 'pass' });
    const call = (server.requests as { headers: Record<string, string>; body: { method: string } }[]).find(
      (q) => q.body.method === 'tools/call',
    )!;
    expect(call.headers).toMatchObject({ 'mcp-param-region': 'eu west', 'mcp-param-priority': '3' });
    expect(call.headers['mcp-param-verbose']).toBeUndefined();
  });
});
