import { defineConfig } from 'vitest/config';

// Every test file runs against SQLite. With TEST_DATABASE_URL set (`.ci/run` starts a throwaway
// PostgreSQL server), the server suite runs a second time against PostgreSQL, minus the files
// about the SQLite file itself.
const sqliteOnly = [
  'server/src/db/client.test.ts', // pragmas of the SQLite file
  'server/test/token-at-rest.test.ts', // bytes of the SQLite file and its WAL
  'server/test/durability.test.ts', // kill -9 of a server on a SQLite file
  'server/test/cli.test.ts', // the operator CLI on a SQLite file, including `backup`
];

const shared = {
  environment: 'node' as const,
  testTimeout: 20_000,
  hookTimeout: 20_000,
  // Each file gets its own database; files run in parallel on the machine's cores.
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest.json' },
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['server/**/*.test.ts', 'widget/test/**/*.test.ts', 'demo/**/*.test.ts', 'admin/test/**/*.test.ts'],
          // The PostgreSQL store's own tests run in the postgres project only.
          exclude: ['server/src/store/pg/**'],
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: ['server/**/*.test.ts'],
                exclude: [...sqliteOnly, 'server/src/store/sqlite/**'],
                env: { DOORSTEP_TEST_STORE: 'postgres' },
                globalSetup: ['server/test/postgres-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
