import { describe, expect, it } from 'vitest';
import { findTokens } from '../../src/util/token-shapes.js';

const found = (text: string) => findTokens(text).map((t) => [text.slice(t.start, t.end), t.name]);

describe('well-known token shapes', () => {
  it.each([
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N', 'JWT'],
    ['ghp_1234567890abcdefghijklmnopqrstuvwxyz', 'GITHUB_TOKEN'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'GITHUB_TOKEN'],
    ['sk-proj-abcdefghijklmnopqrstuvwx', 'OPENAI_API_KEY'],
    ['sk-ant-api03-abcdefghijklmnopqrstuv', 'ANTHROPIC_API_KEY'],
    ['xoxb-1234567890-abcdefghij', 'SLACK_TOKEN'],
    ['xoxp-1234567890-abcdefghij', 'SLACK_TOKEN'],
    ['AKIAIOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY_ID'],
    ['glpat-abcdefghij1234567890', 'GITLAB_TOKEN'],
    ['Zq8xT2mK9pL4vR7nB3wY6cF1hJ5dG0sA', 'SECRET'],
  ])('%s is a %s', (token, name) => {
    expect(found(token)).toEqual([[token, name]]);
    expect(found(`KEY=${token}&x=1`)).toEqual([[token, name]]);
  });

  it.each([
    '3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c', // a commit id
    '123e4567-e89b-12d3-a456-426614174000', // a UUID
    '@modelcontextprotocol/server-filesystem',
    'mcp-server-sequential-thinking-extended',
    '/Users/me/Library/Application Support/Claude/claude_desktop_config.json',
    'C:\\Users\\me\\AppData\\Roaming\\npm\\node_modules\\server\\dist\\index.js',
    'https://mcp.example.com/v1/sse',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1',
    'sk-short',
  ])('%s is no secret', (text) => {
    expect(found(text)).toEqual([]);
  });
});
