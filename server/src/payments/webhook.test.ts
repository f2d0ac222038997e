// SECURITY P2 for POST /v1/webhooks/stripe: the signature is checked over the raw body with a
// 300 s tolerance, with the secret of the endpoint Stripe sends such an event to (the account
// endpoint's, or for connected accounts' events the Connect endpoint's); each event id is processed
// once, in the same transaction as its change, however many copies arrive at once; any order and
// any duplication of events ends in the same state (invoices, and the record of customers' cards);
// paid is terminal. Events are built in Stripe's shapes and signed with the SDK's own test helper.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { expectJson } from '../../test/harness';
import {
  CONNECT_WEBHOOK_SECRET,
  createPaymentsHarness,
  payingCustomer,
  portal,
  postWebhook,
  queuedEvents,
  WEBHOOK_SECRET,
  type PayingCustomer,
} from '../../test/stripe';
import { Payments } from './gateway';

const h = await createPaymentsHarness();
afterAll(() => h.closeAll());

const rand = () => randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');
const seconds = () => Math.floor(h.clock.now() / 1000);

function event(type: string, object: object, extra: { account?: string; previous?: object; created?: number } = {}) {
  return {
    id: `evt_${rand()}`,
    object: 'event',
    ...(extra.account ? { account: extra.account } : {}),
    api_version: Stripe.API_VERSION,
    created: extra.created ?? seconds(),
    data: { object, ...(extra.previous ? { previous_attributes: extra.previous } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

type Payer = PayingCustomer & { stripeCustomerId: string };

/** A paying customer whose Stripe customer id is known (as after their first Checkout). */
async function payer(business: 'acme' | 'bravo' = 'acme', lineItems?: Parameters<typeof payingCustomer>[2]): Promise<Payer> {
  const who = await payingCustomer(h, business, lineItems);
  const stripeCustomerId = `cus_${rand()}`;
  await h.store.setStripeCustomerId(business, who.customer.id, stripeCustomerId, h.clock.now());
  return { ...who, stripeCustomerId };
}

function completedSession(who: Payer, invoiceId: string, amount: number, options: { sessionId?: string; currency?: string; paymentStatus?: 'paid' | 'unpaid' } = {}) {
  return {
    id: options.sessionId ?? `cs_test_${rand()}`,
    object: 'checkout.session',
    mode: 'payment',
    status: 'complete',
    payment_status: options.paymentStatus ?? 'paid',
    amount_subtotal: amount,
    amount_total: amount,
    currency: options.currency ?? 'usd',
    customer: who.stripeCustomerId,
    client_reference_id: invoiceId,
    metadata: { doorstepBusiness: who.business, doorstepCustomer: who.customer.id, doorstepInvoice: invoiceId },
    payment_intent: `pi_${rand()}`,
    setup_intent: null,
    livemode: false,
  };
}

function card(id: string, customer: string | null) {
  return { id, object: 'payment_method', type: 'card', customer, card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034 }, livemode: false, metadata: {} };
}

const payload = (e: object) => JSON.stringify(e, null, 2);
const sign = (body: string, options: { timestamp?: number; secret?: string } = {}) =>
  h.payments.stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? WEBHOOK_SECRET, timestamp: options.timestamp ?? seconds() });
/** Signed as Stripe signs it: a connected account's event with the Connect endpoint's secret. */
const deliver = (e: object) => {
  const body = payload(e);
  return postWebhook(h, body, sign(body, { secret: 'account' in e ? CONNECT_WEBHOOK_SECRET : WEBHOOK_SECRET }));
};
const setStripeAccount = (business: string, account: string | null) => h.query('update businesses set stripe_account_id = ? where id = ?', account, business);

async function outboxIds(business: string) {
  return new Set((await h.store.listOutbox(business)).map((m) => m.id));
}
async function newMail(business: string, before: Set<string>) {
  return (await h.store.listOutbox(business)).filter((m) => !before.has(m.id));
}

describe('signature over the raw body (300 s tolerance)', () => {
  it('refuses a changed byte, a stale timestamp, another secret, no header, and re-serialized JSON; accepts the real thing', async () => {
    const who = await payer();
    const body = payload(event('checkout.session.completed', completedSession(who, who.invoiceId, who.due)));
    const refusals: [string, Response][] = [
      ['tampered byte', await postWebhook(h, body.replace(`"amount_total": ${who.due}`, `"amount_total": ${who.due + 1}`), sign(body))],
      ['stale timestamp', await postWebhook(h, body, sign(body, { timestamp: seconds() - 301 }))],
      ['wrong secret', await postWebhook(h, body, sign(body, { secret: 'whsec_someone_else' }))],
      ['no header', await postWebhook(h, body, undefined)],
      ['garbage header', await postWebhook(h, body, 't=1,v1=abc')],
      ['re-serialized JSON', await postWebhook(h, JSON.stringify(JSON.parse(body)), sign(body))],
    ];
    for (const [what, res] of refusals) {
      expect(res.status, what).toBe(400);
      expect((await res.json()).error.code, what).toBe('invalid_signature');
    }
    expect((await h.store.getInvoice('acme', who.invoiceId))!.status).toBe('open');

    // Signed 299 s ago is still fine (Stripe retries for days, each attempt freshly signed).
    const ok = await postWebhook(h, body, sign(body, { timestamp: seconds() - 299 }));
    expect(await expectJson(ok, 200)).toEqual({ received: true, outcome: 'paid' });
    expect((await h.store.getInvoice('acme', who.invoiceId))!.status).toBe('paid');
  });

  it('refuses a signed body that is not an event, and answers 2xx to events it does not handle', async () => {
    const notJson = 'not json at all';
    expect((await expectJson(postWebhook(h, notJson, sign(notJson)), 400)).error.code).toBe('invalid_event');
    expect(await expectJson(deliver(event('charge.refunded', { id: 'ch_1', object: 'charge' })), 200)).toEqual({ received: true, outcome: 'ignored' });
  });

  it('keeps the 100 KB body limit', async () => {
    const big = payload(event('checkout.session.completed', { padding: 'x'.repeat(110 * 1024) }));
    expect((await postWebhook(h, big, sign(big))).status).toBe(413);
  });
});

describe('each event once', () => {
  it('the same event 5× at once: one change, one business email, one receipt, one outgoing event', async () => {
    const who = await payer();
    const before = await outboxIds('acme');
    const eventsBefore = (await queuedEvents(h, 'acme')).length;
    const e = event('checkout.session.completed', completedSession(who, who.invoiceId, who.due));
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(e)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const outcomes = await Promise.all(answers.map(async (r) => (await r.json()).outcome));
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'paid']);

    const mail = await newMail('acme', before);
    expect(mail.map((m) => m.kind).sort()).toEqual(['notify_invoice_paid', 'payment_receipt']);
    expect((await queuedEvents(h, 'acme')).length - eventsBefore).toBe(1);
    expect(await h.store.getInvoice('acme', who.invoiceId)).toMatchObject({ status: 'paid', amountPaid: who.due });
  });

  it('another event for the same session (a replay under a new id) changes nothing', async () => {
    const who = await payer();
    const session = completedSession(who, who.invoiceId, who.due);
    await expectJson(deliver(event('checkout.session.completed', session)), 200);
    const before = await outboxIds('acme');
    expect(await expectJson(deliver(event('checkout.session.async_payment_succeeded', session)), 200)).toMatchObject({ outcome: 'duplicate' });
    expect(await newMail('acme', before)).toEqual([]);
  });

  it('paid is terminal: a later payment that does not match is recorded for the business, the invoice stays paid', async () => {
    const who = await payer();
    await expectJson(deliver(event('checkout.session.completed', completedSession(who, who.invoiceId, who.due))), 200);
    const before = await outboxIds('acme');
    expect(await expectJson(deliver(event('checkout.session.completed', completedSession(who, who.invoiceId, who.due))), 200)).toMatchObject({ outcome: 'mismatch' });
    expect((await newMail('acme', before)).map((m) => m.kind)).toEqual(['notify_payment_mismatch']);
    expect(await h.store.getInvoice('acme', who.invoiceId)).toMatchObject({ status: 'paid', amountPaid: who.due });
  });

  it('a different currency or amount is a mismatch, never a payment', async () => {
    const who = await payer();
    expect(await expectJson(deliver(event('checkout.session.completed', completedSession(who, who.invoiceId, who.due, { currency: 'eur' }))), 200)).toMatchObject({ outcome: 'mismatch' });
    expect(await expectJson(deliver(event('checkout.session.completed', completedSession(who, who.invoiceId, who.due - 1))), 200)).toMatchObject({ outcome: 'mismatch' });
    expect((await h.store.getInvoice('acme', who.invoiceId))!.status).toBe('open');
  });
});

