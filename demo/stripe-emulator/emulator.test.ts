// The local Stripe emulator, driven by the real `stripe` SDK over HTTP on 127.0.0.1: form parsing,
// Stripe-shaped objects and errors, idempotency, connected accounts, the hosted Checkout page and
// signed webhooks that the SDK's own constructEvent accepts.
import Stripe from 'stripe';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { submitCheckout } from '../../server/test/stripe';
import { WebhookReceiver } from '../../server/test/webhook-receiver';
import { parseForm } from './form';
import { DECLINED_CARD, startStripeEmulator, type StripeEmulator } from './index';

const SECRET = 'whsec_emulator_test_secret';
const receiver = new WebhookReceiver();
await receiver.listen();
const emulator = await startStripeEmulator({ webhookSecret: SECRET, webhookUrl: receiver.url('/stripe'), webhookRetryDelaysMs: [20, 20, 20] });
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

const client = (em: StripeEmulator = emulator, key = 'sk_test_emulator', maxNetworkRetries = 0) =>
  new Stripe(key, { host: '127.0.0.1', port: em.port, protocol: 'http', maxNetworkRetries });
const stripe = client();

beforeEach(async () => {
  await settle();
  emulator.clearLogs();
});

const lastRequest = () => emulator.requests.at(-1)!;

/** Lets the webhooks of earlier API calls (sent in the background) arrive, then forgets them. */
async function settle() {
  await emulator.idle();
  receiver.reset();
}

/** The error a call throws, for asserting on its Stripe type and fields. */
async function failure(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error('expected the call to fail');
}

const paymentSession = (params: Partial<Stripe.Checkout.SessionCreateParams> = {}, options: Stripe.RequestOptions = {}) =>
  stripe.checkout.sessions.create(
    {
      mode: 'payment',
      success_url: 'https://shop.test/portal#portal-checkout=success&session={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://shop.test/portal#portal-checkout=canceled',
      line_items: [
        { quantity: 1, price_data: { currency: 'usd', unit_amount: 125_000, product_data: { name: 'Water heater install' } } },
        { quantity: 2, price_data: { currency: 'usd', unit_amount: 9_500, product_data: { name: 'Labor (hours)' } } },
      ],
      metadata: { doorstepInvoice: 'inv_1' },
      payment_intent_data: { metadata: { doorstepInvoice: 'inv_1' } },
      ...params,
    },
    options,
  );


