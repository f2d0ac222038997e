// A Doorstep app wired to the local Stripe emulator, as `npm start` wires them: the real `stripe`
// SDK over HTTP on 127.0.0.1, and the emulator's signed webhooks posted into the app (in-process,
// through app.request), both on the harness's manual clock.
import { newId } from '../src/lib/crypto';
import { Payments } from '../src/payments/gateway';
import type { OutboxEmail, WebhookDelivery } from '../src/store/types';
import { startStripeEmulator, type StripeEmulator } from '../../demo/stripe-emulator/index';
import { createHarness, expectJson, sampleLineItems, type Harness } from './harness';
import { signIn, type SignedInCustomer } from './sign-in';

export const WEBHOOK_SECRET = 'whsec_doorstep_payment_tests';
/** The Connect endpoint's secret: connected accounts' events are signed with it. */
export const CONNECT_WEBHOOK_SECRET = 'whsec_doorstep_payment_tests_connect';
export const WEBHOOK_URL = 'http://doorstep.test/v1/webhooks/stripe';

export interface PaymentsHarness extends Harness {
  emulator: StripeEmulator;
  payments: Payments;
  /** Ids of a webhook endpoint registered for each business, to read the events queued to it. */
  endpoints: Record<'acme' | 'bravo', string>;
  closeAll(): Promise<void>;
}

export async function createPaymentsHarness(): Promise<PaymentsHarness> {
  const h = await createHarness();
  const emulator = await startStripeEmulator({
    webhookSecret: WEBHOOK_SECRET,
    connectWebhookSecret: CONNECT_WEBHOOK_SECRET,
    webhookUrl: WEBHOOK_URL,
    fetch: async (url, init) => h.app.request(url, init),
    now: () => h.clock.now(),
    webhookRetryDelaysMs: [5, 5, 5],
  });
  const payments = new Payments({
    secretKey: 'sk_test_doorstep_payment_tests',
    webhookSecret: WEBHOOK_SECRET,
    connectWebhookSecret: CONNECT_WEBHOOK_SECRET,
    apiUrl: emulator.url,
    maxNetworkRetries: 1,
  });
  h.deps.payments = payments;
  const endpoints = { acme: '', bravo: '' };
  for (const [business, key] of [['acme', h.keyA], ['bravo', h.keyB]] as const) {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { paymentsEnabled: true }, key), 200);
    const endpoint = await h.store.createWebhookEndpoint(business, { id: newId('whe'), url: `https://hooks.${business}.test/doorstep`, secret: 'whsec_out', events: [], description: null }, h.clock.now());
    endpoints[business] = endpoint.id;
  }
  return {
    ...h,
    emulator,
    payments,
    endpoints,
    async closeAll() {
      await emulator.close();
      await h.close();
    },
  };
}

let seq = 0;

export interface PayingCustomer extends SignedInCustomer {
  business: 'acme' | 'bravo';
  email: string;
  invoiceId: string;
  /** The invoice's amount due (its total: nothing paid yet). */
  due: number;
}

/** A customer of `business` with an open invoice, signed in to the portal. */
export async function payingCustomer(h: PaymentsHarness, business: 'acme' | 'bravo' = 'acme', lineItems = sampleLineItems): Promise<PayingCustomer> {
  const n = ++seq;
  const key = business === 'acme' ? h.keyA : h.keyB;
  const email = `payer-${n}@${business}-customers.test`;
  const customer = await expectJson(h.admin('POST', '/v1/admin/customers', { name: `Payer ${n}`, email }, key), 201);
  const invoice = await expectJson(
    h.admin('POST', '/v1/admin/invoices', { customerId: customer.id, number: `PAY-${n}`, currency: 'usd', lineItems, taxAmount: 1250, status: 'open' }, key),
    201,
  );
  const signedIn = await signIn(h, business, email);
  return { ...signedIn, business, email, invoiceId: invoice.id, due: invoice.amountDue };
}

/** The customer's request, as the widget makes it. */
export function portal(h: Harness, who: SignedInCustomer & { business: string }, method: string, path: string, body?: string) {
  return h.app.request(`/v1/b/${who.business}${path}`, {
    method,
    headers: { ...who.headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
}

/** Opens the hosted Checkout page and submits its form as the customer would; answers the POST. */
export async function submitCheckout(url: string, fields: Record<string, string> = {}): Promise<Response> {
  const html = await (await fetch(url)).text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the checkout page: ${html.slice(0, 500)}`);
  const values: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="(\w+)" name="(\w+)"[^>]*?value="([^"]*)"/g)) values[m[2]!] = m[3]!;
  return fetch(new URL(action, url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...values, ...fields }).toString(),
    redirect: 'manual',
  });
}

/** The session id at the end of a Checkout URL. */
export const sessionIdOf = (url: string) => new URL(url).pathname.split('/').pop()!;

export const kinds = (emails: OutboxEmail[]) => emails.map((e) => e.kind).sort();

/** Outgoing webhook events queued to the business's endpoint. */
export async function queuedEvents(h: PaymentsHarness, business: 'acme' | 'bravo'): Promise<WebhookDelivery[]> {
  const all: WebhookDelivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.store.listWebhookDeliveries(business, h.endpoints[business], { limit: 100, cursor });
    all.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/** Posts a payload to the Stripe webhook route with a signature header. */
export function postWebhook(h: Harness, payload: string, signature: string | undefined) {
  return h.app.request('/v1/webhooks/stripe', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...(signature !== undefined ? { 'Stripe-Signature': signature } : {}) },
    body: payload,
  });
}