describe('routing by event.account', () => {
  it('a connected account’s event goes to its business only; the same on the platform account is ignored', async () => {
    const who = await payer('bravo');
    await setStripeAccount('bravo', 'acct_1BravoRoute');
    try {
      const attached = (account?: string) => event('payment_method.attached', card(`pm_${rand()}`, who.stripeCustomerId), account ? { account } : {});
      expect(await expectJson(deliver(attached()), 200)).toMatchObject({ outcome: 'ignored: unknown customer' });
      expect(await expectJson(deliver(attached('acct_1SomeoneElse')), 200)).toMatchObject({ outcome: 'ignored: unknown customer' });
      const before = await outboxIds('bravo');
      expect(await expectJson(deliver(attached('acct_1BravoRoute')), 200)).toMatchObject({ outcome: 'card added' });
      expect((await newMail('bravo', before)).map((m) => m.subject)).toEqual([`${who.customer.name} added a card on file`]);

      // A session naming acme, on bravo's connected account: nobody's.
      const acmePayer = await payer();
      const crossed = event('checkout.session.completed', completedSession(acmePayer, acmePayer.invoiceId, acmePayer.due), { account: 'acct_1BravoRoute' });
      expect(await expectJson(deliver(crossed), 200)).toMatchObject({ outcome: 'ignored: not a Doorstep business' });
      expect((await h.store.getInvoice('acme', acmePayer.invoiceId))!.status).toBe('open');
    } finally {
      await setStripeAccount('bravo', null);
    }
  });
});

