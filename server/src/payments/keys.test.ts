// SECURITY P3: every Stripe POST carries a deterministic idempotency key. A network failure on the
// first attempt is retried (by the SDK, or by the customer clicking again) with the same key, so
// Stripe does the work once; a new intent gets a new key.
import { afterAll, describe, expect, it } from 'vitest';
import { expectJson } from '../../test/harness';
import { createPaymentsHarness, payingCustomer, portal, sessionIdOf, type PayingCustomer } from '../../test/stripe';
import { CHECKOUT_WINDOW_MS, checkoutWindow, idempotencyKey, paramsHash } from './keys';

const h = await createPaymentsHarness();
afterAll(() => h.closeAll());

const checkout = (who: PayingCustomer) => portal(h, who, 'POST', `/invoices/${who.invoiceId}/checkout`);
const posts = (path: string) => h.emulator.requests.filter((r) => r.method === 'POST' && r.path === path);

describe('deterministic idempotency keys', () => {
  it('a simulated network error on the first call: the SDK retry carries the same key, and Stripe does it once', async () => {
    const who = await payingCustomer(h);
    h.emulator.clearLogs();
    // The customer is created at Stripe, then the answer is lost on the way back.
    h.emulator.failNext({ phase: 'after', match: (r) => r.path === '/v1/customers' });
    const customersBefore = h.emulator.state.customers.size;
    const { url } = await expectJson<{ url: string }>(checkout(who), 200);

    const creates = posts('/v1/customers');
    expect(creates.map((r) => [r.failure, r.replayed])).toEqual([
      ['after', false],
      [null, true],
    ]);
    expect(creates[0]!.idempotencyKey).toBe(creates[1]!.idempotencyKey);
    expect(creates[0]!.idempotencyKey).toMatch(new RegExp(`^doorstep:customer:acme:${who.customer.id}:[0-9a-f]{16}$`));
    expect(h.emulator.state.customers.size).toBe(customersBefore + 1);
    expect(sessionIdOf(url)).toMatch(/^cs_test_/);
  });

  it('when every attempt fails, the customer’s next click sends the same key and gets the one session', async () => {
    const who = await payingCustomer(h);
    await expectJson(checkout(who), 200); // the Stripe customer exists from here on
    const invoice = await expectJson(portal(h, who, 'GET', `/invoices/${who.invoiceId}`), 200);
    // What is due changes, so the next Checkout is a new intent; its answer is lost twice (both SDK attempts).
    await expectJson(h.admin('PATCH', `/v1/admin/invoices/${who.invoiceId}`, { amountPaid: 1_000 }), 200);
    h.emulator.clearLogs();
    const sessionsBefore = h.emulator.state.sessions.size;
    h.emulator.failNext({ phase: 'after', times: 2, match: (r) => r.path === '/v1/checkout/sessions' });
    expect((await expectJson(checkout(who), 502)).error.code).toBe('payments_unavailable');
    const retried = await expectJson<{ url: string }>(checkout(who), 200);

    const attempts = posts('/v1/checkout/sessions');
    expect(attempts.map((r) => [r.failure, r.replayed])).toEqual([
      ['after', false],
      ['after', true],
      [null, true],
    ]);
    expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(attempts[0]!.idempotencyKey).toMatch(
      new RegExp(`^doorstep:checkout:acme:${who.invoiceId}:${invoice.amountDue - 1_000}usd:${checkoutWindow(h.clock.now()).window}:[0-9a-f]{16}$`),
    );
    // Stripe made one session, and the customer got it.
    expect(h.emulator.state.sessions.size).toBe(sessionsBefore + 1);
    expect(h.emulator.state.sessions.get(sessionIdOf(retried.url))).toBeDefined();
  });

  it('dedupes a double click within the window; the next window, or a new amount due, is a new Checkout', async () => {
    const who = await payingCustomer(h);
    const [a, b] = await Promise.all([expectJson(checkout(who), 200), expectJson(checkout(who), 200)]);
    expect(a.url).toBe(b.url);
    h.clock.advance(CHECKOUT_WINDOW_MS);
    const next = await expectJson(checkout(who), 200);
    expect(next.url).not.toBe(a.url);
    await expectJson(h.admin('PATCH', `/v1/admin/invoices/${who.invoiceId}`, { amountPaid: 500 }), 200);
    const smaller = await expectJson(checkout(who), 200);
    expect(smaller.url).not.toBe(next.url);
    expect((await h.payments.stripe.checkout.sessions.retrieve(sessionIdOf(smaller.url))).amount_total).toBe(who.due - 500);
  });

  it('every POST Doorstep sends carries a doorstep: key (never the SDK’s random one)', async () => {
    const who = await payingCustomer(h);
    h.emulator.clearLogs();
    await expectJson(checkout(who), 200);
    const { url } = await expectJson<{ url: string }>(portal(h, who, 'POST', '/payment-methods/setup'), 200);
    await h.emulator.completeCheckout(sessionIdOf(url));
    const [card] = (await expectJson(portal(h, who, 'GET', '/payment-methods'), 200)).data;
    await expectJson(portal(h, who, 'POST', `/payment-methods/${card.id}/default`), 200);
    expect((await portal(h, who, 'DELETE', `/payment-methods/${card.id}`)).status).toBe(204);
    const mutations = h.emulator.requests.filter((r) => r.method === 'POST');
    expect(mutations.map((r) => r.path)).toEqual([
      '/v1/customers',
      '/v1/checkout/sessions',
      '/v1/checkout/sessions',
      `/v1/customers/${(await h.store.getCustomer('acme', who.customer.id))!.stripeCustomerId}`,
      `/v1/payment_methods/${card.id}/detach`,
    ]);
    for (const r of mutations) expect(r.idempotencyKey).toMatch(/^doorstep:(customer|checkout|setup|card-default|card-detach):/);
  });

  it('keys depend on the parameters, so a key never meets different parameters', () => {
    expect(paramsHash({ a: 1, b: [1, { c: 2 }] })).toBe(paramsHash({ b: [1, { c: 2 }], a: 1 }));
    expect(paramsHash({ a: 1 })).not.toBe(paramsHash({ a: 2 }));
    expect(idempotencyKey.customer('acme', 'cus_1', { name: 'A' })).not.toBe(idempotencyKey.customer('acme', 'cus_1', { name: 'B' }));
    const { window, expiresAt } = checkoutWindow(Date.parse('2026-01-15T12:59:59Z'));
    expect(expiresAt).toBe(Date.parse('2026-01-15T13:30:00Z') / 1000);
    expect(checkoutWindow(Date.parse('2026-01-15T12:00:00Z')).window).toBe(window);
    expect(idempotencyKey.cardDefault('acme', 'cus_1', 'pm_1', 3).length).toBeLessThan(255);
  });
});
