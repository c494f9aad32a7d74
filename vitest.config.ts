import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __MCPFORM_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  test: {
    include: ['test/**/*.test.ts'],
    // node:test files for Windows Node under Wine (npm run test:windows), not vitest's.
    exclude: ['test/windows/**', '**/node_modules/**'],
    // Real MCP servers and child processes: generous per-test time, forked workers.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default leaves one core idle: on a 2-core CI machine that is one file at a time,
    // while most tests wait on child processes. Two at once halves the wall time (230 s -> 143 s).
    maxWorkers: Math.max(2, availableParallelism()),
    // default for people; JSON for .ci/run's one-line summary.
    reporters: ['default', ['json', { outputFile: 'coverage/test-results.json' }]],
  },
});