describe('form encoding', () => {
  it('parses what the SDK sends: nested hashes, indexed arrays, `[]` and + for spaces', () => {
    expect(
      parseForm(
        'metadata[doorstepInvoice]=inv_1&line_items[0][price_data][unit_amount]=1200&line_items[0][price_data][product_data][name]=Invoice+A%2F1&line_items[0][quantity]=1&line_items[1][quantity]=2&expand[]=payment_method&expand[]=customer&empty=',
      ),
    ).toEqual({
      metadata: { doorstepInvoice: 'inv_1' },
      line_items: [{ price_data: { unit_amount: '1200', product_data: { name: 'Invoice A/1' } }, quantity: '1' }, { quantity: '2' }],
      expand: ['payment_method', 'customer'],
      empty: '',
    });
  });

  it('refuses prototype keys, conflicting shapes and broken encoding', () => {
    expect(() => parseForm('metadata[__proto__][x]=1')).toThrow(/Invalid parameter name/);
    expect(() => parseForm('constructor[prototype][x]=1')).toThrow(/Invalid parameter name/);
    expect(() => parseForm('a=1&a[b]=2')).toThrow(/Invalid hash/);
    expect(() => parseForm('a[b]=2&a=1')).toThrow(/a hash or array was expected/);
    expect(() => parseForm('a=%E0%A4%A')).toThrow(/Invalid URL encoding/);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('records the parsed body of every API call', async () => {
    const customer = await stripe.customers.create({ name: 'Dana Rivera', email: 'dana@example.com', metadata: { doorstepCustomer: 'cus_local_1' } });
    expect(customer).toMatchObject({ object: 'customer', name: 'Dana Rivera', email: 'dana@example.com', metadata: { doorstepCustomer: 'cus_local_1' }, livemode: false });
    expect(lastRequest()).toMatchObject({ method: 'POST', path: '/v1/customers', params: { name: 'Dana Rivera', metadata: { doorstepCustomer: 'cus_local_1' } }, status: 200 });
    expect(lastRequest().idempotencyKey).toMatch(/^stripe-node-retry-/);
  });

  it('records every API request it receives, refused or not implemented ones too, so a test can tell none came', async () => {
    expect(emulator.requests).toEqual([]);
    await failure(client(emulator, 'sk_live_nope').customers.list());
    await fetch(`${emulator.url}/v2/core/events`, { headers: { Authorization: 'Bearer sk_test_x' } });
    expect(emulator.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/v1/customers', 401],
      ['GET', '/v2/core/events', 404],
    ]);
  });
});

describe('Stripe-shaped answers and errors', () => {
  it('creates, retrieves and updates customers; a default card must be the customer’s', async () => {
    const customer = await stripe.customers.create({ name: 'A' });
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
    const updated = await stripe.customers.update(customer.id, { name: 'B', metadata: { x: '1' } });
    expect(updated).toMatchObject({ name: 'B', metadata: { x: '1' }, invoice_settings: { default_payment_method: null } });
    const error = await failure(stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: 'pm_nope' } }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'invoice_settings[default_payment_method]' });
  });

  it('answers unknown and missing parameters, missing objects and unknown URLs as Stripe does', async () => {
    const unknown = await failure(stripe.customers.create({ name: 'A', amount: 5 } as Stripe.CustomerCreateParams));
    expect(unknown).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, code: 'parameter_unknown', param: 'amount' });
    const missing = await failure(stripe.checkout.sessions.create({ mode: 'payment', success_url: 'https://x.test/' }));
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'line_items' });
    const nested = await failure(
      paymentSession({ line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 5, product_data: { name: 'x' }, colour: 'red' } as never }] }),
    );
    expect(nested).toMatchObject({ code: 'parameter_unknown', param: 'line_items[0][price_data][colour]' });
    const notInt = await failure(paymentSession({ line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 12.5, product_data: { name: 'x' } } }] }));
    expect(notInt).toMatchObject({ code: 'parameter_invalid_integer', param: 'line_items[0][price_data][unit_amount]' });
    const gone = await failure(stripe.customers.retrieve('cus_missing'));
    expect(gone).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_missing'" });

    const raw = await fetch(`${emulator.url}/v1/charges`, { headers: { Authorization: 'Bearer sk_test_x' } });
    expect(raw.status).toBe(404);
    expect((await raw.json()).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('Unrecognized request URL (GET: /v1/charges)') });
  });

  it('wants a test key and refuses live keys', async () => {
    expect(await failure(client(emulator, 'sk_live_realmoney').customers.create({}))).toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
    const anonymous = await fetch(`${emulator.url}/v1/customers`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.message).toMatch(/You did not provide an API key/);
  });

  it('checks Checkout parameters: modes, line items in setup mode, expiry between 30 minutes and 24 hours', async () => {
    expect(await failure(stripe.checkout.sessions.create({ mode: 'setup', success_url: 'https://x.test/', line_items: [{ quantity: 1, price: 'price_1' }] }))).toMatchObject({
      statusCode: 400,
      param: 'line_items',
    });
    expect(await failure(stripe.checkout.sessions.create({ mode: 'setup', success_url: 'https://x.test/' }))).toMatchObject({ code: 'parameter_missing', param: 'currency' });
    const soon = Math.floor(Date.now() / 1000) + 60;
    expect(await failure(paymentSession({ expires_at: soon }))).toMatchObject({ statusCode: 400, param: 'expires_at' });
    expect(await failure(paymentSession({ success_url: 'javascript:alert(1)' }))).toMatchObject({ code: 'url_invalid', param: 'success_url' });
    const ok = await paymentSession();
    expect(ok).toMatchObject({ object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid', amount_total: 144_000, currency: 'usd', metadata: { doorstepInvoice: 'inv_1' } });
    expect(ok.url).toBe(`${emulator.url}/checkout/${ok.id}`);
    const items = await stripe.checkout.sessions.listLineItems(ok.id);
    expect(items.data.map((i) => [i.description, i.quantity, i.amount_total])).toEqual([
      ['Water heater install', 1, 125_000],
      ['Labor (hours)', 2, 19_000],
    ]);
  });
});

