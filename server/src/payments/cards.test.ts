// The card on file against the local Stripe emulator: add (Checkout in setup mode, recorded from
// the webhook), list, make default, remove; every change emails the business once and queues one
// payment_method.changed event; SECURITY P4: another customer's card answers 404 and no call at all
// reaches Stripe, because whose a card is comes from our record of the customer's cards, which
// follows what Stripe reports (webhooks, our own calls, its list of the customer's cards).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectJson } from '../../test/harness';
import { createPaymentsHarness, payingCustomer, portal, queuedEvents, submitCheckout, type PayingCustomer } from '../../test/stripe';

const h = await createPaymentsHarness();
afterAll(() => h.closeAll());

const cards = async (who: PayingCustomer) => (await expectJson(portal(h, who, 'GET', '/payment-methods'), 200)).data as { id: string; brand: string; last4: string; expMonth: number; expYear: number; isDefault: boolean }[];

/** Adds a card the way the customer does: setup Checkout, the hosted form, back to the portal. */
async function addCard(who: PayingCustomer, number = '4242 4242 4242 4242', expiry = '12 / 34') {
  const { url } = await expectJson<{ url: string }>(portal(h, who, 'POST', '/payment-methods/setup'), 200);
  const res = await submitCheckout(url, { card_number: number, expiry });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('https://acme.test/portal#portal-payment-methods=added');
  await h.emulator.idle();
}

const mutating = () => h.emulator.requests.filter((r) => r.method !== 'GET');

async function cardMail(who: PayingCustomer) {
  return (await h.store.listOutbox('acme')).filter((m) => m.kind === 'notify_card_changed' && m.subject.startsWith(who.customer.name)).map((m) => m.subject);
}
async function cardEvents(who: PayingCustomer) {
  return (await queuedEvents(h, 'acme'))
    .filter((d) => d.eventType === 'payment_method.changed' && JSON.parse(d.payload).data.customerId === who.customer.id)
    .map((d) => JSON.parse(d.payload).data.change as string)
    .sort();
}

