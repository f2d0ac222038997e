// Starts Doorstep: parse the environment, open and migrate the database, serve.
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { loadEnv } from './env';
import { systemClock } from './lib/clock';
import { SqliteStore } from './store/sqlite';

const env = loadEnv();
if (env.DATABASE_URL) {
  console.error('Doorstep cannot start: DATABASE_URL (PostgreSQL) is not supported by this version yet; unset it to use DATABASE_PATH.');
  process.exit(1);
}

const store = SqliteStore.open(env.DATABASE_PATH);
const app = createApp({
  store,
  clock: systemClock,
  publicUrl: env.PUBLIC_URL,
  paymentsConfigured: Boolean(env.STRIPE_SECRET_KEY) || env.dev,
});

const server = serve({ fetch: app.fetch, port: env.PORT }, (info) => {
  console.log(`Doorstep listening on http://localhost:${info.port} (public URL ${env.PUBLIC_URL})`);
  console.log(`Database: ${env.DATABASE_PATH}`);
});

function shutdown(signal: string) {
  console.log(`\n${signal}: shutting down`);
  server.close(() => {
    store.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
