import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __MCPFORM_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  test: {
    include: ['test/**/*.test.ts'],
    // Real MCP servers and child processes: generous per-test time, forked workers.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // default for people; JSON for .ci/run's one-line summary.
    reporters: ['default', ['json', { outputFile: 'coverage/test-results.json' }]],
  },
});