describe('Stripe Connect: the account endpoint and the Connect endpoint, each with its own secret', () => {
  const refusal = async (res: Response) => {
    expect(res.status).toBe(400);
    return (await res.json()).error as { code: string; message: string };
  };

  it('takes a connected account’s event signed with the Connect secret, and refuses it signed with the platform secret (and the reverse)', async () => {
    const who = await payer('bravo');
    const platformPayer = await payer();
    await setStripeAccount('bravo', 'acct_1BravoConnect');
    try {
      const before = await outboxIds('bravo');
      const pm = `pm_${rand()}`;
      const connected = payload(event('payment_method.attached', card(pm, who.stripeCustomerId), { account: 'acct_1BravoConnect' }));

      // Stripe sends connected accounts' events only to Connect endpoints: the platform secret on one is not Stripe.
      const platformSigned = await refusal(await postWebhook(h, connected, sign(connected, { secret: WEBHOOK_SECRET })));
      expect(platformSigned.code).toBe('invalid_signature');
      expect(platformSigned.message).toContain('STRIPE_CONNECT_WEBHOOK_SECRET');
      expect((await refusal(await postWebhook(h, connected, sign(connected, { secret: 'whsec_someone_else' })))).code).toBe('invalid_signature');
      expect(await newMail('bravo', before)).toEqual([]);
      expect(await h.query('select id from payment_methods where id = ?', pm)).toEqual([]);

      expect(await expectJson(postWebhook(h, connected, sign(connected, { secret: CONNECT_WEBHOOK_SECRET })), 200)).toEqual({ received: true, outcome: 'card added' });
      expect((await newMail('bravo', before)).map((m) => m.subject)).toEqual([`${who.customer.name} added a card on file`]);
      expect(await h.query('select business_id, customer_id from payment_methods where id = ?', pm)).toEqual([{ business_id: 'bravo', customer_id: who.customer.id }]);

      // And the platform account's own events come signed with the account endpoint's secret only.
      const platform = payload(event('payment_method.attached', card(`pm_${rand()}`, platformPayer.stripeCustomerId)));
      const connectSigned = await refusal(await postWebhook(h, platform, sign(platform, { secret: CONNECT_WEBHOOK_SECRET })));
      expect(connectSigned.message).toContain('STRIPE_WEBHOOK_SECRET');
      expect(await expectJson(postWebhook(h, platform, sign(platform, { secret: WEBHOOK_SECRET })), 200)).toMatchObject({ outcome: 'card added' });
    } finally {
      await setStripeAccount('bravo', null);
    }
  });

  it('accepts a header carrying both secrets’ signatures by the one that fits the event', async () => {
    const who = await payer('bravo');
    await setStripeAccount('bravo', 'acct_1BravoBoth');
    try {
      const body = payload(event('payment_method.attached', card(`pm_${rand()}`, who.stripeCustomerId), { account: 'acct_1BravoBoth' }));
      const both = `${sign(body, { secret: WEBHOOK_SECRET })},${sign(body, { secret: CONNECT_WEBHOOK_SECRET }).split(',')[1]}`;
      expect(await expectJson(postWebhook(h, body, both), 200)).toMatchObject({ outcome: 'card added' });
    } finally {
      await setStripeAccount('bravo', null);
    }
  });

  it('without a Connect secret, connected accounts’ events are refused: Stripe never signs them with the platform secret', async () => {
    const who = await payer('bravo');
    await setStripeAccount('bravo', 'acct_1BravoAlone');
    const configured = h.deps.payments;
    h.deps.payments = new Payments({ secretKey: 'sk_test_doorstep_payment_tests', webhookSecret: WEBHOOK_SECRET, apiUrl: h.emulator.url });
    try {
      const body = payload(event('payment_method.attached', card(`pm_${rand()}`, who.stripeCustomerId), { account: 'acct_1BravoAlone' }));
      expect((await refusal(await postWebhook(h, body, sign(body, { secret: WEBHOOK_SECRET })))).message).toContain('STRIPE_CONNECT_WEBHOOK_SECRET');
      expect((await refusal(await postWebhook(h, body, sign(body, { secret: CONNECT_WEBHOOK_SECRET })))).code).toBe('invalid_signature');
      // The platform's own events are unaffected.
      const platform = payload(event('charge.refunded', { id: 'ch_1', object: 'charge' }));
      expect(await expectJson(postWebhook(h, platform, sign(platform)), 200)).toMatchObject({ outcome: 'ignored' });
    } finally {
      h.deps.payments = configured;
      await setStripeAccount('bravo', null);
    }
  });
});

