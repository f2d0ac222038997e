import { defineConfig } from 'drizzle-kit';

// The PostgreSQL schema mirrors server/src/db/schema table by table; its migrations live apart.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/pg/schema/index.ts',
  out: './server/src/db/pg/migrations',
});
