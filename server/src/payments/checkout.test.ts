// Paying an invoice end to end, against the local Stripe emulator with the real SDK: SECURITY P1
// (amounts come from the database), E4 (a Checkout URL, no card fields), the end-to-end pay flow,
// and Stripe Connect (the business's account on every call, events routed by `event.account`).
import { afterAll, describe, expect, it } from 'vitest';
import { expectJson, sampleLineItems } from '../../test/harness';
import { createPaymentsHarness, kinds, payingCustomer, portal, queuedEvents, sessionIdOf, submitCheckout } from '../../test/stripe';

const h = await createPaymentsHarness();
afterAll(() => h.closeAll());

const checkout = (who: Awaited<ReturnType<typeof payingCustomer>>, body?: string, invoiceId = who.invoiceId) =>
  portal(h, who, 'POST', `/invoices/${invoiceId}/checkout`, body);

const summary = async (who: Awaited<ReturnType<typeof payingCustomer>>) => expectJson(portal(h, who, 'GET', '/summary'), 200);

describe('POST /v1/b/:business/invoices/:id/checkout', () => {
  it('P1: takes no fields; an amount (or anything else) is refused with 400 before Stripe is called', async () => {
    const who = await payingCustomer(h);
    h.emulator.clearLogs();
    for (const body of ['{"amount":1}', '{"amount":1,"currency":"usd"}', '{"invoiceId":"x"}', '[]', '"pay"', '{']) {
      const res = await checkout(who, body);
      expect(res.status, body).toBe(400);
      expect((await res.json()).error.code).toMatch(/^invalid_(body|json)$/);
    }
    expect(h.emulator.requests).toHaveLength(0);
    // Empty and `{}` are what the widget may send.
    await expectJson(checkout(who), 200);
    await expectJson(checkout(who, '{}'), 200);
  });

  it('P1 / E4: the Checkout Session the emulator receives charges exactly the amount due stored in the database', async () => {
    const who = await payingCustomer(h);
    // Part paid already (recorded by the business): only the rest is due.
    await expectJson(h.admin('PATCH', `/v1/admin/invoices/${who.invoiceId}`, { amountPaid: 10_000 }), 200);
    const invoice = await h.store.getInvoice('acme', who.invoiceId);
    const due = invoice!.total - invoice!.amountPaid;
    h.emulator.clearLogs();

    const { url } = await expectJson<{ url: string }>(checkout(who), 200);
    expect(url).toMatch(new RegExp(`^${h.emulator.url}/checkout/cs_test_`));

    const created = h.emulator.requests.find((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions')!;
    expect(created.params).toMatchObject({
      mode: 'payment',
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: String(due) } }],
      metadata: { doorstepBusiness: 'acme', doorstepCustomer: who.customer.id, doorstepInvoice: who.invoiceId },
      success_url: `https://acme.test/portal#portal-checkout=success&invoice=${who.invoiceId}`,
      cancel_url: `https://acme.test/portal#portal-checkout=canceled&invoice=${who.invoiceId}`,
    });
    expect(created.params['line_items']).toHaveLength(1);
    const session = await h.payments.stripe.checkout.sessions.retrieve(sessionIdOf(url));
    expect(session).toMatchObject({ amount_total: due, currency: 'usd', mode: 'payment' });
    // The Stripe customer was made on first need and remembered.
    const customer = await h.store.getCustomer('acme', who.customer.id);
    expect(customer!.stripeCustomerId).toMatch(/^cus_/);
    expect(session.customer).toBe(customer!.stripeCustomerId);
    // Nothing is paid until Stripe says so.
    expect((await h.store.getInvoice('acme', who.invoiceId))!.status).toBe('open');
  });

  it('answers 404 for a missing invoice or another customer’s, exactly as for a missing one', async () => {
    const who = await payingCustomer(h);
    const other = await payingCustomer(h);
    const bravo = await payingCustomer(h, 'bravo');
    const missing = await checkout(who, undefined, 'inv_missing');
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    for (const id of [other.invoiceId, bravo.invoiceId]) {
      const res = await checkout(who, undefined, id);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe(missingBody);
    }
  });

  it('answers 409 when nothing can be paid: paid, nothing due, or the business takes no online payments', async () => {
    // A goodwill credit cancelling the tax: the invoice is open with nothing to pay.
    const who = await payingCustomer(h, 'acme', [{ description: 'Goodwill credit', quantity: 1, unitAmount: -1_250 }]);
    expect(who.due).toBe(0);
    expect((await expectJson(checkout(who), 409)).error.code).toBe('nothing_due');
    const paid = await payingCustomer(h);
    await expectJson(h.admin('PATCH', `/v1/admin/invoices/${paid.invoiceId}`, { status: 'paid' }), 200);
    expect((await expectJson(checkout(paid), 409)).error.code).toBe('invoice_paid');

    const off = await payingCustomer(h, 'bravo');
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { paymentsEnabled: false }, h.keyB), 200);
    try {
      expect((await expectJson(checkout(off), 409)).error.code).toBe('payments_disabled');
    } finally {
      await expectJson(h.admin('PATCH', '/v1/admin/settings', { paymentsEnabled: true }, h.keyB), 200);
    }
  });

  it('answers 502 (not 500) when Stripe cannot be reached, and works on the next click', async () => {
    const who = await payingCustomer(h);
    h.emulator.failNext({ phase: 'before', times: 2 });
    expect((await expectJson(checkout(who), 502)).error.code).toBe('payments_unavailable');
    await expectJson(checkout(who), 200);
  });
});

