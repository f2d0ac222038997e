// Payments at server start: real Stripe with STRIPE_SECRET_KEY; outside production without it, the
// local Stripe emulator (started in-process, or one already running at STRIPE_EMULATOR_URL); in
// production without it, no online payments.
import { randomBytes } from 'node:crypto';
import type { Env } from '../env';
import { Payments } from './gateway';

/** The emulator accepts any test key; this one says where it came from in its request log. */
export const EMULATOR_SECRET_KEY = 'sk_test_doorstep_local_emulator';

export interface RunningPayments {
  payments: Payments | undefined;
  /** One line for the start-up banner. */
  description: string;
  stop(): Promise<void>;
}

const none = async () => {};

export async function startPayments(env: Env): Promise<RunningPayments> {
  if (env.STRIPE_SECRET_KEY) {
    return {
      payments: new Payments({
        secretKey: env.STRIPE_SECRET_KEY,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
        connectWebhookSecret: env.STRIPE_CONNECT_WEBHOOK_SECRET,
      }),
      description: `Stripe (${env.STRIPE_SECRET_KEY.includes('_live_') ? 'live' : 'test'} mode), webhooks at ${env.PUBLIC_URL}/v1/webhooks/stripe${
        env.STRIPE_CONNECT_WEBHOOK_SECRET ? ' (account and Connect endpoints)' : ''
      }`,
      stop: none,
    };
  }
  if (!env.dev) return { payments: undefined, description: 'off (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)', stop: none };

  // Loaded only here: production never runs the emulator's code.
  const emulatorModule = await import('../../../demo/stripe-emulator/index');
  if (env.STRIPE_EMULATOR_URL) {
    const webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? emulatorModule.DEV_WEBHOOK_SECRET;
    const connectWebhookSecret = env.STRIPE_CONNECT_WEBHOOK_SECRET ?? emulatorModule.DEV_CONNECT_WEBHOOK_SECRET;
    return {
      payments: new Payments({ secretKey: EMULATOR_SECRET_KEY, webhookSecret, connectWebhookSecret, apiUrl: env.STRIPE_EMULATOR_URL }),
      description: `local Stripe emulator at ${env.STRIPE_EMULATOR_URL} (test cards only)`,
      stop: none,
    };
  }
  // Started together with its only receiver, so fresh secrets each start are enough.
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const connectWebhookSecret = env.STRIPE_CONNECT_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const start = (port: number) =>
    emulatorModule.startStripeEmulator({
      port,
      webhookUrl: `http://127.0.0.1:${env.PORT}/v1/webhooks/stripe`,
      webhookSecret,
      connectWebhookSecret,
      log: (line) => console.log(`[stripe-emulator] ${line}`),
    });
  let emulator: Awaited<ReturnType<typeof start>>;
  try {
    emulator = await start(env.STRIPE_EMULATOR_PORT);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw new Error(`the local Stripe emulator did not start: ${String(error)}`);
    // Another Doorstep (or emulator) has the port: this server's emulator is private to it, any port will do.
    console.warn(`Payments: port ${env.STRIPE_EMULATOR_PORT} is in use, so the local Stripe emulator takes a free port.`);
    emulator = await start(0);
  }
  return {
    payments: new Payments({ secretKey: EMULATOR_SECRET_KEY, webhookSecret, connectWebhookSecret, apiUrl: emulator.url }),
    description: `local Stripe emulator at ${emulator.url} (test cards only: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined)`,
    stop: () => emulator.close(),
  };
}
