import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinInRepo, refProblem, repoPath, urlProblem } from '../../../src/config/git/spec.js';

describe('git import specs', () => {
  it.each([
    ['https://github.com/acme/mcp-profiles.git', true],
    ['ssh://git@github.com/acme/mcp-profiles.git', true],
    ['git@github.com:acme/mcp-profiles.git', true],
    ['git://example.com/team.git', true],
    ['file:///srv/git/team.git', true],
    ['ext::sh -c touch% /tmp/pwned', false],
    ['fd::17', false],
    ['transport::https://example.com/x', false],
    ['-oProxyCommand=touch /tmp/x', false],
    ['https://ghp_token@github.com/acme/x.git', false],
    ['https://user:secret@example.com/x.git', false],
    ['ftp://example.com/x.git', false],
    ['../team', false],
    ['C:\\repos\\team', false],
    ['https://example.com/x\n.git', false],
  ])('url %j accepted: %s', (url, ok) => {
    expect(urlProblem(url) === undefined).toBe(ok);
  });

  it.each([
    ['v1.4.0', true],
    ['main', true],
    ['feature/team-x', true],
    ['3f9c2e1d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e', true],
    ['-c', false],
    ['--upload-pack=x', false],
    ['a..b', false],
    ['HEAD@{1}', false],
    ['x.lock', false],
    ['v1\u0000', false],
    ['with space', false],
  ])('ref %j accepted: %s', (ref, ok) => {
    expect(refProblem(ref) === undefined).toBe(ok);
  });

  it.each([
    ['base.mcp.yaml', 'base.mcp.yaml'],
    ['./profiles//base.mcp.yaml', 'profiles/base.mcp.yaml'],
    ['profiles/../base.mcp.yaml', 'base.mcp.yaml'],
    ['../base.mcp.yaml', undefined],
    ['/etc/passwd', undefined],
    ['~/x.yaml', undefined],
    ['a\\b.yaml', undefined],
    ['profiles/', undefined],
  ])('path %j -> %j', (path, want) => {
    expect(repoPath(path).path).toBe(want);
  });

  it('no accepted URL is an option, a remote helper, or carries control characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme-ascii' }).map((s) => `https://${s}`),
        ),
        (url) => {
          if (urlProblem(url) !== undefined) return;
          expect(url.startsWith('-')).toBe(false);
          expect(url.includes('::')).toBe(false);
          // eslint-disable-next-line no-control-regex
          expect(/[\u0000-\u001f\u007f\s]/.test(url)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a relative import inside a repository never leaves it', () => {
    const segment = fc.constantFrom('..', '.', 'a', 'b', '', '~', '/', 'c.yaml');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.array(segment, { maxLength: 6 }), (from, rel) => {
        const r = joinInRepo(['profiles', ...from, 'base.yaml'].join('/'), rel.join('/'));
        if (r.path === undefined) return;
        expect(r.path.startsWith('/')).toBe(false);
        expect(r.path === '..' || r.path.startsWith('../')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
