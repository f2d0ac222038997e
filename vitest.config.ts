import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'widget/test/**/*.test.ts', 'demo/**/*.test.ts', 'admin/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each file gets its own temp SQLite file; files run in parallel on the machine's cores.
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest.json' },
  },
});
