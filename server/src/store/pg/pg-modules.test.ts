// The PostgreSQL store's domain modules (portal, console, webhooks, payments) where PostgreSQL
// differs from SQLite: counts and sums come back as numbers, bigint money and times survive, date
// math does not overflow, and queue claims and once-only records hold under concurrent callers in
// two stores (two pools, as two API processes would have). Runs when TEST_DATABASE_URL names a
// PostgreSQL server; the file creates its own database there and drops it afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/crypto';
import type { BulkChunk } from '../console-types';
import type { CustomerFields, InvoiceFields, NewInvitation, NewOutboxEmail, SideEffects, Store } from '../types';
import type { NewWebhookEvent } from '../webhook-events';
import { PgStore } from '.';
import { adminQuery, databaseUrl } from '../../../test/database';

const serverUrl = process.env.TEST_DATABASE_URL;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 18, 12); // a Wednesday
const MONTH_START = Date.UTC(2026, 10, 1);
const WEEK_STARTS = [Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 9), Date.UTC(2026, 10, 16)];

const urlOf = (name: string) => databaseUrl(serverUrl!, name);
const onServer = (sql: string) => adminQuery(serverUrl!, sql);

describe.skipIf(!serverUrl)('PostgreSQL store modules', () => {
  const name = `doorstep_m_${randomBytes(6).toString('hex')}`;
  let store: PgStore;
  /** A second store on the same database: another API process. */
  let other: PgStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    await onServer(`create database ${name}`);
    store = await PgStore.connect(urlOf(name));
    other = await PgStore.connect(urlOf(name));
    pool = new pg.Pool({ connectionString: urlOf(name), max: 2 });
    pool.on('error', () => {}); // connections still closing when the database is dropped (force)
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await other?.close();
    await pool?.end();
    await onServer(`drop database if exists ${name} with (force)`);
  });

  /** What the database holds, read with plain SQL. */
  async function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
    return (await pool.query(sql, params)).rows as T[];
  }

  let seq = 0;
  async function business(): Promise<string> {
    const id = `biz${++seq}_${randomBytes(3).toString('hex')}`;
    await store.createBusiness({ id, name: `Business ${seq}`, apiKey: { id: newId('key'), prefix: `dsk_${id}`, hash: newId('hash') } }, NOW - 90 * DAY);
    return id;
  }

  async function customer(businessId: string, fields: Partial<CustomerFields> = {}): Promise<string> {
    const id = newId('cus');
    const n = ++seq;
    await store.saveCustomer(
      businessId,
      id,
      { name: `Customer ${n}`, emails: [{ address: `c${n}@example.com`, primary: true }], phone: null, addresses: [], externalId: null, disabled: false, ...fields },
      NOW - 60 * DAY,
    );
    return id;
  }

  const mail = (businessId: string, to = 'owner@example.com'): NewOutboxEmail => ({
    id: newId('eml'),
    businessId,
    kind: 'test',
    to,
    subject: 'Subject',
    html: '<p>Body</p>',
    text: 'Body',
  });

  function invitation(businessId: string, customerId: string, source: NewInvitation['source'] = 'single'): NewInvitation {
    const tokenHash = newId('hash');
    return {
      id: newId('ivt'),
      customerId,
      source,
      link: { id: newId('lnk'), tokenHash, kind: 'invitation', email: `${customerId}@example.com`, landing: null, expiresAt: NOW + 7 * DAY },
      email: mail(businessId, `${customerId}@example.com`),
    };
  }

  async function invoice(businessId: string, customerId: string, fields: Partial<InvoiceFields>, at = NOW - 30 * DAY): Promise<string> {
    const id = newId('inv');
    const total = fields.total ?? 10_000;
    await store.saveInvoice(
      businessId,
      id,
      {
        customerId,
        externalId: null,
        number: `INV-${++seq}`,
        currency: 'usd',
        lineItems: [{ description: 'Work', quantity: 1, unitAmount: total, amount: total }],
        subtotal: total,
        taxAmount: 0,
        total,
        amountPaid: 0,
        dueDate: null,
        status: 'open',
        paidAt: null,
        ...fields,
      },
      at,
    );
    return id;
  }

  async function estimate(businessId: string, customerId: string, expiresAt: number | null, status: 'open' | 'approved' = 'open'): Promise<string> {
    const id = newId('est');
    await store.saveEstimate(
      businessId,
      id,
      {
        customerId,
        externalId: null,
        number: `EST-${++seq}`,
        currency: 'usd',
        options: [{ id: 'opt_a', name: 'Option A', lineItems: [], subtotal: 500, taxAmount: 0, total: 500 }],
        expiresAt,
        status,
        approvedOptionId: null,
        declineReason: null,
        decidedAt: null,
      },
      NOW - 20 * DAY,
    );
    return id;
  }

  async function appointment(businessId: string, customerId: string, startsAt: number, extra: { endsAt?: number; arrivalWindowMinutes?: number; status?: 'scheduled' | 'in_progress' | 'completed' | 'canceled' } = {}) {
    const id = newId('apt');
    await store.saveAppointment(
      businessId,
      id,
      {
        customerId,
        externalId: null,
        startsAt,
        endsAt: extra.endsAt ?? null,
        arrivalWindowMinutes: extra.arrivalWindowMinutes ?? null,
        description: 'Visit',
        address: null,
        technicians: ['Ana'],
        status: extra.status ?? 'scheduled',
      },
      NOW - 30 * DAY,
    );
    return id;
  }

  const payment = (invoiceId: string, customerId: string, amount: number, eventId = newId('evt'), sessionId = newId('cs')) => ({
    eventId,
    sessionId,
    invoiceId,
    customerId,
    amount,
    currency: 'USD',
  });

  const paidEffects = (businessId: string): { paid: SideEffects; mismatch: SideEffects } => ({
    paid: { emails: [{ ...mail(businessId), kind: 'invoice_paid' }] },
    mismatch: { emails: [{ ...mail(businessId), kind: 'payment_mismatch' }] },
  });

  it('counts and sums the overview as numbers, with bigint amounts and times', async () => {
    const b = await business();
    const [c1, c2, c3] = [await customer(b), await customer(b), await customer(b)];
    await customer(b);
    // Invitations: two customers, one of them twice; one before the month, in no week.
    const first = invitation(b, c1);
    await store.createInvitations(b, [first], NOW - 2 * DAY);
    await store.createInvitations(b, [invitation(b, c1)], Date.UTC(2026, 9, 20));
    await store.createInvitations(b, [invitation(b, c2, 'bulk')], Date.UTC(2026, 10, 10));
    // One sign-in this week.
    const signedIn = await store.exchangeLinkToken(b, first.link.tokenHash, { id: newId('ses'), tokenHash: newId('sh'), idleExpiresAt: NOW + DAY, expiresAt: NOW + 30 * DAY }, NOW - DAY);
    expect(signedIn.status).toBe('signed_in');
    // Invoices paid this month: one past 2^31 minor units, one in another currency; one paid last month.
    const big = await invoice(b, c1, { total: 3_000_000_000 });
    const small = await invoice(b, c2, { total: 12_345 });
    const euro = await invoice(b, c3, { total: 999, currency: 'eur' });
    const old = await invoice(b, c3, { total: 50 });
    expect(await store.recordInvoicePayment(b, payment(big, c1, 3_000_000_000), paidEffects(b), Date.UTC(2026, 10, 3))).toBe('paid');
    expect(await store.recordInvoicePayment(b, payment(small, c2, 12_345), paidEffects(b), Date.UTC(2026, 10, 17))).toBe('paid');
    expect(await store.recordInvoicePayment(b, { ...payment(euro, c3, 999), currency: 'eur' }, paidEffects(b), Date.UTC(2026, 10, 17, 6))).toBe('paid');
    expect(await store.recordInvoicePayment(b, payment(old, c3, 50), paidEffects(b), Date.UTC(2026, 9, 28))).toBe('paid');
    // Marked paid by the business: paid, but not through the portal, and not collected.
    await invoice(b, c2, { total: 777, amountPaid: 777, status: 'paid', paidAt: Date.UTC(2026, 10, 10) });
    // One estimate approved this month.
    const approved = await estimate(b, c1, null);
    await estimate(b, c2, null);
    expect(await store.decideEstimate(b, c1, approved, { status: 'approved', optionId: 'opt_a' }, {}, NOW - HOUR)).toMatchObject({ status: 'approved' });

    const counts = await store.overview(b, { monthStart: MONTH_START, weekStarts: WEEK_STARTS, now: NOW });
    expect(counts).toStrictEqual({
      customers: 4,
      customersInvited: 2,
      customersSignedIn: 1,
      month: {
        invitationsSent: 2,
        signIns: 1,
        invoicesPaid: 4,
        invoicesPaidThroughPortal: 3,
        amountCollected: [
          { currency: 'eur', amount: 999 },
          { currency: 'usd', amount: 3_000_012_345 },
        ],
        estimatesApproved: 1,
      },
      weeks: [
        { start: WEEK_STARTS[0], invitations: 0, signIns: 0, invoicesPaid: 1, invoicesPaidThroughPortal: 1 },
        { start: WEEK_STARTS[1], invitations: 1, signIns: 0, invoicesPaid: 1, invoicesPaidThroughPortal: 0 },
        { start: WEEK_STARTS[2], invitations: 1, signIns: 1, invoicesPaid: 2, invoicesPaidThroughPortal: 2 },
      ],
    });
    // Another business's overview counts none of it.
    expect((await store.overview(await business(), { monthStart: MONTH_START, weekStarts: WEEK_STARTS, now: NOW })).customers).toBe(0);
  });

  it('sums a customer summary as numbers and finds the next appointment by its arrival window', async () => {
    const b = await business();
    const c = await customer(b);
    const stranger = await customer(b);
    await invoice(b, c, { total: 10_000, amountPaid: 2_500 });
    await invoice(b, c, { total: 3_000_000_000 });
    await invoice(b, c, { total: 4_000, currency: 'eur' });
    await invoice(b, c, { total: 100, amountPaid: 100 }); // nothing due
    await invoice(b, c, { total: 700, status: 'draft' });
    await invoice(b, c, { total: 800, status: 'paid', amountPaid: 800, paidAt: NOW - DAY });
    await invoice(b, stranger, { total: 900 });
    await estimate(b, c, null);
    await estimate(b, c, NOW + DAY);
    await estimate(b, c, NOW - DAY); // expired
    await estimate(b, c, null, 'approved');

    // Started ten days ago with an arrival window of 100,000 minutes (past 2^31 ms): still upcoming.
    const longWindow = await appointment(b, c, NOW - 10 * DAY, { arrivalWindowMinutes: 100_000 });
    const soon = await appointment(b, c, NOW + HOUR);
    const later = await appointment(b, c, NOW + 2 * HOUR, { endsAt: NOW + 3 * HOUR });
    await appointment(b, c, NOW + 30 * MINUTE, { status: 'canceled' });
    const inProgress = await appointment(b, c, NOW - 3 * HOUR, { arrivalWindowMinutes: 240, status: 'in_progress' });
    const done = await appointment(b, c, NOW - 2 * DAY, { endsAt: NOW - 2 * DAY + HOUR, status: 'completed' });
    const ended = await appointment(b, c, NOW - DAY, { endsAt: NOW - DAY + HOUR });

    const summary = await store.customerSummary(b, c, NOW);
    expect({ ...summary, nextAppointment: summary.nextAppointment?.id }).toStrictEqual({
      unpaidInvoices: { count: 3, totals: [{ currency: 'eur', amount: 4_000 }, { currency: 'usd', amount: 3_000_007_500 }] },
      openEstimates: 2,
      nextAppointment: longWindow,
    });
    expect(summary.nextAppointment).toMatchObject({ startsAt: NOW - 10 * DAY, arrivalWindowMinutes: 100_000, technicians: ['Ana'] });
    expect(typeof summary.nextAppointment?.startsAt).toBe('number');

    // Upcoming soonest first (the canceled one included), paged by keyset cursor.
    const page1 = await store.listCustomerAppointments(b, c, 'upcoming', { limit: 2 }, NOW);
    const page2 = await store.listCustomerAppointments(b, c, 'upcoming', { limit: 2, cursor: page1.nextCursor! }, NOW);
    const page3 = await store.listCustomerAppointments(b, c, 'upcoming', { limit: 2, cursor: page2.nextCursor! }, NOW);
    expect([...page1.data, ...page2.data, ...page3.data].map((a) => a.id)).toEqual([longWindow, inProgress, page2.data[0]!.id, soon, later]);
    expect(page2.data[0]!.status).toBe('canceled');
    expect(page3.nextCursor).toBeNull();
    const past = await store.listCustomerAppointments(b, c, 'past', { limit: 10 }, NOW);
    expect(past).toStrictEqual({ data: [expect.objectContaining({ id: ended }), expect.objectContaining({ id: done })], nextCursor: null });

    // The stranger sees only their own.
    expect(await store.customerSummary(b, stranger, NOW)).toStrictEqual({
      unpaidInvoices: { count: 1, totals: [{ currency: 'usd', amount: 900 }] },
      openEstimates: 0,
      nextAppointment: null,
    });
  });

  it('lists invoices unpaid first and estimates open first, by offset pages', async () => {
    const b = await business();
    const c = await customer(b);
    const paid = await invoice(b, c, { total: 800, status: 'paid', amountPaid: 800, paidAt: NOW - DAY });
    const dueLater = await invoice(b, c, { total: 100, dueDate: '2026-12-31' });
    const noDue = await invoice(b, c, { total: 100 });
    const dueSoon = await invoice(b, c, { total: 100, dueDate: '2026-11-30' });
    await invoice(b, c, { total: 100, status: 'void' });
    const first = await store.listCustomerInvoices(b, c, { limit: 3 });
    const second = await store.listCustomerInvoices(b, c, { limit: 3, cursor: first.nextCursor! });
    expect([...first.data, ...second.data].map((i) => i.id)).toEqual([dueSoon, dueLater, noDue, paid]);
    expect(second.nextCursor).toBeNull();
    expect(await store.getCustomerInvoice(b, c, paid)).toMatchObject({ id: paid, amountPaid: 800, lineItems: [{ description: 'Work', quantity: 1, unitAmount: 800, amount: 800 }] });

    const expired = await estimate(b, c, NOW - DAY);
    const open = await estimate(b, c, NOW + DAY);
    const estimates = await store.listCustomerEstimates(b, c, { limit: 10 }, NOW);
    expect(estimates.data.map((e) => e.id)).toEqual([open, expired]);
    // An expired estimate cannot be decided; an open one is decided once.
    expect(await store.decideEstimate(b, c, expired, { status: 'declined', reason: 'late' }, {}, NOW)).toBeUndefined();
    const decisions = await Promise.all(
      Array.from({ length: 5 }, (_, n) => (n % 2 ? other : store).decideEstimate(b, c, open, { status: 'declined', reason: `no ${n}` }, { emails: [mail(b)] }, NOW)),
    );
    expect(decisions.filter(Boolean)).toHaveLength(1);
    expect(await rows(`select count(*)::int as n from email_outbox where business_id = $1 and kind = 'test'`, b)).toEqual([{ n: 1 }]);
  });

  it('threads messages with their replies, newest first, across keyset pages', async () => {
    const b = await business();
    const [c1, c2] = [await customer(b), await customer(b)];
    const staffId = (await rows<{ id: string }>('select id from staff where business_id = $1', b))[0]?.id ?? null;
    const message = (customerId: string, body: string) => ({
      id: newId('msg'),
      customerId,
      kind: 'reschedule' as const,
      body,
      appointmentId: null,
      preferredTimes: ['Monday morning', 'Friday 3 pm'],
    });
    const m1 = message(c1, 'first');
    const m2 = message(c2, 'second');
    const m3 = message(c1, 'third');
    await store.createMessage(b, m1, { emails: [mail(b)] }, NOW - 3 * HOUR);
    await store.createMessage(b, m2, {}, NOW - 2 * HOUR);
    await store.createMessage(b, m3, {}, NOW - HOUR);
    const r2 = { id: newId('rpl'), messageId: m1.id, staffId, body: 'second reply' };
    const r1 = { id: newId('rpl'), messageId: m1.id, staffId, body: 'first reply' };
    expect(await store.addReply(b, r2, {}, NOW - 10 * MINUTE)).toBe(true);
    expect(await store.addReply(b, r1, { emails: [mail(b, 'c@example.com')] }, NOW - 20 * MINUTE)).toBe(true);
    // Another business's message takes no reply.
    const b2 = await business();
    expect(await store.addReply(b2, { id: newId('rpl'), messageId: m1.id, staffId: null, body: 'x' }, {}, NOW)).toBe(false);

    const page1 = await store.listMessages(b, { limit: 2 });
    expect(page1.data.map((m) => m.body)).toEqual(['third', 'second']);
    expect(page1.data[1]).toMatchObject({ customerName: expect.stringMatching(/^Customer /), preferredTimes: ['Monday morning', 'Friday 3 pm'], replies: [] });
    const page2 = await store.listMessages(b, { limit: 2, cursor: page1.nextCursor! });
    expect(page2.nextCursor).toBeNull();
    expect(page2.data).toHaveLength(1);
    expect(page2.data[0]).toMatchObject({ id: m1.id, body: 'first', createdAt: NOW - 3 * HOUR });
    expect(page2.data[0]!.replies.map((r) => [r.body, r.createdAt])).toEqual([
      ['first reply', NOW - 20 * MINUTE],
      ['second reply', NOW - 10 * MINUTE],
    ]);
    expect((await store.listMessages(b, { limit: 10 }, c1)).data.map((m) => m.body)).toEqual(['third', 'first']);
    expect(await store.getMessage(b, m1.id)).toStrictEqual(page2.data[0]);
    expect(await store.getMessage(b2, m1.id)).toBeUndefined();
    expect(await rows(`select count(*)::int as n from email_outbox where business_id = $1`, b)).toEqual([{ n: 2 }]);
  });

  it('never hands one webhook delivery to two concurrent claimers', async () => {
    const b = await business();
    const c = await customer(b);
    const all = await store.createWebhookEndpoint(b, { id: newId('whe'), url: 'https://hooks.example/all', secret: 'whsec_all', events: [], description: null }, NOW);
    const paidOnly = await store.createWebhookEndpoint(b, { id: newId('whe'), url: 'https://hooks.example/paid', secret: 'whsec_paid', events: ['invoice.paid'], description: null }, NOW);
    const events: NewWebhookEvent[] = Array.from({ length: 30 }, (_, n) => ({ id: newId('evt'), type: n % 3 ? 'message.received' : 'invoice.paid', data: { n } }));
    await store.createMessage(b, { id: newId('msg'), customerId: c, kind: 'other', body: 'hi', appointmentId: null, preferredTimes: [] }, { events }, NOW);
    // An event queued again, or twice in one change, is delivered once.
    const twice: NewWebhookEvent = { id: newId('evt'), type: 'message.received', data: {} };
    await store.createMessage(b, { id: newId('msg'), customerId: c, kind: 'other', body: 'again', appointmentId: null, preferredTimes: [] }, { events: [events[0]!, twice, twice] }, NOW);
    // 31 to the endpoint taking everything, 10 to the one taking invoice.paid.
    expect(await rows(`select endpoint_id, count(*)::int as n from webhook_deliveries where business_id = $1 group by endpoint_id order by n`, b)).toEqual([
      { endpoint_id: paidOnly.id, n: 10 },
      { endpoint_id: all.id, n: 31 },
    ]);

    const LOCK = MINUTE;
    const claimed: string[] = [];
    for (let round = 0; round < 20; round++) {
      const batches = await Promise.all([store, other, store, other].map((s) => s.claimWebhookBatch(NOW, 4, LOCK)));
      const got = batches.flat();
      if (got.length === 0) break;
      for (const d of got) expect(d.url).toBe(d.endpointId === all.id ? 'https://hooks.example/all' : 'https://hooks.example/paid');
      claimed.push(...got.map((d) => d.id));
    }
    expect(claimed).toHaveLength(41);
    expect(new Set(claimed).size).toBe(41);
    expect(await rows(`select attempts, locked_until from webhook_deliveries where business_id = $1 group by attempts, locked_until`, b)).toEqual([
      { attempts: 1, locked_until: String(NOW + LOCK) },
    ]);

    // Claims lapse: at the lock's end every delivery can be claimed again, once.
    const again = await Promise.all([store.claimWebhookBatch(NOW + LOCK, 25, LOCK), other.claimWebhookBatch(NOW + LOCK, 25, LOCK)]);
    expect(again.flat()).toHaveLength(41);
    expect(new Set(again.flat().map((d) => d.id)).size).toBe(41);

    const [one, two] = again.flat();
    await store.markWebhookDelivered(one!.id, 204, NOW + LOCK + 1);
    await store.markWebhookFailed(two!.id, 'HTTP 500', 500, null, NOW + LOCK + 1);
    const page = await store.listWebhookDeliveries(b, one!.endpointId, { limit: 50 });
    expect(page.data.find((d) => d.id === one!.id)).toMatchObject({ status: 'delivered', lastStatusCode: 204, deliveredAt: NOW + LOCK + 1, attempts: 2, lockedUntil: null });
    expect(await rows(`select status, last_error from webhook_deliveries where id = $1`, two!.id)).toEqual([{ status: 'failed', last_error: 'HTTP 500' }]);
    expect(await store.deleteWebhookEndpoint(b, paidOnly.id)).toBe(true);
    expect(await store.deleteWebhookEndpoint(b, paidOnly.id)).toBe(false);
    expect(await store.queueTestWebhook(b, paidOnly.id, NOW)).toBeUndefined();
    expect(await store.queueTestWebhook(b, all.id, NOW)).toMatchObject({ endpointId: all.id, eventType: 'webhook.test', status: 'pending' });
    expect((await store.listWebhookEndpoints(b)).map((e) => e.id)).toEqual([all.id]);
    // What is still pending is drained for the tests after this one.
    await rows(`update webhook_deliveries set status = 'failed' where business_id = $1`, b);

    // A paused endpoint keeps its first pause time and is sent nothing; its events wait for it.
    expect(await store.pauseWebhookEndpoint(b, all.id, NOW)).toMatchObject({ id: all.id, disabledAt: NOW });
    expect(await other.pauseWebhookEndpoint(b, all.id, NOW + 5)).toMatchObject({ disabledAt: NOW });
    expect(await store.pauseWebhookEndpoint(await business(), all.id, NOW)).toBeUndefined();
    await store.createMessage(b, { id: newId('msg'), customerId: c, kind: 'other', body: 'while paused', appointmentId: null, preferredTimes: [] }, { events: events.slice(0, 3).map((e) => ({ ...e, id: newId('evt') })) }, NOW + 10);
    expect(await store.claimWebhookBatch(NOW + 20, 10, LOCK)).toEqual([]);
    expect(await store.resumeWebhookEndpoint(b, all.id)).toMatchObject({ disabledAt: null });
    const resumed = await Promise.all([store.claimWebhookBatch(NOW + 20, 10, LOCK), other.claimWebhookBatch(NOW + 20, 10, LOCK)]);
    expect(resumed.flat().map((d) => d.endpointId)).toEqual([all.id, all.id, all.id]);
    await rows(`update webhook_deliveries set status = 'failed' where business_id = $1`, b);
  });

  it('claims a bulk job once and refuses a stale chunk', async () => {
    const b = await business();
    const ids = [await customer(b), await customer(b), await customer(b, { emails: [] })];
    const job = await store.createBulkJob(b, newId('bij'), [...ids, 'cus_missing'], NOW);
    expect(job).toMatchObject({ status: 'queued', total: 4, processed: 0, customerIds: [...ids, 'cus_missing'], skippedNoEmail: [] });

    const claims = await Promise.all([store.claimBulkJob(NOW, MINUTE), other.claimBulkJob(NOW, MINUTE)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claims.find(Boolean)).toMatchObject({ id: job.id, status: 'running', lockedUntil: NOW + MINUTE });
    expect(await store.claimBulkJob(NOW + 1, MINUTE)).toBeUndefined();

    // Two workers record the same first chunk at once: one of them is refused and writes nothing.
    const chunk = (): BulkChunk => ({
      from: 0,
      count: 2,
      invitations: [invitation(b, ids[0]!, 'bulk'), invitation(b, ids[1]!, 'bulk')],
      skippedNoEmail: [],
      skippedDisabled: [],
      notFound: [],
    });
    const recorded = await Promise.all([store.recordBulkChunk(job.id, chunk(), NOW + 2 * MINUTE, NOW + 2), other.recordBulkChunk(job.id, chunk(), NOW + 2 * MINUTE, NOW + 2)]);
    expect(recorded.sort()).toEqual([false, true]);
    expect(await store.recordBulkChunk(job.id, chunk(), NOW + 2 * MINUTE, NOW + 3)).toBe(false);
    expect(await rows(`select count(*)::int as n from invitations where business_id = $1`, b)).toEqual([{ n: 2 }]);
    expect(await rows(`select count(*)::int as n from email_outbox where business_id = $1`, b)).toEqual([{ n: 2 }]);

    const last: BulkChunk = { from: 2, count: 2, invitations: [], skippedNoEmail: [{ id: ids[2]!, name: 'No email' }], skippedDisabled: [], notFound: ['cus_missing'] };
    expect(await other.recordBulkChunk(job.id, last, NOW + 2 * MINUTE, NOW + 4)).toBe(true);
    await store.failBulkJob(job.id, 'too late', NOW + 5); // a finished job stays done
    expect(await store.getBulkJob(b, job.id)).toMatchObject({
      status: 'done',
      processed: 4,
      invited: 2,
      skippedNoEmail: [{ id: ids[2], name: 'No email' }],
      notFound: ['cus_missing'],
      lockedUntil: null,
      finishedAt: NOW + 4,
      lastError: null,
    });
    expect(await store.getBulkJob(await business(), job.id)).toBeUndefined();
    expect(await store.claimBulkJob(NOW + 10 * MINUTE, MINUTE)).toBeUndefined();

    const failing = await store.createBulkJob(b, newId('bij'), ids, NOW);
    await store.failBulkJob(failing.id, 'x'.repeat(2000), NOW + 1);
    expect(await store.getBulkJob(b, failing.id)).toMatchObject({ status: 'failed', lastError: 'x'.repeat(1000), finishedAt: NOW + 1 });
  });

  it('records an invoice payment once under ten concurrent identical events', async () => {
    const b = await business();
    const c = await customer(b);
    const inv = await invoice(b, c, { total: 5_000 });
    const same = payment(inv, c, 5_000);
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 ? other : store).recordInvoicePayment(b, same, paidEffects(b), NOW + n)));
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'paid']);
    expect(await rows(`select status, amount_paid, paid_through_portal from invoices where id = $1`, inv)).toEqual([{ status: 'paid', amount_paid: '5000', paid_through_portal: true }]);
    expect(await rows(`select kind from email_outbox where business_id = $1 and kind <> 'test'`, b)).toEqual([{ kind: 'invoice_paid' }]);
    expect(await rows(`select count(*)::int as n from email_outbox where business_id = $1`, b)).toEqual([{ n: 1 }]);
    // The same session under a new event id, and a wrong amount on another invoice.
    expect(await store.recordInvoicePayment(b, { ...same, eventId: newId('evt') }, paidEffects(b), NOW)).toBe('duplicate');
    const other2 = await invoice(b, c, { total: 7_000 });
    expect(await store.recordInvoicePayment(b, payment(other2, c, 6_999), paidEffects(b), NOW)).toBe('mismatch');
    expect(await store.recordInvoicePayment(b, payment(newId('inv'), c, 1), paidEffects(b), NOW)).toBe('not_found');
    expect(await rows(`select status from invoices where id = $1`, other2)).toEqual([{ status: 'open' }]);

    // Card changes, once per change id even when ten arrive together; counted as a number.
    const change = { id: `card-removed:${b}:pm_1`, customerId: c, eventId: newId('evt') };
    const changes = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 ? other : store).recordCardChange(b, change, { emails: [mail(b)] }, NOW)));
    expect(changes.filter(Boolean)).toHaveLength(1);
    expect(await store.recordCardChange(b, { id: `card-added:${b}:pm_2`, customerId: c }, {}, NOW)).toBe(true);
    expect(await store.countCardChanges(b, c)).toBe(2);
    expect(await store.countCardChanges(b, 'cus_none')).toBe(0);
  });

  it('keeps the newest of what Stripe says about cards, with true booleans', async () => {
    const b = await business();
    const c = await customer(b);
    const visa = { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 };
    const fact = (f: object) => ({ customerId: c, eventId: newId('evt'), fact: { stripeCustomerId: 'cus_s', ...f } as never });
    // The default is heard of before the card's own event; an older report of the card changes nothing.
    expect(await store.recordCardChange(b, fact({ kind: 'default', paymentMethodId: 'pm_1', asOf: 20 }), {}, NOW)).toBe(true);
    expect(await store.recordCardChange(b, { ...fact({ kind: 'attached', paymentMethodId: 'pm_1', card: visa, asOf: 10 }), id: `card-added:${b}:pm_1` }, { emails: [mail(b)] }, NOW)).toBe(true);
    expect(await store.recordCardChange(b, fact({ kind: 'attached', paymentMethodId: 'pm_1', card: { ...visa, last4: '0000' }, asOf: 5 }), {}, NOW)).toBe(true);
    expect(await store.recordCardChange(b, fact({ kind: 'attached', paymentMethodId: 'pm_2', card: { ...visa, brand: 'mastercard' }, asOf: 30 }), {}, NOW + 1)).toBe(true);
    expect(await store.listSavedCards(b, c)).toMatchObject([
      { id: 'pm_2', brand: 'mastercard', isDefault: false, cardAsOf: 30 },
      { id: 'pm_1', brand: 'visa', last4: '4242', isDefault: true },
    ]);
    expect(await store.recordCardChange(b, fact({ kind: 'default', paymentMethodId: 'pm_2', asOf: 40 }), {}, NOW + 2)).toBe(true);
    expect((await store.listSavedCards(b, c)).map((card) => [card.id, card.isDefault])).toEqual([
      ['pm_2', true],
      ['pm_1', false],
    ]);
    // Stripe's complete list no longer has pm_1: it is detached for good.
    const refreshed = await store.refreshSavedCards(b, c, { stripeCustomerId: 'cus_s', cards: [{ paymentMethodId: 'pm_2', card: { ...visa, brand: 'mastercard' } }], defaultId: 'pm_2', complete: true, asOf: NOW + 10 }, NOW + 10);
    expect(refreshed.map((card) => [card.id, card.isDefault])).toEqual([['pm_2', true]]);
    expect(await rows(`select id, detached_at from payment_methods where business_id = $1 order by id`, b)).toEqual([
      { id: 'pm_1', detached_at: String(NOW + 10) },
      { id: 'pm_2', detached_at: null },
    ]);
    expect(await rows(`select customer_id, payment_method_id, as_of from stripe_customer_defaults where business_id = $1`, b)).toEqual([
      { customer_id: c, payment_method_id: 'pm_2', as_of: String(NOW + 10) },
    ]);
    // The default cleared, heard of before a card is made default and before it is attached: no default.
    expect(await store.recordCardChange(b, fact({ kind: 'default', paymentMethodId: null, asOf: NOW + 30 }), {}, NOW + 30)).toBe(true);
    expect(await store.recordCardChange(b, fact({ kind: 'default', paymentMethodId: 'pm_3', asOf: NOW + 20 }), {}, NOW + 31)).toBe(true);
    expect(await store.recordCardChange(b, fact({ kind: 'attached', paymentMethodId: 'pm_3', card: visa, asOf: NOW + 15 }), {}, NOW + 32)).toBe(true);
    expect((await store.listSavedCards(b, c)).map((card) => [card.id, card.isDefault])).toEqual([
      ['pm_3', false],
      ['pm_2', false],
    ]);
  });

  it('keeps the first Stripe customer id and finds customers and businesses by Stripe ids', async () => {
    const b = await business();
    const c = await customer(b);
    const kept = await Promise.all([store.setStripeCustomerId(b, c, 'cus_stripe_a', NOW), other.setStripeCustomerId(b, c, 'cus_stripe_b', NOW)]);
    expect(new Set(kept).size).toBe(1);
    expect(await store.setStripeCustomerId(b, c, 'cus_stripe_c', NOW)).toBe(kept[0]);
    expect(await store.setStripeCustomerId(b, 'cus_missing', 'cus_stripe_d', NOW)).toBeUndefined();
    expect(await store.findCustomerByStripeCustomer(null, kept[0]!)).toMatchObject({ id: c, businessId: b });
    expect(await store.findCustomerByStripeCustomer(b, kept[0]!)).toMatchObject({ id: c });
    expect(await store.findCustomerByStripeCustomer(await business(), kept[0]!)).toBeUndefined();
    await rows(`update businesses set stripe_account_id = $2 where id = $1`, b, `acct_${b}`);
    expect(await store.getBusinessByStripeAccount(`acct_${b}`)).toMatchObject({ id: b, autoInvite: false });
    expect(await store.findCustomerByStripeCustomer(null, kept[0]!)).toBeUndefined();
  });

  it('signs staff in once per link and manages API keys', async () => {
    const b = await business();
    const [staff] = await rows<{ id: string }>('select id from staff where business_id = $1', b);
    const staffId = staff?.id ?? (await store.addStaff(b, `owner-${b}@example.com`, 'owner', NOW)).id;
    const [row] = await rows<{ email: string }>('select email from staff where id = $1', staffId);
    expect((await store.findStaffByEmail(row!.email)).map((m) => m.business.id)).toEqual([b]);

    const link = { id: newId('slk'), tokenHash: newId('sth'), expiresAt: NOW + HOUR };
    await store.issueStaffLink(b, staffId, link, mail(b, row!.email), NOW);
    const session = () => ({ id: newId('sss'), tokenHash: newId('ssh'), idleExpiresAt: NOW + DAY, expiresAt: NOW + 7 * DAY });
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => (n % 2 ? other : store).exchangeStaffLink(link.tokenHash, session(), NOW + 1)));
    expect(results.filter((r) => r.status === 'signed_in')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'dead')).toHaveLength(5);
    expect(await store.exchangeStaffLink('sth_unknown', session(), NOW)).toStrictEqual({ status: 'unknown' });
    const signedIn = results.find((r) => r.status === 'signed_in')!;
    if (signedIn.status !== 'signed_in') throw new Error('unreachable');
    const found = await store.touchStaffSession(signedIn.session.tokenHash, NOW + 2 * HOUR, DAY, HOUR);
    expect(found).toMatchObject({ staff: { id: staffId }, session: { lastSeenAt: NOW + 2 * HOUR, idleExpiresAt: NOW + 2 * HOUR + DAY } });
    expect(await rows('select last_seen_at from staff_sessions where id = $1', signedIn.session.id)).toEqual([{ last_seen_at: String(NOW + 2 * HOUR) }]);
    expect(await store.deleteStaffSession(signedIn.session.tokenHash)).toBe(true);
    expect(await store.deleteStaffSession(signedIn.session.tokenHash)).toBe(false);

    // Two owners demoting each other at once: one of them stays owner.
    const second = await store.addStaff(b, `second-${b}@example.com`, 'owner', NOW);
    const third = await store.addStaff(b, `third-${b}@example.com`, 'staff', NOW);
    expect((await store.listStaff(b)).map((m) => [m.role, m.email])).toEqual([
      ['owner', row!.email],
      ['owner', second.email],
      ['staff', third.email],
    ]);
    const demotions = await Promise.all([store.changeStaffRole(b, staffId, 'staff'), other.changeStaffRole(b, second.id, 'staff')]);
    expect(demotions.map((d) => d.status).sort()).toEqual(['changed', 'last_owner']);
    const owners = await rows<{ id: string }>(`select id from staff where business_id = $1 and role = 'owner'`, b);
    expect(owners).toHaveLength(1);
    expect(await store.removeStaff(b, owners[0]!.id)).toStrictEqual({ status: 'last_owner' });
    expect(await store.removeStaff(await business(), third.id)).toStrictEqual({ status: 'not_found' });
    expect(await store.removeStaff(b, third.id)).toMatchObject({ status: 'removed', staff: { id: third.id } });
    expect(await store.changeStaffRole(b, third.id, 'owner')).toStrictEqual({ status: 'not_found' });

    const keys = await store.listApiKeys(b);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toHaveProperty('hash');
    expect(await store.revokeBusinessApiKey(await business(), keys[0]!.prefix, NOW)).toBeUndefined();
    expect(await store.revokeBusinessApiKey(b, keys[0]!.prefix, NOW)).toMatchObject({ prefix: keys[0]!.prefix, revokedAt: NOW });
    expect(await store.revokeBusinessApiKey(b, keys[0]!.prefix, NOW)).toBeUndefined();
  });
});