// ---- Model: any order, any duplication ----

/** What can happen to one invoice in a run. */
type InvoicePlan = 'none' | 'exact' | 'wrong' | 'exact_twice' | 'wrong_then_exact' | 'async';

describe('shuffled and duplicated event sequences end in the model’s state', () => {
  it('invoices, card changes, emails and outgoing events', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<InvoicePlan>('none', 'exact', 'wrong', 'exact_twice', 'wrong_then_exact', 'async'), { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom<'attach' | 'attach_detach'>('attach', 'attach_detach'), { maxLength: 2 }),
        fc.infiniteStream(fc.nat()),
        async (plans, cardPlans, randomness) => {
          run++;
          const who = await payer('acme', [{ description: `Model run ${run}`, quantity: 1, unitAmount: 10_000 }]);
          // More invoices for the same customer.
          const invoices = [{ id: who.invoiceId, due: who.due }];
          for (let i = 1; i < plans.length; i++) {
            const inv = await expectJson(
              h.admin('POST', '/v1/admin/invoices', { customerId: who.customer.id, number: `MODEL-${run}-${i}`, currency: 'usd', lineItems: [{ description: 'Visit', quantity: 1, unitAmount: 5_000 * (i + 1) }], status: 'open' }),
              201,
            );
            invoices.push({ id: inv.id, due: inv.amountDue });
          }

          const events: object[] = [];
          const model = { paid: new Set<string>(), mismatches: 0, cardsAdded: 0, cardsRemoved: 0 };
          plans.forEach((plan, i) => {
            const { id, due } = invoices[i]!;
            const pay = (amount: number, options?: Parameters<typeof completedSession>[3]) => completedSession(who, id, amount, options);
            if (plan === 'exact') events.push(event('checkout.session.completed', pay(due)));
            if (plan === 'wrong') events.push(event('checkout.session.completed', pay(due + 100)));
            if (plan === 'exact_twice') events.push(event('checkout.session.completed', pay(due)), event('checkout.session.completed', pay(due)));
            if (plan === 'wrong_then_exact') events.push(event('checkout.session.completed', pay(due - 100)), event('checkout.session.completed', pay(due)));
            if (plan === 'async') {
              const sessionId = `cs_test_${rand()}`;
              events.push(event('checkout.session.completed', pay(due, { sessionId, paymentStatus: 'unpaid' })), event('checkout.session.async_payment_succeeded', pay(due, { sessionId })));
            }
            if (plan !== 'none' && plan !== 'wrong') model.paid.add(id);
            model.mismatches += { none: 0, exact: 0, wrong: 1, exact_twice: 1, wrong_then_exact: 1, async: 0 }[plan];
          });
          for (const cardPlan of cardPlans) {
            const pm = `pm_${rand()}`;
            events.push(event('payment_method.attached', card(pm, who.stripeCustomerId)));
            model.cardsAdded++;
            if (cardPlan === 'attach_detach') {
              events.push(event('payment_method.detached', card(pm, null), { previous: { customer: who.stripeCustomerId } }));
              model.cardsRemoved++;
            }
          }
          events.push(event('payment_intent.succeeded', { id: `pi_${rand()}`, object: 'payment_intent' }));

          // Shuffle, then add duplicates at random places; deliver some of them at once.
          const it = randomness[Symbol.iterator]();
          const next = (n: number) => (it.next().value as number) % n;
          const order = events.map((e) => ({ e, k: next(1000) })).sort((a, b) => a.k - b.k).map((x) => x.e);
          const dupes = next(events.length + 1);
          for (let i = 0; i < dupes; i++) order.splice(next(order.length + 1), 0, order[next(order.length)]!);

          const before = await outboxIds('acme');
          const deliveriesBefore = new Set((await queuedEvents(h, 'acme')).map((d) => d.id));
          for (let i = 0; i < order.length; ) {
            const batch = order.slice(i, i + 1 + next(3));
            i += batch.length;
            const answers = await Promise.all(batch.map(deliver));
            expect(answers.map((a) => a.status)).toEqual(batch.map(() => 200));
          }

          for (const { id, due } of invoices) {
            const invoice = (await h.store.getInvoice('acme', id))!;
            if (model.paid.has(id)) expect(invoice).toMatchObject({ status: 'paid', amountPaid: due });
            else expect(invoice).toMatchObject({ status: 'open', amountPaid: 0, paidAt: null });
          }
          const mail = await newMail('acme', before);
          const count = (kind: string, filter: (m: (typeof mail)[number]) => boolean = () => true) => mail.filter((m) => m.kind === kind && filter(m)).length;
          expect(count('notify_invoice_paid')).toBe(model.paid.size);
          expect(count('payment_receipt')).toBe(model.paid.size);
          expect(count('notify_payment_mismatch')).toBe(model.mismatches);
          expect(count('notify_card_changed', (m) => m.subject.includes('added'))).toBe(model.cardsAdded);
          expect(count('notify_card_changed', (m) => m.subject.includes('removed'))).toBe(model.cardsRemoved);
          const outgoing = (await queuedEvents(h, 'acme')).filter((d) => !deliveriesBefore.has(d.id));
          expect(outgoing.filter((d) => d.eventType === 'invoice.paid')).toHaveLength(model.paid.size);
          expect(outgoing.filter((d) => d.eventType === 'payment_method.changed')).toHaveLength(model.cardsAdded + model.cardsRemoved);
        },
      ),
      { numRuns: 40 },
    );
  });
});