describe('the pay flow end to end', () => {
  it('customer → Checkout URL → pays on the hosted page → webhook → invoice paid, counts drop, business and customer emailed', async () => {
    const who = await payingCustomer(h);
    const before = await summary(who);
    expect(before.unpaidInvoices.count).toBe(1);

    const { url } = await expectJson<{ url: string }>(checkout(who), 200);
    const declined = await submitCheckout(url, { card_number: '4000 0000 0000 0002' });
    expect(declined.status).toBe(402);
    expect((await h.store.getInvoice('acme', who.invoiceId))!.status).toBe('open');

    const paid = await submitCheckout(url);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://acme.test/portal#portal-checkout=success&invoice=${who.invoiceId}`);

    // The emulator delivered checkout.session.completed before redirecting; the webhook recorded it.
    const invoice = await expectJson(portal(h, who, 'GET', `/invoices/${who.invoiceId}`), 200);
    expect(invoice).toMatchObject({ status: 'paid', amountPaid: who.due, amountDue: 0, paidAt: new Date(h.clock.now()).toISOString() });
    expect((await summary(who)).unpaidInvoices).toEqual({ count: 0, totals: [] });

    const emails = (await h.store.listOutbox('acme')).filter((e) => e.kind === 'notify_invoice_paid' || e.kind === 'payment_receipt');
    expect(kinds(emails)).toEqual(['notify_invoice_paid', 'payment_receipt']);
    const receipt = emails.find((e) => e.kind === 'payment_receipt')!;
    expect(receipt.to).toBe(who.email);
    expect(receipt.subject).toBe(`Receipt for invoice ${invoice.number} from Acme Plumbing`);
    expect(receipt.text).toContain('We received your payment of $1,500.00');
    expect(receipt.text).not.toMatch(/portal-token/);
    expect(emails.find((e) => e.kind === 'notify_invoice_paid')!.to).toBe('owner@acme.test');
    const events = (await queuedEvents(h, 'acme')).filter((d) => d.eventType === 'invoice.paid');
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload).data).toMatchObject({ invoiceId: who.invoiceId, amount: who.due, currency: 'usd', customerId: who.customer.id });

    // Paid is paid: Checkout is not offered again.
    expect((await expectJson(checkout(who), 409)).error.code).toBe('invoice_paid');
  });

  it('sends the receipt in Spanish for a Spanish business', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { language: 'es' }, h.keyB), 200);
    try {
      const who = await payingCustomer(h, 'bravo');
      const { url } = await expectJson<{ url: string }>(checkout(who), 200);
      expect((await submitCheckout(url)).status).toBe(303);
      const receipt = (await h.store.listOutbox('bravo')).find((e) => e.kind === 'payment_receipt' && e.to === who.email)!;
      expect(receipt.subject).toMatch(/^Recibo de la factura PAY-\d+ de Bravo HVAC$/);
      expect(receipt.text).toContain('Recibimos su pago');
    } finally {
      await expectJson(h.admin('PATCH', '/v1/admin/settings', { language: 'en' }, h.keyB), 200);
    }
  });

  it('P1: a payment that no longer matches the amount due (the invoice changed meanwhile) leaves it unpaid and tells the business', async () => {
    const who = await payingCustomer(h);
    const { url } = await expectJson<{ url: string }>(checkout(who), 200);
    // The business adds a line after the customer opened Checkout for the old total.
    await expectJson(h.admin('PATCH', `/v1/admin/invoices/${who.invoiceId}`, { lineItems: [...sampleLineItems, { description: 'Extra part', quantity: 1, unitAmount: 2_000 }] }), 200);
    expect((await submitCheckout(url)).status).toBe(303);

    const invoice = await h.store.getInvoice('acme', who.invoiceId);
    expect(invoice).toMatchObject({ status: 'open', amountPaid: 0, paidAt: null });
    const emails = await h.store.listOutbox('acme');
    const note = emails.find((e) => e.kind === 'notify_payment_mismatch' && e.subject.includes(invoice!.number))!;
    expect(note.to).toBe('owner@acme.test');
    expect(note.text).toContain(`paid $1,500.00 on invoice ${invoice!.number}, but the invoice had $1,520.00 due`);
    expect(note.text).toContain(sessionIdOf(url));
    expect(emails.some((e) => e.kind === 'payment_receipt' && e.to === who.email)).toBe(false);
    expect((await summary(who)).unpaidInvoices.count).toBe(1);

    // A new Checkout is for the new amount (a new intent, a new idempotency key).
    h.emulator.clearLogs();
    const again = await expectJson<{ url: string }>(checkout(who), 200);
    expect(again.url).not.toBe(url);
    const session = await h.payments.stripe.checkout.sessions.retrieve(sessionIdOf(again.url));
    expect(session.amount_total).toBe(152_000);
  });
});

