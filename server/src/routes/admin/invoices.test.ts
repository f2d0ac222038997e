import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../lib/crypto';
import { createHarness, expectJson, sampleCustomer, sampleLineItems, type Harness } from '../../../test/harness';

let h: Harness;
let customerId: string;
beforeEach(async () => {
  h = await createHarness();
  customerId = (await expectJson(h.admin('POST', '/v1/admin/customers', sampleCustomer), 201)).id;
});
afterEach(() => h.close());

const invoice = (extra: object = {}) => ({ customerId, number: 'INV-1001', currency: 'USD', lineItems: sampleLineItems, taxAmount: 1000, dueDate: '2026-02-15', ...extra });

describe('invoices', () => {
  it('computes totals from line items and round-trips', async () => {
    const created = await expectJson(h.admin('POST', '/v1/admin/invoices', invoice()), 201);
    expect(created).toMatchObject({
      number: 'INV-1001',
      currency: 'usd',
      lineItems: [
        { description: 'Water heater install', quantity: 1, unitAmount: 125000, amount: 125000 },
        { description: 'Labor (hours)', quantity: 2.5, unitAmount: 9500, amount: 23750 },
      ],
      subtotal: 148750,
      taxAmount: 1000,
      total: 149750,
      amountPaid: 0,
      amountDue: 149750,
      dueDate: '2026-02-15',
      status: 'draft',
      sentAt: null,
    });
    expect(await expectJson(h.admin('GET', `/v1/admin/invoices/${created.id}`), 200)).toEqual(created);
    const partly = await expectJson(h.admin('PATCH', `/v1/admin/invoices/${created.id}`, { amountPaid: 50000 }), 200);
    expect(partly.amountDue).toBe(99750);
    const sent = await expectJson(h.admin('PATCH', `/v1/admin/invoices/${created.id}`, { status: 'open' }), 200);
    expect(sent.status).toBe('open');
    const settled = await expectJson(h.admin('PATCH', `/v1/admin/invoices/${created.id}`, { amountPaid: 149750 }), 200);
    expect(settled).toMatchObject({ status: 'paid', amountDue: 0, paidAt: new Date(h.clock.now()).toISOString() });
  });

  it('never takes totals from the client', async () => {
    for (const extra of [{ total: 1 }, { subtotal: 1 }, { amountDue: 0 }]) {
      expect((await expectJson(h.admin('POST', '/v1/admin/invoices', invoice(extra)), 400)).error.message).toContain(Object.keys(extra)[0]!);
    }
    const overpaid = await expectJson(h.admin('POST', '/v1/admin/invoices', invoice({ amountPaid: 10_000_000 })), 400);
    expect(overpaid.error.message).toContain('amountPaid');
    expect(await h.query('select id from invoices')).toHaveLength(0);
  });

  it('refuses a duplicate number with 409 and keeps the first', async () => {
    await expectJson(h.admin('POST', '/v1/admin/invoices', invoice()), 201);
    expect((await expectJson(h.admin('POST', '/v1/admin/invoices', invoice()), 409)).error.code).toBe('duplicate_number');
    expect(await h.query('select id from invoices')).toHaveLength(1);
  });

  it('sending queues a branded email with a sign-in link that lands on the invoice', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { phone: '+1 555 0199', address: '1 Main St' }), 200);
    const created = await expectJson(h.admin('POST', '/v1/admin/invoices', invoice()), 201);
    const sent = await expectJson(h.admin('POST', `/v1/admin/invoices/${created.id}/send`), 200);
    expect(sent.status).toBe('open');
    expect(sent.sentAt).toBe(new Date(h.clock.now()).toISOString());

    const [email] = await h.store.listOutbox('acme');
    expect(email).toMatchObject({ to: 'dana@example.com', kind: 'invoice', status: 'pending', subject: 'Invoice INV-1001 from Acme Plumbing' });
    expect(email!.text).toContain('$1,497.50');
    expect(email!.text).toContain('+1 555 0199');
    const link = /https:\/\/acme\.test\/portal#portal-token=([A-Za-z0-9_-]{43})/.exec(email!.text!);
    expect(link).not.toBeNull();
    expect(email!.html).toContain(link![0]);
    const [token] = await h.query('select kind, landing, email, token_hash, expires_at from link_tokens');
    expect(token).toMatchObject({ kind: 'invoice', landing: `invoice:${created.id}`, email: 'dana@example.com', token_hash: sha256(link![1]!) });
    expect(token!.expires_at - h.clock.now()).toBe(7 * 86_400_000);
  });

  it('sends in Spanish for a Spanish business', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { language: 'es' }), 200);
    const created = await expectJson(h.admin('POST', '/v1/admin/invoices', invoice()), 201);
    await expectJson(h.admin('POST', `/v1/admin/invoices/${created.id}/send`), 200);
    const [email] = await h.store.listOutbox('acme');
    expect(email!.subject).toBe('Factura INV-1001 de Acme Plumbing');
    expect(email!.text).toContain('Ver y pagar la factura');
  });

  it('will not send to a customer without email, nor a paid or void invoice', async () => {
    const noEmail = (await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'No Mail' }), 201)).id;
    const a = await expectJson(h.admin('POST', '/v1/admin/invoices', invoice({ customerId: noEmail })), 201);
    expect((await expectJson(h.admin('POST', `/v1/admin/invoices/${a.id}/send`), 409)).error.code).toBe('customer_has_no_email');
    const paid = await expectJson(h.admin('POST', '/v1/admin/invoices', invoice({ number: 'INV-2', status: 'paid' })), 201);
    expect(paid).toMatchObject({ amountPaid: 149750, amountDue: 0 });
    expect((await expectJson(h.admin('POST', `/v1/admin/invoices/${paid.id}/send`), 409)).error.code).toBe('invoice_closed');
    expect((await expectJson(h.admin('PATCH', `/v1/admin/invoices/${paid.id}`, { status: 'open' }), 409)).error.code).toBe('invoice_closed');
    expect(await h.store.listOutbox('acme')).toHaveLength(0);
    expect(await h.query('select id from link_tokens')).toHaveLength(0);
  });
});