describe('idempotency keys', () => {
  it('answers the same key with the same parameters with the first result, without doing it again', async () => {
    const before = emulator.state.customers.size;
    const first = await stripe.customers.create({ name: 'Once' }, { idempotencyKey: 'same-key-1' });
    const again = await stripe.customers.create({ name: 'Once' }, { idempotencyKey: 'same-key-1' });
    expect(again.id).toBe(first.id);
    expect(emulator.state.customers.size).toBe(before + 1);
    expect(emulator.requests.map((r) => r.replayed)).toEqual([false, true]);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses the same key with other parameters (400 idempotency_error)', async () => {
    await stripe.customers.create({ name: 'First' }, { idempotencyKey: 'same-key-2' });
    const error = await failure(stripe.customers.create({ name: 'Second' }, { idempotencyKey: 'same-key-2' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
    expect(error.message).toMatch(/same parameters/);
  });

  it('saves no result for a request refused for its parameters, and keeps keys per account', async () => {
    await failure(stripe.customers.create({ name: 'x', bogus: 1 } as Stripe.CustomerCreateParams, { idempotencyKey: 'same-key-3' }));
    const fixed = await stripe.customers.create({ name: 'x' }, { idempotencyKey: 'same-key-3' });
    const elsewhere = await stripe.customers.create({ name: 'x' }, { idempotencyKey: 'same-key-3', stripeAccount: 'acct_other' });
    expect(elsewhere.id).not.toBe(fixed.id);
  });

  it('a dropped connection: the SDK retries with the same key, and the work is done once', async () => {
    // Processed, then the answer is lost: the retry must be answered from the idempotency cache.
    emulator.failNext({ phase: 'after' });
    const before = emulator.state.customers.size;
    const customer = await client(emulator, 'sk_test_emulator', 1).customers.create({ name: 'Retried' }, { idempotencyKey: 'dropped-1' });
    expect(emulator.state.customers.size).toBe(before + 1);
    expect(emulator.requests.map((r) => [r.idempotencyKey, r.failure, r.replayed])).toEqual([
      ['dropped-1', 'after', false],
      ['dropped-1', null, true],
    ]);
    expect(emulator.state.customers.get(customer.id)).toBeDefined();

    // Never reached the API: the retry does the work.
    emulator.failNext({ phase: 'before' });
    const second = await client(emulator, 'sk_test_emulator', 1).customers.create({ name: 'Retried 2' });
    const [a, b] = emulator.requests.slice(-2);
    expect(a).toMatchObject({ failure: 'before', status: null });
    expect(b).toMatchObject({ failure: null, replayed: false, status: 200 });
    expect(b!.idempotencyKey).toBe(a!.idempotencyKey);
    expect(second.name).toBe('Retried 2');
  });
});

describe('connected accounts (Stripe-Account)', () => {
  it('keeps objects per account and stamps their events with it', async () => {
    const connected = await stripe.customers.create({ name: 'Connected' }, { stripeAccount: 'acct_1Bravo' });
    expect(lastRequest().stripeAccount).toBe('acct_1Bravo');
    expect(await failure(stripe.customers.retrieve(connected.id))).toMatchObject({ statusCode: 404 });
    expect((await stripe.customers.retrieve(connected.id, {}, { stripeAccount: 'acct_1Bravo' })).id).toBe(connected.id);
    expect(await failure(stripe.customers.retrieve(connected.id, {}, { stripeAccount: 'acct_1Other' }))).toMatchObject({ statusCode: 404 });
    const created = emulator.events.find((e) => e.type === 'customer.created' && (e.data.object as { id: string }).id === connected.id)!;
    expect(created.account).toBe('acct_1Bravo');
    const events = await stripe.events.list({ limit: 100 }, { stripeAccount: 'acct_1Bravo' });
    expect(events.data.every((e) => e.account === 'acct_1Bravo')).toBe(true);
    expect(await failure(stripe.customers.create({}, { stripeAccount: 'not an account' }))).toMatchObject({ statusCode: 403 });
  });
});

describe('webhook secrets: the account endpoint’s and the Connect endpoint’s', () => {
  it('signs connected accounts’ events with the Connect secret when given one, the platform’s with the platform secret', async () => {
    const CONNECT_SECRET = 'whsec_emulator_test_connect_secret';
    const both = await startStripeEmulator({ webhookSecret: SECRET, connectWebhookSecret: CONNECT_SECRET, webhookUrl: receiver.url('/both') });
    try {
      expect(both.connectWebhookSecret).toBe(CONNECT_SECRET);
      const s = client(both);
      const platform = await s.customers.create({ name: 'Platform' });
      const connected = await s.customers.create({ name: 'Connected' }, { stripeAccount: 'acct_1Connect' });
      await both.idle();
      const received = receiver.accepted('/both');
      expect(received).toHaveLength(2);
      const of = (id: string) => received.find((r) => JSON.parse(r.body.toString()).data.object.id === id)!;
      const check = (r: ReturnType<typeof of>, secret: string) => s.webhooks.constructEvent(r.body, String(r.headers['stripe-signature']), secret);
      expect(check(of(platform.id), SECRET).account).toBeUndefined();
      expect(() => check(of(platform.id), CONNECT_SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
      expect(check(of(connected.id), CONNECT_SECRET).account).toBe('acct_1Connect');
      expect(() => check(of(connected.id), SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    } finally {
      await both.close();
    }
    await expect(startStripeEmulator({ webhookSecret: SECRET, connectWebhookSecret: 'nope' })).rejects.toThrow(/whsec_/);
  });
});

describe('hosted Checkout and webhooks', () => {
  const verify = (body: Buffer, header: string | string[] | undefined) => stripe.webhooks.constructEvent(body, String(header), SECRET);

  it('pays: the page shows the amount, a declined card says so, a good card completes, webhooks are signed, then 303 to success_url', async () => {
    const customer = await stripe.customers.create({ name: 'Payer' });
    const session = await paymentSession({ customer: customer.id });
    await settle();
    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Pay $1,440.00</h1>');
    expect(html).toContain('<label for="card_number">Card number</label>');
    expect(html).toContain('value="4242 4242 4242 4242"');
    expect(html).toMatch(/<button type="submit">Pay \$1,440\.00<\/button>/);
    expect(html).toContain('href="https://shop.test/portal#portal-checkout=canceled"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!shop\.test)[^"]*\.(js|css)/);

    const declined = await submitCheckout(session.url!, { card_number: DECLINED_CARD });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toMatch(/role="alert">Your card was declined\./);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect(receiver.received).toHaveLength(0);

    const paid = await submitCheckout(session.url!);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://shop.test/portal#portal-checkout=success&session=${session.id}`);

    // Delivered before the redirect, signed so that the SDK's own verifier accepts them.
    const events = receiver.accepted('/stripe').map((r) => verify(r.body, r.headers['stripe-signature']));
    expect(events.map((e) => e.type)).toEqual(['payment_intent.succeeded', 'checkout.session.completed']);
    expect(receiver.received[0]!.body.toString()).toContain('\n  "id": "evt_');
    const completed = events[1]!.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ id: session.id, status: 'complete', payment_status: 'paid', amount_total: 144_000, currency: 'usd', metadata: { doorstepInvoice: 'inv_1' } });
    const intent = await stripe.paymentIntents.retrieve(completed.payment_intent as string);
    expect(intent).toMatchObject({ amount: 144_000, status: 'succeeded', metadata: { doorstepInvoice: 'inv_1' }, customer: customer.id });

    // A second submit (back button, double click) charges nothing again.
    const resubmit = await fetch(`${emulator.url}/checkout/${session.id}`, { method: 'POST', body: 'card_number=4242424242424242', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(resubmit.status).toBe(303);
    expect(emulator.events.filter((e) => e.type === 'checkout.session.completed' && (e.data.object as { id: string }).id === session.id)).toHaveLength(1);
  });

  it('saves a card in setup mode, attaches it to the customer, and reports attach and detach', async () => {
    const customer = await stripe.customers.create({ name: 'Saver' }, { stripeAccount: 'acct_1Setup' });
    const session = await stripe.checkout.sessions.create(
      { mode: 'setup', customer: customer.id, allowed_payment_method_types: ['card'], success_url: 'https://shop.test/done', cancel_url: 'https://shop.test/back', metadata: { who: 'saver' } },
      { stripeAccount: 'acct_1Setup' },
    );
    expect(session.setup_intent).toMatch(/^seti_/);
    await settle();
    const html = await (await fetch(session.url!)).text();
    expect(html).toContain('<h1>Save a card</h1>');
    expect(html).toContain('<button type="submit">Save card</button>');

    const saved = await submitCheckout(session.url!, { card_number: '5555 5555 5555 4444', expiry: '04 / 31' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('https://shop.test/done');
    const events = receiver.accepted('/stripe').map((r) => verify(r.body, r.headers['stripe-signature']));
    expect(events.map((e) => e.type)).toEqual(['setup_intent.succeeded', 'payment_method.attached', 'checkout.session.completed']);
    expect(events.every((e) => e.account === 'acct_1Setup')).toBe(true);

    const cards = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' }, { stripeAccount: 'acct_1Setup' });
    expect(cards.data).toHaveLength(1);
    expect(cards.data[0]!.card).toMatchObject({ brand: 'mastercard', last4: '4444', exp_month: 4, exp_year: 2031 });
    const intent = await stripe.setupIntents.retrieve(session.setup_intent as string, { expand: ['payment_method'] }, { stripeAccount: 'acct_1Setup' });
    expect(intent.status).toBe('succeeded');
    expect((intent.payment_method as Stripe.PaymentMethod).id).toBe(cards.data[0]!.id);

    const pm = cards.data[0]!;
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } }, { stripeAccount: 'acct_1Setup' });
    await settle();
    const detached = await stripe.paymentMethods.detach(pm.id, {}, { stripeAccount: 'acct_1Setup' });
    expect(detached.customer).toBeNull();
    expect((await stripe.customers.retrieve(customer.id, {}, { stripeAccount: 'acct_1Setup' }) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
    await emulator.idle();
    const after = receiver.accepted('/stripe').map((r) => verify(r.body, r.headers['stripe-signature']));
    const detachEvent = after.find((e) => e.type === 'payment_method.detached')!;
    expect(detachEvent.data.previous_attributes).toEqual({ customer: customer.id });
    expect(await failure(stripe.paymentMethods.detach(pm.id, {}, { stripeAccount: 'acct_1Setup' }))).toMatchObject({ statusCode: 400 });
    // As at Stripe, detaching is for good: the card is never attached again.
    expect(await failure(stripe.paymentMethods.attach(pm.id, { customer: customer.id }, { stripeAccount: 'acct_1Setup' }))).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/detached from a Customer, and may not be used again/),
    });
  });

  it('reports a card’s new details: payment_method.updated for an API update, automatically_updated from the card network', async () => {
    const customer = await stripe.customers.create({ name: 'Renewer' });
    const session = await stripe.checkout.sessions.create({ mode: 'setup', customer: customer.id, currency: 'usd', success_url: 'https://shop.test/done' });
    expect((await emulator.completeCheckout(session.id, { card_number: '4242 4242 4242 4242', expiry: '12 / 34' })).outcome).toBe('completed');
    const [pm] = (await stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data;
    await settle();

    const updated = await stripe.paymentMethods.update(pm!.id, { card: { exp_month: 9, exp_year: 2036 } });
    expect(updated.card).toMatchObject({ exp_month: 9, exp_year: 2036, last4: '4242' });
    expect(await failure(stripe.paymentMethods.update(pm!.id, { card: { exp_month: 13 } }))).toMatchObject({ statusCode: 400, param: 'card[exp_month]' });
    await emulator.renewCard(pm!.id, { expMonth: 1, expYear: 2039 });
    await emulator.idle();
    const events = receiver.accepted('/stripe').map((r) => verify(r.body, r.headers['stripe-signature']));
    expect(events.map((e) => e.type)).toEqual(['payment_method.updated', 'payment_method.automatically_updated']);
    expect(events[0]!.data.previous_attributes).toMatchObject({ card: { exp_month: 12, exp_year: 2034 } });
    expect((events[1]!.data.object as Stripe.PaymentMethod).card).toMatchObject({ exp_month: 1, exp_year: 2039 });
    expect((await stripe.paymentMethods.retrieve(pm!.id)).card).toMatchObject({ exp_month: 1, exp_year: 2039 });

    await stripe.paymentMethods.detach(pm!.id);
    expect(await failure(stripe.paymentMethods.update(pm!.id, { card: { exp_year: 2040 } }))).toMatchObject({ statusCode: 400 });
  });

  it('retries a webhook the endpoint fails, with a fresh signature over the same bytes', async () => {
    const session = await paymentSession();
    await settle();
    receiver.answer('/stripe', 500, 503);
    const completed = await emulator.completeCheckout(session.id);
    expect(completed.outcome).toBe('completed');
    const attempts = emulator.deliveries.filter((d) => d.type === 'checkout.session.completed');
    expect(attempts.map((d) => d.status)).toEqual([200]);
    const all = receiver.to('/stripe');
    expect(all.map((r) => r.status)).toEqual([500, 503, 200, 200]);
    expect(all[0]!.body.equals(all[1]!.body)).toBe(true);
    for (const r of all) expect(() => verify(r.body, r.headers['stripe-signature'])).not.toThrow();
  });

  it('signs so that a changed byte, a stale timestamp or another secret fail constructEvent', async () => {
    const payload = JSON.stringify({ id: 'evt_x', object: 'event', type: 'ping', data: { object: {} } }, null, 2);
    expect(stripe.webhooks.constructEvent(payload, emulator.sign(payload), SECRET).id).toBe('evt_x');
    expect(emulator.sign(payload)).toBe(stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) }));
    expect(() => stripe.webhooks.constructEvent(payload.replace('ping', 'pong'), emulator.sign(payload), SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(payload, emulator.sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }), SECRET)).toThrow(/tolerance/);
    expect(() => stripe.webhooks.constructEvent(payload, emulator.sign(payload, { secret: 'whsec_other' }), SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('expires sessions at expires_at (with the event), and the page then says so', async () => {
    let now = Date.now();
    const clocked = await startStripeEmulator({ webhookSecret: SECRET, now: () => now });
    try {
      const s = client(clocked);
      const session = await s.checkout.sessions.create({ mode: 'setup', currency: 'usd', success_url: 'https://x.test/', cancel_url: 'https://x.test/back', expires_at: Math.floor(now / 1000) + 3600 });
      now += 3601_000;
      const page = await fetch(session.url!);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('href="https://x.test/back"');
      expect((await s.checkout.sessions.retrieve(session.id)).status).toBe('expired');
      expect(clocked.events.filter((e) => e.type === 'checkout.session.expired')).toHaveLength(1);
      expect((await clocked.completeCheckout(session.id)).outcome).toBe('expired');
    } finally {
      await clocked.close();
    }
  });
});
