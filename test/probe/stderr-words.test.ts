import { describe, expect, it } from 'vitest';
import { errorLine, missingDependency } from '../../src/probe/stderr-words.js';

describe("a crashed server's stderr, for a person", () => {
  it("Node: the error line comes first; the stack and 'Node.js vX' after it are not the message", () => {
    const stderr = [
      'node:internal/modules/esm/resolve:873',
      '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
      '        ^',
      '',
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /srv/x/index.js",
      '    at packageResolve (node:internal/modules/esm/resolve:873:9) {',
      "  code: 'ERR_MODULE_NOT_FOUND'",
      '}',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(errorLine(stderr)).toBe(
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /srv/x/index.js",
    );
    expect(missingDependency(stderr)).toContain('npm install');
  });

  it('Python: the exception is the last line of the traceback', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/srv/s.py", line 1, in <module>',
      '    import mcp',
      "ModuleNotFoundError: No module named 'mcp'",
    ].join('\n');
    expect(errorLine(stderr)).toBe("ModuleNotFoundError: No module named 'mcp'");
    expect(missingDependency(stderr)).toContain('Python');
  });

  it('no error line: nothing is made up', () => {
    expect(errorLine('listening on stdio\nshutting down')).toBeUndefined();
    expect(missingDependency('GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required')).toBeUndefined();
  });
});
