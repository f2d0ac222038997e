// Runs the local Stripe emulator on its own:
//   npx tsx demo/stripe-emulator/main.ts [--port 12111] [--webhook-url URL] [--webhook-secret whsec_…]
//                                        [--connect-webhook-secret whsec_…]
// Environment: STRIPE_EMULATOR_PORT, STRIPE_EMULATOR_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET,
// STRIPE_CONNECT_WEBHOOK_SECRET.
// (`npm start` already runs one in-process when STRIPE_SECRET_KEY is unset; this is for using the
// emulator from another program, or a Doorstep started with STRIPE_EMULATOR_URL.)
import { parseArgs } from 'node:util';
import { DEFAULT_EMULATOR_PORT, DEV_CONNECT_WEBHOOK_SECRET, DEV_WEBHOOK_SECRET, startStripeEmulator } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
    'connect-webhook-secret': { type: 'string' },
    'no-webhooks': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Local Stripe emulator (development and tests only; never a payment provider)

  --port N              port to listen on (STRIPE_EMULATOR_PORT, default ${DEFAULT_EMULATOR_PORT})
  --host H              address to listen on (default 127.0.0.1)
  --webhook-url URL     where signed events go (STRIPE_EMULATOR_WEBHOOK_URL,
                        default http://127.0.0.1:8787/v1/webhooks/stripe)
  --webhook-secret S    signing secret (STRIPE_WEBHOOK_SECRET, default ${DEV_WEBHOOK_SECRET})
  --connect-webhook-secret S
                        signing secret of connected accounts' events (STRIPE_CONNECT_WEBHOOK_SECRET,
                        default ${DEV_CONNECT_WEBHOOK_SECRET})
  --no-webhooks         record events without posting them`);
  process.exit(0);
}

const port = Number(values.port ?? process.env['STRIPE_EMULATOR_PORT'] ?? DEFAULT_EMULATOR_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Stripe emulator: invalid port "${values.port ?? process.env['STRIPE_EMULATOR_PORT']}"`);
  process.exit(1);
}
const webhookSecret = values['webhook-secret'] ?? process.env['STRIPE_WEBHOOK_SECRET'] ?? DEV_WEBHOOK_SECRET;
const connectWebhookSecret = values['connect-webhook-secret'] ?? process.env['STRIPE_CONNECT_WEBHOOK_SECRET'] ?? DEV_CONNECT_WEBHOOK_SECRET;
const webhookUrl = values['no-webhooks']
  ? undefined
  : (values['webhook-url'] ?? process.env['STRIPE_EMULATOR_WEBHOOK_URL'] ?? 'http://127.0.0.1:8787/v1/webhooks/stripe');

try {
  const emulator = await startStripeEmulator({
    port,
    ...(values.host ? { host: values.host } : {}),
    webhookSecret,
    connectWebhookSecret,
    ...(webhookUrl ? { webhookUrl } : {}),
    log: (line) => console.log(`[stripe-emulator] ${line}`),
  });
  console.log(`Stripe emulator on ${emulator.url}`);
  console.log(`  SDK:      new Stripe('sk_test_…', { host: '127.0.0.1', port: ${emulator.port}, protocol: 'http' })`);
  console.log(`  webhooks: ${webhookUrl ?? '(recorded only)'} signed with ${webhookSecret} (connected accounts': ${connectWebhookSecret})`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(code === 'EADDRINUSE' ? `Stripe emulator: port ${port} is in use (set --port or STRIPE_EMULATOR_PORT).` : `Stripe emulator failed to start: ${String(error)}`);
  process.exit(1);
}
