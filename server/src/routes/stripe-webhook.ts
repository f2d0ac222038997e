// POST /v1/webhooks/stripe: Stripe's events. The signature covers the body byte for byte, so the
// body is read raw (`c.req.text()`) and verified before anything parses it as JSON.
import { Hono } from 'hono';
import { handleStripeWebhook } from '../payments/webhook';
import type { Deps } from '../services/deps';

export const stripeWebhookRoutes = (deps: Deps) =>
  new Hono().post('/stripe', async (c) => {
    const raw = await c.req.text();
    return c.json(await handleStripeWebhook(deps, raw, c.req.header('Stripe-Signature')), 200);
  });