describe('card on file', () => {
  let who: PayingCustomer;
  let removed: string;
  beforeAll(async () => {
    who = await payingCustomer(h);
  });

  it('lists nothing, without asking Stripe, before the customer has a Stripe customer', async () => {
    h.emulator.clearLogs();
    expect(await cards(who)).toEqual([]);
    expect(h.emulator.requests).toEqual([]);
  });

  it('adds a card through Checkout in setup mode; the webhook records it once', async () => {
    await addCard(who);
    expect(await cards(who)).toEqual([{ id: expect.stringMatching(/^pm_/), brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034, isDefault: false }]);
    // payment_method.attached and checkout.session.completed both report it: one email, one event.
    expect(await cardMail(who)).toEqual([`${who.customer.name} added a card on file`]);
    expect(await cardEvents(who)).toEqual(['added']);
    const body = (await h.store.listOutbox('acme')).find((m) => m.kind === 'notify_card_changed')!.text!;
    expect(body).toContain('Visa •••• 4242, expires 12/2034');
    expect(body).not.toMatch(/4242 4242|424242/);
  });

  it('makes a card the default, and back and forth (each change a new idempotency key)', async () => {
    await addCard(who, '5555 5555 5555 4444', '03 / 31');
    const listed = await cards(who);
    expect(listed.map((c) => c.brand).sort()).toEqual(['mastercard', 'visa']);
    const visa = listed.find((c) => c.brand === 'visa');
    const mastercard = listed.find((c) => c.brand === 'mastercard');
    h.emulator.clearLogs();
    for (const card of [visa!, mastercard!, visa!]) {
      const listed = (await expectJson(portal(h, who, 'POST', `/payment-methods/${card.id}/default`), 200)).data;
      expect(listed.filter((c: { isDefault: boolean }) => c.isDefault).map((c: { id: string }) => c.id)).toEqual([card.id]);
    }
    const keys = mutating().map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    expect(mutating().every((r) => !r.replayed)).toBe(true);
    expect((await cards(who)).find((c) => c.isDefault)!.id).toBe(visa!.id);
    expect((await cardMail(who)).filter((s) => s.includes('updated'))).toHaveLength(3);
  });

  it('a repeated click on the same change is one change at Stripe and one email', async () => {
    const mastercard = (await cards(who)).find((c) => c.brand === 'mastercard');
    const before = (await cardMail(who)).length;
    h.emulator.clearLogs();
    const answers = await Promise.all([1, 2, 3].map(() => portal(h, who, 'POST', `/payment-methods/${mastercard!.id}/default`, '{}')));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const posts = mutating();
    expect(new Set(posts.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(posts.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await cardMail(who)).length - before).toBe(1);
  });

  it('a click on the card that is already the default changes nothing, even one that lands just after the same change', async () => {
    // The slow one of a double click: it reads the state after the first was recorded.
    const mastercard = (await cards(who)).find((c) => c.brand === 'mastercard');
    expect(mastercard!.isDefault).toBe(true);
    const before = (await cardMail(who)).length;
    const eventsBefore = await cardEvents(who);
    h.emulator.clearLogs();
    const listed = (await expectJson(portal(h, who, 'POST', `/payment-methods/${mastercard!.id}/default`, '{}'), 200)).data;
    expect(listed.filter((c: { isDefault: boolean }) => c.isDefault).map((c: { id: string }) => c.id)).toEqual([mastercard!.id]);
    expect(mutating()).toEqual([]);
    expect((await cardMail(who)).length).toBe(before);
    expect(await cardEvents(who)).toEqual(eventsBefore);
  });

  it('removes a card: 204, gone from the list, one email even after Stripe’s detached webhook', async () => {
    const visa = (await cards(who)).find((c) => c.brand === 'visa');
    const res = await portal(h, who, 'DELETE', `/payment-methods/${visa!.id}`);
    expect(res.status).toBe(204);
    await h.emulator.idle();
    expect((await cards(who)).map((c) => c.id)).not.toContain(visa!.id);
    expect((await cardMail(who)).filter((s) => s.includes('removed'))).toEqual([`${who.customer.name} removed a card on file`]);
    expect(await cardEvents(who)).toEqual(['added', 'added', 'default', 'default', 'default', 'default', 'removed']);
    // Already removed: 404 like any card that is not theirs.
    removed = visa!.id;
    expect((await portal(h, who, 'DELETE', `/payment-methods/${visa!.id}`)).status).toBe(404);
  });

  it('P4: another customer’s card, another business’s, a removed, missing or malformed id → 404, and no call reaches Stripe', async () => {
    const other = await payingCustomer(h);
    await addCard(other);
    const [theirs] = await cards(other);
    const bravo = await payingCustomer(h, 'bravo');
    const { url } = await expectJson<{ url: string }>(portal(h, bravo, 'POST', '/payment-methods/setup'), 200);
    expect((await submitCheckout(url)).status).toBe(303);
    await h.emulator.idle();
    const [bravoCard] = await cards(bravo);
    const ownerCards = await cards(who);

    h.emulator.clearLogs();
    const missing = await portal(h, who, 'DELETE', '/payment-methods/pm_doesnotexist');
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    for (const id of [theirs!.id, bravoCard!.id, removed, 'pm_doesnotexist', '..%2Fcustomers', 'cus_123']) {
      for (const [method, path] of [
        ['DELETE', `/payment-methods/${id}`],
        ['POST', `/payment-methods/${id}/default`],
      ] as const) {
        const res = await portal(h, who, method, path);
        expect(res.status, `${method} ${id}`).toBe(404);
        expect(await res.text()).toBe(missingBody);
      }
    }
    // The emulator records every request it receives: none came.
    expect(h.emulator.requests).toEqual([]);
    // Nobody's cards moved.
    expect(await cards(other)).toEqual([theirs]);
    expect(await cards(bravo)).toEqual([bravoCard]);
    expect(await cards(who)).toEqual(ownerCards);
  });

  it('setup and default need online payments on; listing and removing still work when the business turns them off', async () => {
    const customer = await payingCustomer(h);
    await addCard(customer);
    const [card] = await cards(customer);
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { paymentsEnabled: false }), 200);
    try {
      expect((await expectJson(portal(h, customer, 'POST', '/payment-methods/setup'), 409)).error.code).toBe('payments_disabled');
      expect((await expectJson(portal(h, customer, 'POST', `/payment-methods/${card!.id}/default`), 409)).error.code).toBe('payments_disabled');
      expect(await cards(customer)).toHaveLength(1);
      expect((await portal(h, customer, 'DELETE', `/payment-methods/${card!.id}`)).status).toBe(204);
    } finally {
      await expectJson(h.admin('PATCH', '/v1/admin/settings', { paymentsEnabled: true }), 200);
    }
  });

  it('takes no fields, and needs a session', async () => {
    expect((await expectJson(portal(h, who, 'POST', '/payment-methods/setup', '{"customer":"cus_x"}'), 400)).error.code).toBe('invalid_body');
    const anonymous = await h.app.request('/v1/b/acme/payment-methods');
    expect(anonymous.status).toBe(401);
  });
});