// ---- Model: the record of a customer's cards ----

interface CardRow {
  id: string;
  brand: string | null;
  last4: string | null;
  exp_month: number | null;
  exp_year: number | null;
  is_default: number | boolean;
  detached_at: number | null;
}

/** The customer's cards as recorded, each default when it is the one their Stripe customer's record names. */
const cardRows = (business: string, customerId: string) =>
  h.query<CardRow>(
    `select p.id, p.brand, p.last4, p.exp_month, p.exp_year, d.payment_method_id is not null as is_default, p.detached_at from payment_methods p
     left join stripe_customer_defaults d on d.business_id = p.business_id and d.customer_id = p.customer_id and d.payment_method_id = p.id
     where p.business_id = ? and p.customer_id = ? order by p.id`,
    business,
    customerId,
  );

type CardStep = { op: 'attach' | 'update' | 'renew' | 'default' | 'clear_default' | 'detach'; card: number };

/** Steps that change which card is the default come often: the orders that go wrong are among them. */
const cardOps: { arbitrary: fc.Arbitrary<CardStep['op']>; weight: number }[] = [
  { arbitrary: fc.constant('attach'), weight: 3 },
  { arbitrary: fc.constant('update'), weight: 1 },
  { arbitrary: fc.constant('renew'), weight: 1 },
  { arbitrary: fc.constant('default'), weight: 3 },
  { arbitrary: fc.constant('clear_default'), weight: 2 },
  { arbitrary: fc.constant('detach'), weight: 1 },
];