describe('Stripe Connect', () => {
  it('sends the business’s connected account on every call, and routes its events by event.account', async () => {
    await h.query('update businesses set stripe_account_id = ? where id = ?', 'acct_1BravoConnected', 'bravo');
    try {
      const who = await payingCustomer(h, 'bravo');
      h.emulator.clearLogs();
      const { url } = await expectJson<{ url: string }>(checkout(who), 200);
      expect(h.emulator.requests.length).toBeGreaterThan(0);
      expect(h.emulator.requests.every((r) => r.stripeAccount === 'acct_1BravoConnected')).toBe(true);
      // The platform account does not know the session: it lives on the connected account.
      await expect(h.payments.stripe.checkout.sessions.retrieve(sessionIdOf(url))).rejects.toMatchObject({ statusCode: 404 });

      expect((await submitCheckout(url)).status).toBe(303);
      const completed = h.emulator.events.find((e) => e.type === 'checkout.session.completed' && (e.data.object as { id: string }).id === sessionIdOf(url))!;
      expect(completed.account).toBe('acct_1BravoConnected');
      expect((await h.store.getInvoice('bravo', who.invoiceId))!.status).toBe('paid');
    } finally {
      await h.query('update businesses set stripe_account_id = ? where id = ?', null, 'bravo');
    }
  });

  it('ignores an event whose account and metadata disagree, and platform events naming a connected business', async () => {
    const who = await payingCustomer(h, 'bravo');
    const { url } = await expectJson<{ url: string }>(checkout(who), 200);
    // Bravo moves to a connected account after the session was made on the platform account.
    await h.query('update businesses set stripe_account_id = ? where id = ?', 'acct_1BravoLater', 'bravo');
    try {
      expect((await submitCheckout(url)).status).toBe(303);
      const delivered = h.emulator.deliveries.filter((d) => d.type === 'checkout.session.completed').at(-1)!;
      expect(delivered.status).toBe(200);
      expect((await h.store.getInvoice('bravo', who.invoiceId))!.status).toBe('open');
    } finally {
      await h.query('update businesses set stripe_account_id = ? where id = ?', null, 'bravo');
    }
  });
});