describe('the record of the customer’s cards follows Stripe', () => {
  const stripe = () => h.payments.stripe;
  const stripeCustomerOf = async (who: PayingCustomer) => (await h.store.getCustomer(who.business, who.customer.id))!.stripeCustomerId!;
  /** The record itself (the cards, and the default their Stripe customer names), read without asking Stripe anything. */
  const recorded = async (who: PayingCustomer) =>
    (
      await h.query<{ id: string; last4: string; exp_month: number; exp_year: number; is_default: number | boolean; detached_at: number | null }>(
        `select p.id, p.last4, p.exp_month, p.exp_year, d.payment_method_id is not null as is_default, p.detached_at from payment_methods p
         left join stripe_customer_defaults d on d.business_id = p.business_id and d.customer_id = p.customer_id and d.payment_method_id = p.id
         where p.business_id = ? and p.customer_id = ? order by p.last4`,
        who.business,
        who.customer.id,
      )
    ).map((r) => ({ id: r.id, last4: r.last4, expiry: `${r.exp_month}/${r.exp_year}`, isDefault: Boolean(r.is_default), detached: r.detached_at !== null }));
  /** Time passes between what a person does, as it does outside tests (Stripe stamps events to the second). */
  const later = () => h.clock.advance(1000);
  const noCallFor = async (who: PayingCustomer, id: string) => {
    h.emulator.clearLogs();
    expect((await portal(h, who, 'DELETE', `/payment-methods/${id}`)).status).toBe(404);
    expect((await portal(h, who, 'POST', `/payment-methods/${id}/default`)).status).toBe(404);
    expect(h.emulator.requests).toEqual([]);
  };

  it('changes made at Stripe (API, card network, dashboard) reach the record by webhook; only a removal is told to the business', async () => {
    const who = await payingCustomer(h);
    await addCard(who);
    later();
    await addCard(who, '5555 5555 5555 4444', '03 / 31');
    const listed = await cards(who);
    const visa = listed.find((c) => c.brand === 'visa')!;
    const mastercard = listed.find((c) => c.brand === 'mastercard')!;
    const mailBefore = await cardMail(who);

    later();
    await stripe().paymentMethods.update(visa.id, { card: { exp_month: 9, exp_year: 2036 } });
    later();
    await h.emulator.renewCard(mastercard.id, { expMonth: 1, expYear: 2039 });
    later();
    await stripe().customers.update(await stripeCustomerOf(who), { invoice_settings: { default_payment_method: mastercard.id } });
    await h.emulator.idle();
    expect(await recorded(who)).toEqual([
      { id: visa.id, last4: '4242', expiry: '9/2036', isDefault: false, detached: false },
      { id: mastercard.id, last4: '4444', expiry: '1/2039', isDefault: true, detached: false },
    ]);
    expect(await cardMail(who)).toEqual(mailBefore);

    // Removed in Stripe's dashboard: the default goes with it, and the business hears of it once.
    later();
    await stripe().paymentMethods.detach(mastercard.id);
    await h.emulator.idle();
    expect(await recorded(who)).toEqual([
      { id: visa.id, last4: '4242', expiry: '9/2036', isDefault: false, detached: false },
      { id: mastercard.id, last4: '4444', expiry: '1/2039', isDefault: false, detached: true },
    ]);
    expect((await cardMail(who)).sort()).toEqual([...mailBefore, `${who.customer.name} removed a card on file`].sort());
    await noCallFor(who, mastercard.id);
    expect(await cards(who)).toEqual([{ ...visa, expMonth: 9, expYear: 2036 }]);
  });

  it('a card the record does not hold yet (saved before it kept one) is 404 with no call, until listing the cards records it', async () => {
    const who = await payingCustomer(h);
    await addCard(who);
    const [card] = await cards(who);
    await h.query('delete from payment_methods where business_id = ? and id = ?', who.business, card!.id);
    await noCallFor(who, card!.id);
    expect(await cards(who)).toEqual([card]);
    expect(await recorded(who)).toEqual([{ id: card!.id, last4: '4242', expiry: '12/2034', isDefault: false, detached: false }]);
    expect((await portal(h, who, 'DELETE', `/payment-methods/${card!.id}`)).status).toBe(204);
  });

  it('a removal whose webhook never came is noticed when the cards are listed, and is for good', async () => {
    const who = await payingCustomer(h);
    await addCard(who);
    const [card] = await cards(who);
    later();
    await stripe().paymentMethods.detach(card!.id);
    await h.emulator.idle();
    // As if Stripe's payment_method.detached had been lost.
    await h.query('update payment_methods set detached_at = null where business_id = ? and id = ?', who.business, card!.id);
    later();
    expect(await cards(who)).toEqual([]);
    expect((await recorded(who)).map((c) => c.detached)).toEqual([true]);
    // A late copy of the old attached event cannot bring it back.
    const attached = h.emulator.events.find((e) => e.type === 'payment_method.attached' && (e.data.object as { id: string }).id === card!.id)!;
    expect(await h.emulator.deliver({ ...attached, id: `${attached.id}x` })).toBe(true);
    await noCallFor(who, card!.id);
  });

  it('when Stripe cannot be reached, the list is the record’s', async () => {
    const who = await payingCustomer(h);
    await addCard(who);
    const listed = await cards(who);
    h.emulator.clearLogs();
    // Both calls of a listing, each with the SDK's one retry.
    h.emulator.failNext({ times: 4, match: (r) => r.method === 'GET' });
    expect(await cards(who)).toEqual(listed);
    // The answer does not wait for the second call's retry; Stripe never answered either.
    await vi.waitFor(() => expect(h.emulator.requests).toHaveLength(4));
    expect(h.emulator.requests.map((r) => r.failure)).toEqual(['before', 'before', 'before', 'before']);
  });

  it('Stripe Connect: a connected business’s cards are recorded from its account’s events (Connect secret) and removed on its account', async () => {
    await h.query('update businesses set stripe_account_id = ? where id = ?', 'acct_1BravoCards', 'bravo');
    try {
      const who = await payingCustomer(h, 'bravo');
      h.emulator.clearLogs();
      const { url } = await expectJson<{ url: string }>(portal(h, who, 'POST', '/payment-methods/setup'), 200);
      expect((await submitCheckout(url)).status).toBe(303);
      await h.emulator.idle();
      const delivered = h.emulator.deliveries.filter((d) => d.type === 'payment_method.attached' || d.type === 'checkout.session.completed');
      expect(delivered.map((d) => d.status)).toEqual([200, 200]);
      const [row] = await recorded(who);
      expect(row).toMatchObject({ last4: '4242', detached: false });

      h.emulator.clearLogs();
      expect((await portal(h, who, 'DELETE', `/payment-methods/${row!.id}`)).status).toBe(204);
      expect(h.emulator.requests.map((r) => [r.method, r.path, r.stripeAccount])).toEqual([['POST', `/v1/payment_methods/${row!.id}/detach`, 'acct_1BravoCards']]);
      expect((await recorded(who)).map((c) => c.detached)).toEqual([true]);
    } finally {
      await h.query('update businesses set stripe_account_id = ? where id = ?', null, 'bravo');
    }
  });
});