/** Newest first, one at a time, with no copies: exactly the reverse of the order Stripe sent them in. */
const newestFirstOnly = () => ({
  newestFirst: true,
  randomness: new fc.Stream<number>(
    (function* () {
      for (;;) yield 0;
    })(),
  ),
});

describe('shuffled and duplicated card events end in Stripe’s state, each once', () => {
  // A run is a new customer signed in, its events and reads over HTTP: ~0.1 s on SQLite and
  // ~0.15–0.25 s on PostgreSQL on a busy 2-core machine, so 80 runs need more than the default 20 s.
  it('attached, updated, automatically_updated, detached and customer.updated in any order and any number of copies', { timeout: 90_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ op: fc.oneof(...cardOps), card: fc.nat({ max: 2 }) }), { minLength: 1, maxLength: 14, size: 'medium' }),
        // Half the runs get the events newest first (the order that puts "an older report changes
        // nothing" most to the test), the others shuffled; both with copies added at random places.
        fc.record({ newestFirst: fc.boolean(), randomness: fc.infiniteStream(fc.nat()) }),
        async (steps, { newestFirst, randomness }) => {
          const who = await payer();
          const cus = who.stripeCustomerId;
          const ids = [0, 1, 2].map(() => `pm_${rand()}`);
          // What Stripe holds after the steps, applied in order, one second apart.
          const model = { attached: new Set<number>(), detached: new Set<number>(), expiry: new Map<number, [number, number]>(), default: null as number | null };
          const events: ReturnType<typeof event>[] = [];
          const start = seconds() - 100;
          const pmObject = (c: number, customer: string | null) => {
            const [month, year] = model.expiry.get(c)!;
            return { ...card(ids[c]!, customer), card: { brand: 'visa', last4: `424${c}`, exp_month: month, exp_year: year } };
          };
          const customerObject = () => ({ id: cus, object: 'customer', invoice_settings: { default_payment_method: model.default === null ? null : ids[model.default] } });
          steps.forEach(({ op, card: c }, i) => {
            const created = start + i;
            const live = model.attached.has(c) && !model.detached.has(c);
            if (op === 'attach' && !model.attached.has(c)) {
              model.attached.add(c);
              model.expiry.set(c, [1 + (i % 12), 2030 + i]);
              events.push(event('payment_method.attached', pmObject(c, cus), { created, previous: { customer: null } }));
            } else if ((op === 'update' || op === 'renew') && live) {
              model.expiry.set(c, [1 + ((i + 5) % 12), 2040 + i]);
              events.push(event(op === 'update' ? 'payment_method.updated' : 'payment_method.automatically_updated', pmObject(c, cus), { created }));
            } else if (op === 'default' && live) {
              model.default = c;
              events.push(event('customer.updated', customerObject(), { created }));
            } else if (op === 'clear_default') {
              model.default = null;
              events.push(event('customer.updated', customerObject(), { created }));
            } else if (op === 'detach' && live) {
              // As Stripe does: removing the default card clears the default, in the same second.
              if (model.default === c) {
                model.default = null;
                events.push(event('customer.updated', customerObject(), { created }));
              }
              model.detached.add(c);
              events.push(event('payment_method.detached', pmObject(c, null), { created, previous: { customer: cus } }));
            }
          });
          if (events.length === 0) return;

          // Reverse or shuffle, then add duplicates at random places; deliver some of them at once.
          const it = randomness[Symbol.iterator]();
          const next = (n: number) => (it.next().value as number) % n;
          const order = newestFirst ? [...events].reverse() : events.map((e) => ({ e, k: next(1000) })).sort((a, b) => a.k - b.k).map((x) => x.e);
          const dupes = next(events.length + 1);
          for (let i = 0; i < dupes; i++) order.splice(next(order.length + 1), 0, order[next(order.length)]!);
          const before = await outboxIds('acme');
          const outcomes = new Map<string, string[]>();
          for (let i = 0; i < order.length; ) {
            const batch = order.slice(i, i + 1 + next(3));
            i += batch.length;
            const answers = await Promise.all(batch.map(deliver));
            for (const [j, answer] of answers.entries()) {
              expect(answer.status).toBe(200);
              const id = batch[j]!.id;
              outcomes.set(id, [...(outcomes.get(id) ?? []), (await answer.json()).outcome]);
            }
          }
          // Each event changed things once; its copies changed nothing.
          for (const seen of outcomes.values()) expect(seen.filter((o) => o !== 'duplicate')).toHaveLength(1);

          const expected = [...model.attached]
            .map((c) => {
              const [month, year] = model.expiry.get(c)!;
              const gone = model.detached.has(c);
              return { id: ids[c]!, detached: gone, ...(gone ? {} : { last4: `424${c}`, exp_month: month, exp_year: year, is_default: model.default === c }) };
            })
            .sort((a, b) => (a.id < b.id ? -1 : 1));
          const rows = (await cardRows('acme', who.customer.id)).map((r) => ({
            id: r.id,
            detached: r.detached_at !== null,
            ...(r.detached_at !== null ? {} : { last4: r.last4, exp_month: r.exp_month, exp_year: r.exp_year, is_default: Boolean(r.is_default) }),
          }));
          expect(rows).toEqual(expected);
          // The store answers the same: what the portal shows when Stripe cannot be reached.
          const saved = (await h.store.listSavedCards('acme', who.customer.id)).map((c) => ({ id: c.id, isDefault: c.isDefault })).sort((a, b) => (a.id < b.id ? -1 : 1));
          expect(saved).toEqual(expected.filter((c) => !c.detached).map((c) => ({ id: c.id, isDefault: c.is_default })));

          // The business heard of each card added and each removed once, and of nothing else.
          const mail = (await newMail('acme', before)).filter((m) => m.kind === 'notify_card_changed').map((m) => m.subject);
          expect(mail.filter((m) => m.includes('added'))).toHaveLength(model.attached.size);
          expect(mail.filter((m) => m.includes('removed'))).toHaveLength(model.detached.size);
          expect(mail).toHaveLength(model.attached.size + model.detached.size);

          // P4 from the record alone: a removed card, or one never attached, is 404 with no call to Stripe.
          h.emulator.clearLogs();
          for (const c of [0, 1, 2].filter((c) => model.detached.has(c) || !model.attached.has(c))) {
            expect((await portal(h, who, 'DELETE', `/payment-methods/${ids[c]}`)).status).toBe(404);
            expect((await portal(h, who, 'POST', `/payment-methods/${ids[c]}/default`)).status).toBe(404);
          }
          expect(h.emulator.requests).toEqual([]);
        },
      ),
      {
        numRuns: 80,
        examples: [
          // The default cleared, heard of before the card was made default and before it was
          // attached: the card must not end up the default.
          [[{ op: 'attach', card: 0 }, { op: 'default', card: 0 }, { op: 'clear_default', card: 0 }], newestFirstOnly()],
          // The same with the default moved to another card, heard of first.
          [[{ op: 'attach', card: 0 }, { op: 'attach', card: 1 }, { op: 'default', card: 0 }, { op: 'default', card: 1 }], newestFirstOnly()],
        ],
      },
    );
  });
});
