// Starts Doorstep: parse the environment, open and migrate the database, serve, and run the
// outbox worker until a signal stops everything cleanly.
import { serve } from '@hono/node-server';
import { createApp, defaultDistDir } from './app';
import { loadEnv } from './env';
import { systemClock } from './lib/clock';
import { createDevMailboxTransport } from './mail/dev-mailbox';
import { createResendTransport } from './mail/resend';
import { OutboxWorker } from './mail/worker';
import type { Deps } from './services/deps';
import { openStore } from './store/open';
import { WebhookWorker } from './webhooks/worker';
import { BulkInvitationWorker } from './jobs/bulk-invitations';
import { startPayments } from './payments/start';
import { startDemo } from '../../demo/start';

const env = loadEnv();

const payments = await startPayments(env).catch((error: unknown) => {
  console.error(`Doorstep cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const { store, description: database } = await openStore(env).catch((error: unknown) => {
  console.error(`Doorstep cannot start: the database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const deps: Deps = {
  store,
  clock: systemClock,
  publicUrl: env.PUBLIC_URL,
  paymentsConfigured: payments.payments !== undefined,
  payments: payments.payments,
  trustProxy: env.TRUST_PROXY === '1',
  dev: env.dev,
};
const devMail = !env.RESEND_API_KEY;
const transport = env.RESEND_API_KEY ? createResendTransport({ apiKey: env.RESEND_API_KEY }) : createDevMailboxTransport(store, systemClock);
const outbox = new OutboxWorker({ store, transport, clock: systemClock, from: env.MAIL_FROM });
const webhooks = new WebhookWorker({ store, clock: systemClock });
const app = createApp(deps, { distDir: defaultDistDir, devMail: devMail && env.dev });

// The demo (development only): a seeded business and its website on another origin.
const demo = env.dev && env.DOORSTEP_DEMO === '1' ? await startDemo(deps, env.DEMO_SITE_PORT) : undefined;

const server = serve({ fetch: app.fetch, port: env.PORT }, (info) => {
  console.log(`Doorstep listening on http://localhost:${info.port} (public URL ${env.PUBLIC_URL})`);
  console.log(`Database: ${database}`);
  console.log(`Admin console: ${env.PUBLIC_URL}/admin`);
  if (devMail) console.log(`Mail: dev mailbox${env.dev ? ` at ${env.PUBLIC_URL}/dev/mail` : ' (console only: set RESEND_API_KEY)'}`);
  console.log(`Payments: ${payments.description}`);
  demo?.announce();
});
outbox.start();
webhooks.start();
const bulkInvitations = new BulkInvitationWorker(deps);
bulkInvitations.start();

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: shutting down`);
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  server.close(async () => {
    await Promise.all([outbox.stop(), webhooks.stop(), bulkInvitations.stop(), payments.stop(), demo?.stop()]);
    await store.close();
    process.exit(0);
  });
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
