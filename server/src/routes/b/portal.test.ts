// The signed-in portal (SPEC §3.3, §4.6, §9): what a customer observes through the widget API —
// summary badges, appointments, invoices, estimates with their approve/decline state machine, and
// messages. Data is pushed through the admin API exactly as a business would; time moves with the
// harness's ManualClock (2026-01-15T12:00:00Z at the start), never by sleeping.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, type Harness } from '../../../test/harness';
import { signIn, type SignedInCustomer } from '../../../test/sign-in';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let h: Harness;
/** Dana, signed in at acme. */
let dana: SignedInCustomer;
/** Eli, another customer of acme (not signed in unless a test does it). */
let eli: string;
/** Zoe, a customer of bravo. */
let zoe: string;
let seq = 0;

beforeEach(async () => {
  h = await createHarness();
  await expectJson(
    h.admin('POST', '/v1/admin/customers', {
      name: 'Dana Rivera',
      email: 'dana@example.com',
      addresses: [{ line1: '12 Elm St', city: 'Springfield', region: 'IL', postalCode: '62701' }],
    }),
    201,
  );
  eli = (await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Eli Stone', email: 'eli@example.com' }), 201)).id;
  zoe = (await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Zoe Park', email: 'zoe@example.net' }, h.keyB), 201)).id;
  dana = await signIn(h, 'acme', 'dana@example.com');
});
afterEach(() => h.close());

/** An ISO time `ms` from the harness clock's current time. */
const at = (ms: number) => new Date(h.clock.now() + ms).toISOString();

/** A widget API call, signed in as `who` (or signed out with null). */
function api(method: string, path: string, who: SignedInCustomer | null = dana, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (who) headers['Authorization'] = `Bearer ${who.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return Promise.resolve(h.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}
const get = <T = any>(path: string, who: SignedInCustomer | null = dana) => expectJson<T>(api('GET', path, who), 200);

const customerId = () => dana.customer.id;

async function appointment(fields: Record<string, unknown> = {}, key = h.keyA): Promise<any> {
  return expectJson(
    h.admin('POST', '/v1/admin/appointments', { customerId: customerId(), startsAt: at(DAY), description: `Job ${++seq}`, ...fields }, key),
    201,
  );
}

async function invoice(fields: Record<string, unknown> = {}, key = h.keyA): Promise<any> {
  return expectJson(
    h.admin(
      'POST',
      '/v1/admin/invoices',
      {
        customerId: customerId(),
        number: `INV-${++seq}`,
        currency: 'usd',
        lineItems: [{ description: 'Service call', quantity: 1, unitAmount: 10000 }],
        status: 'open',
        ...fields,
      },
      key,
    ),
    201,
  );
}

const oneOption = [{ name: 'Repair', lineItems: [{ description: 'Replace valve', quantity: 1, unitAmount: 30000 }] }];
const twoOptions = [
  { name: 'Repair', lineItems: [{ description: 'Replace valve', quantity: 1, unitAmount: 30000 }] },
  { name: 'Replace', lineItems: [{ description: 'New heater', quantity: 1, unitAmount: 150000 }], taxAmount: 900 },
];

async function estimate(fields: Record<string, unknown> = {}, key = h.keyA): Promise<any> {
  return expectJson(
    h.admin('POST', '/v1/admin/estimates', { customerId: customerId(), number: `EST-${++seq}`, currency: 'usd', options: oneOption, ...fields }, key),
    201,
  );
}

const ids = (list: { data: { id: string }[] }) => list.data.map((x) => x.id);

/** Business notifications queued for acme (newest first). */
const notifications = async () => (await h.store.listOutbox('acme')).filter((m) => m.kind.startsWith('notify_'));

describe('summary', () => {
  it('counts unpaid invoices with totals per currency: open with an amount due, the remainder of partial payments', async () => {
    await invoice(); // 100.00 usd due
    await invoice({ lineItems: [{ description: 'Install', quantity: 2, unitAmount: 10000 }], taxAmount: 1000, amountPaid: 5000 }); // 210.00 − 50.00
    await invoice({ currency: 'eur', lineItems: [{ description: 'Part', quantity: 1, unitAmount: 4500 }] });
    await invoice({ status: 'draft' });
    await invoice({ status: 'void' });
    await invoice({ status: 'paid' });
    await invoice({ amountPaid: 10000 }); // open but fully paid: nothing due
    await invoice({ customerId: eli }); // someone else's
    await invoice({ customerId: zoe }, h.keyB); // another business's

    const summary = await get('/v1/b/acme/summary');
    expect(summary.unpaidInvoices.count).toBe(3);
    expect([...summary.unpaidInvoices.totals].sort((a: any, b: any) => a.currency.localeCompare(b.currency))).toEqual([
      { currency: 'eur', amount: 4500 },
      { currency: 'usd', amount: 10000 + 16000 },
    ]);
  });

  it('counts open estimates: expired, decided and canceled ones excluded', async () => {
    await estimate(); // open, no expiry
    await estimate({ expiresAt: at(DAY) }); // open, expires tomorrow
    await estimate({ expiresAt: at(-MINUTE) }); // open but already past its expiry
    await estimate({ status: 'approved' });
    await estimate({ status: 'declined' });
    await estimate({ status: 'expired' });
    const canceled = await estimate();
    await expectJson(h.admin('POST', `/v1/admin/estimates/${canceled.id}/cancel`), 200);
    await estimate({ customerId: eli });

    expect((await get('/v1/b/acme/summary')).openEstimates).toBe(2);
    h.clock.advance(DAY); // tomorrow's expiry arrives
    expect((await get('/v1/b/acme/summary')).openEstimates).toBe(1);
  });

  it('shows the soonest upcoming appointment that is neither canceled nor completed', async () => {
    expect((await get('/v1/b/acme/summary')).nextAppointment).toBeNull();
    await appointment({ startsAt: at(-2 * DAY), endsAt: at(-2 * DAY + HOUR) }); // over
    await appointment({ startsAt: at(HOUR), status: 'canceled' });
    await appointment({ startsAt: at(2 * HOUR), status: 'completed' });
    await appointment({ customerId: eli, startsAt: at(3 * HOUR) });
    const later = await appointment({ startsAt: at(5 * DAY) });
    const soon = await appointment({ startsAt: at(2 * DAY), arrivalWindowMinutes: 120, address: '1 Main St', technicians: ['Sam'] });

    const next = (await get('/v1/b/acme/summary')).nextAppointment;
    expect(next).toMatchObject({ id: soon.id, address: '1 Main St', technicians: ['Sam'], status: 'scheduled' });
    expect(next).not.toHaveProperty('customerId');
    expect(next).not.toHaveProperty('externalId');

    // A job under way (started, not yet ended) is still the next appointment.
    const ongoing = await appointment({ startsAt: at(-HOUR), endsAt: at(HOUR), status: 'in_progress' });
    expect((await get('/v1/b/acme/summary')).nextAppointment.id).toBe(ongoing.id);
    h.clock.advance(HOUR + 1);
    expect((await get('/v1/b/acme/summary')).nextAppointment.id).toBe(soon.id);
    h.clock.advance(3 * DAY);
    expect((await get('/v1/b/acme/summary')).nextAppointment.id).toBe(later.id);
  });
});

describe('appointments', () => {
  it('lists upcoming soonest first and past most recent first, with what the customer needs to know', async () => {
    const inTwoDays = await appointment({
      startsAt: '2026-01-17T14:00:00Z',
      arrivalWindowMinutes: 120,
      description: 'Furnace tune-up',
      address: '12 Elm St, Springfield',
      technicians: ['Sam', 'Alex'],
      externalId: 'crm-job-1',
    });
    const tomorrow = await appointment({ startsAt: '2026-01-16T09:00:00Z' });
    const nextWeek = await appointment({ startsAt: '2026-01-22T09:00:00Z' });
    const lastWeek = await appointment({ startsAt: '2026-01-08T09:00:00Z', status: 'completed' });
    const yesterday = await appointment({ startsAt: '2026-01-14T09:00:00Z', endsAt: '2026-01-14T11:00:00Z' });
    const lastMonth = await appointment({ startsAt: '2025-12-15T09:00:00Z' });
    await appointment({ customerId: eli, startsAt: '2026-01-16T10:00:00Z' });
    await appointment({ customerId: zoe, startsAt: '2026-01-16T10:00:00Z' }, h.keyB);

    const upcoming = await get('/v1/b/acme/appointments?when=upcoming');
    expect(ids(upcoming)).toEqual([tomorrow.id, inTwoDays.id, nextWeek.id]);
    expect(upcoming.nextCursor).toBeNull();
    expect(ids(await get('/v1/b/acme/appointments'))).toEqual(ids(upcoming)); // upcoming is the default
    expect(ids(await get('/v1/b/acme/appointments?when=past'))).toEqual([yesterday.id, lastWeek.id, lastMonth.id]);

    const shown = upcoming.data[1];
    expect(shown).toMatchObject({
      id: inTwoDays.id,
      startsAt: '2026-01-17T14:00:00.000Z',
      endsAt: null,
      arrivalWindow: { start: '2026-01-17T14:00:00.000Z', end: '2026-01-17T16:00:00.000Z' },
      description: 'Furnace tune-up',
      address: '12 Elm St, Springfield',
      technicians: ['Sam', 'Alex'],
      status: 'scheduled',
    });
    for (const a of [...upcoming.data, ...(await get('/v1/b/acme/appointments?when=past')).data]) {
      expect(a).not.toHaveProperty('externalId');
      expect(a).not.toHaveProperty('customerId');
      expect(a).not.toHaveProperty('businessId');
    }
    // Without an address of its own, a job takes the customer's first address.
    expect(upcoming.data[0].address).toContain('12 Elm St');
  });

  it('keeps an appointment upcoming until its end: endsAt, else the arrival window end, else its start', async () => {
    const start = h.clock.now() + HOUR;
    const withEnd = await appointment({ startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3 * HOUR).toISOString(), arrivalWindowMinutes: 60 });
    const withWindow = await appointment({ startsAt: new Date(start).toISOString(), arrivalWindowMinutes: 120 });
    const bare = await appointment({ startsAt: new Date(start).toISOString() });

    const sides = async () => ({
      upcoming: new Set(ids(await get('/v1/b/acme/appointments?when=upcoming'))),
      past: new Set(ids(await get('/v1/b/acme/appointments?when=past'))),
    });
    const expectUpcoming = async (upcoming: string[], past: string[]) => {
      const now = await sides();
      expect([...now.upcoming].sort()).toEqual([...upcoming].sort());
      expect([...now.past].sort()).toEqual([...past].sort());
    };

    h.clock.set(start);
    await expectUpcoming([withEnd.id, withWindow.id, bare.id], []);
    h.clock.set(start + 1);
    await expectUpcoming([withEnd.id, withWindow.id], [bare.id]);
    h.clock.set(start + 2 * HOUR);
    await expectUpcoming([withEnd.id, withWindow.id], [bare.id]);
    h.clock.set(start + 2 * HOUR + 1);
    await expectUpcoming([withEnd.id], [withWindow.id, bare.id]);
    h.clock.set(start + 3 * HOUR);
    await expectUpcoming([withEnd.id], [withWindow.id, bare.id]);
    h.clock.set(start + 3 * HOUR + 1);
    await expectUpcoming([], [withEnd.id, withWindow.id, bare.id]);
  });

  it('walks every page with the cursor, in order, without duplicates, including ties on the start time', async () => {
    const upcomingIds: string[] = [];
    const pastIds: string[] = [];
    for (let i = 0; i < 9; i++) {
      // Three appointments share each start time, so the id breaks ties.
      upcomingIds.push((await appointment({ startsAt: at((1 + Math.floor(i / 3)) * DAY) })).id);
      pastIds.push((await appointment({ startsAt: at(-(1 + Math.floor(i / 3)) * DAY) })).id);
    }
    await appointment({ customerId: eli, startsAt: at(DAY) });

    for (const [when, expected] of [['upcoming', upcomingIds], ['past', pastIds]] as const) {
      const all = await get(`/v1/b/acme/appointments?when=${when}&limit=100`);
      expect(new Set(ids(all))).toEqual(new Set(expected));
      for (const limit of [1, 2, 4]) {
        const walked: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: any = await get(`/v1/b/acme/appointments?when=${when}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(page.data.length).toBeLessThanOrEqual(limit);
          walked.push(...ids(page));
          cursor = page.nextCursor;
          expect(++pages).toBeLessThan(20);
        } while (cursor);
        expect(walked, `${when} limit ${limit}`).toEqual(ids(all));
      }
    }
    expect((await expectJson(api('GET', '/v1/b/acme/appointments?cursor=not-a-cursor'), 400)).error.code).toBe('invalid_cursor');
    expect((await expectJson(api('GET', '/v1/b/acme/appointments?when=later'), 400)).error.code).toBe('invalid_request');
  });

  it("never shows another customer's appointments, at this business or another", async () => {
    await appointment({ customerId: eli, startsAt: at(DAY), description: 'Eli job' });
    await appointment({ customerId: eli, startsAt: at(-DAY), description: 'Eli old job' });
    await appointment({ customerId: zoe, startsAt: at(DAY), description: 'Zoe job' }, h.keyB);
    expect((await get('/v1/b/acme/appointments?when=upcoming')).data).toEqual([]);
    expect((await get('/v1/b/acme/appointments?when=past')).data).toEqual([]);
    const eliSession = await signIn(h, 'acme', 'eli@example.com');
    expect((await get('/v1/b/acme/appointments?when=upcoming', eliSession)).data.map((a: any) => a.description)).toEqual(['Eli job']);
  });
});

describe('invoices', () => {
  it('lists unpaid first, then paid; drafts and void never appear', async () => {
    const paidEarlier = await invoice({ status: 'paid' });
    const dueLater = await invoice({ dueDate: '2026-03-01' });
    const draft = await invoice({ status: 'draft' });
    const voided = await invoice({ status: 'void' });
    const dueSooner = await invoice({ dueDate: '2026-02-01', amountPaid: 2500 });
    h.clock.advance(HOUR);
    const paidLater = await invoice({ status: 'paid' });
    await invoice({ customerId: eli });

    const list = await get('/v1/b/acme/invoices');
    expect(ids(list)).toEqual([dueSooner.id, dueLater.id, paidLater.id, paidEarlier.id]);
    expect(ids(list)).not.toContain(draft.id);
    expect(ids(list)).not.toContain(voided.id);
    for (const i of list.data) {
      expect(i).not.toHaveProperty('customerId');
      expect(i).not.toHaveProperty('externalId');
    }

    // Offset pages walk the same order.
    const first = await get('/v1/b/acme/invoices?limit=3');
    expect(ids(first)).toEqual(ids(list).slice(0, 3));
    expect(ids(await get(`/v1/b/acme/invoices?limit=3&cursor=${first.nextCursor}`))).toEqual(ids(list).slice(3));
  });

  it('shows the detail: line items, subtotal, tax, total, paid, due, status and dates', async () => {
    const created = await invoice({
      number: 'INV-1001',
      lineItems: [
        { description: 'Water heater install', quantity: 1, unitAmount: 125000 },
        { description: 'Labor (hours)', quantity: 2.5, unitAmount: 9500 },
      ],
      taxAmount: 1250,
      amountPaid: 50000,
      dueDate: '2026-02-14',
      externalId: 'qb-77',
    });
    const detail = await get(`/v1/b/acme/invoices/${created.id}`);
    expect(detail).toMatchObject({
      id: created.id,
      number: 'INV-1001',
      currency: 'usd',
      lineItems: [
        { description: 'Water heater install', quantity: 1, unitAmount: 125000 },
        { description: 'Labor (hours)', quantity: 2.5, unitAmount: 9500 },
      ],
      subtotal: 148750,
      taxAmount: 1250,
      total: 150000,
      amountPaid: 50000,
      amountDue: 100000,
      status: 'open',
      dueDate: '2026-02-14',
      createdAt: '2026-01-15T12:00:00.000Z',
    });
    expect(detail).toHaveProperty('paidAt', null);
    expect(detail).not.toHaveProperty('customerId');
    expect(detail).not.toHaveProperty('externalId');
    expect(detail).not.toHaveProperty('businessId');

    const paid = await invoice({ status: 'paid' });
    expect(await get(`/v1/b/acme/invoices/${paid.id}`)).toMatchObject({ status: 'paid', amountPaid: 10000, amountDue: 0, paidAt: '2026-01-15T12:00:00.000Z' });
  });

  it("answers 404 for drafts, void, another customer's and another business's invoices exactly like a missing one", async () => {
    const missing = await api('GET', '/v1/b/acme/invoices/inv_doesnotexist');
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    expect(JSON.parse(missingBody).error.code).toBe('not_found');
    const hidden = [
      await invoice({ status: 'draft' }),
      await invoice({ status: 'void' }),
      await invoice({ customerId: eli }),
      await invoice({ customerId: zoe }, h.keyB),
    ];
    for (const i of hidden) {
      const res = await api('GET', `/v1/b/acme/invoices/${i.id}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe(missingBody);
    }
  });
});

describe('estimates', () => {
  it('lists open (unexpired) first, then approved, declined and expired; canceled never', async () => {
    const approved = await estimate({ status: 'approved' });
    const open1 = await estimate();
    const expiredByDate = await estimate({ expiresAt: at(-HOUR) });
    const declined = await estimate({ status: 'declined' });
    const canceled = await estimate();
    await expectJson(h.admin('POST', `/v1/admin/estimates/${canceled.id}/cancel`), 200);
    const markedExpired = await estimate({ status: 'expired' });
    const open2 = await estimate({ expiresAt: at(30 * DAY), options: twoOptions });
    await estimate({ customerId: eli });

    const list = await get('/v1/b/acme/estimates');
    const shown = ids(list);
    expect(shown).toHaveLength(6);
    expect(new Set(shown.slice(0, 2))).toEqual(new Set([open1.id, open2.id]));
    expect(new Set(shown.slice(2))).toEqual(new Set([approved.id, expiredByDate.id, declined.id, markedExpired.id]));
    expect(shown).not.toContain(canceled.id);
    const byId = new Map<string, any>(list.data.map((e: any) => [e.id, e]));
    expect(byId.get(expiredByDate.id).status).toBe('expired');
    expect(byId.get(open2.id)).toMatchObject({ status: 'open', options: [{ name: 'Repair', total: 30000 }, { name: 'Replace', total: 150900 }] });
    for (const e of list.data) {
      expect(e).not.toHaveProperty('customerId');
      expect(e).not.toHaveProperty('externalId');
    }

    const missing = await api('GET', '/v1/b/acme/estimates/est_doesnotexist');
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    for (const id of [canceled.id, (await estimate({ customerId: eli })).id, (await estimate({ customerId: zoe }, h.keyB)).id]) {
      const res = await api('GET', `/v1/b/acme/estimates/${id}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe(missingBody);
    }
  });

  it('approves a single-option estimate without optionId and tells the business', async () => {
    const e = await estimate({ number: 'EST-900' });
    const approved = await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/approve`, dana, {}), 200);
    expect(approved).toMatchObject({ id: e.id, status: 'approved', approvedOptionId: e.options[0].id, decidedAt: '2026-01-15T12:00:00.000Z' });
    expect((await get(`/v1/b/acme/estimates/${e.id}`)).status).toBe('approved');
    expect((await get('/v1/b/acme/summary')).openEstimates).toBe(0);

    const mail = await notifications();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toBe('owner@acme.test');
    expect(mail[0]!.subject).toContain('EST-900');
    expect(mail[0]!.subject).toContain('Dana Rivera');
    expect(mail[0]!.text).toContain('Repair');
  });

  it('needs a valid option when there are several', async () => {
    const e = await estimate({ number: 'EST-901', options: twoOptions });
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/approve`, dana, {}), 400)).error.code).toBe('option_required');
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/approve`, dana, { optionId: 'opt_nope' }), 400)).error.code).toBe('invalid_option');
    // An option id of another estimate is not an option of this one.
    const other = await estimate({ options: twoOptions });
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/approve`, dana, { optionId: other.options[1].id }), 400)).error.code).toBe('invalid_option');
    expect(await notifications()).toHaveLength(0);
    expect((await get(`/v1/b/acme/estimates/${e.id}`)).status).toBe('open');

    const chosen = e.options[1];
    const approved = await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/approve`, dana, { optionId: chosen.id }), 200);
    expect(approved).toMatchObject({ status: 'approved', approvedOptionId: chosen.id });
    const [mail] = await notifications();
    expect(mail!.subject).toBe('Estimate EST-901 approved by Dana Rivera');
    expect(mail!.text).toContain('Replace');
    expect(mail!.text).toContain('1,509.00');
  });

  it('refuses a second decision: approve twice, approve after decline, decline after approve', async () => {
    const a = await estimate();
    await expectJson(api('POST', `/v1/b/acme/estimates/${a.id}/approve`, dana, {}), 200);
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${a.id}/approve`, dana, {}), 409)).error.code).toBe('estimate_not_open');
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${a.id}/decline`, dana, {}), 409)).error.code).toBe('estimate_not_open');

    const d = await estimate();
    await expectJson(api('POST', `/v1/b/acme/estimates/${d.id}/decline`, dana, {}), 200);
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${d.id}/approve`, dana, {}), 409)).error.code).toBe('estimate_not_open');
    expect((await get(`/v1/b/acme/estimates/${d.id}`)).status).toBe('declined');

    const imported = await estimate({ status: 'approved' });
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${imported.id}/decline`, dana, {}), 409)).error.code).toBe('estimate_not_open');
    // One email per accepted decision, none for refusals.
    expect((await notifications()).map((m) => m.kind).sort()).toEqual(['notify_estimate_approved', 'notify_estimate_declined']);
  });

  it('refuses an expired estimate and shows it as expired', async () => {
    const e = await estimate({ expiresAt: '2026-01-20T00:00:00Z' });
    h.clock.set('2026-01-20T00:00:00Z');
    const refused = await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/approve`, dana, {}), 409);
    expect(refused.error.code).toBe('estimate_expired');
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/decline`, dana, {}), 409)).error.code).toBe('estimate_expired');
    expect((await get(`/v1/b/acme/estimates/${e.id}`)).status).toBe('expired');
    expect((await get('/v1/b/acme/estimates')).data[0]).toMatchObject({ id: e.id, status: 'expired' });
    expect(await notifications()).toHaveLength(0);

    const marked = await estimate({ status: 'expired' });
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${marked.id}/approve`, dana, {}), 409)).error.code).toBe('estimate_expired');
  });

  it('declines with an optional reason, stored and returned, and tells the business', async () => {
    const withReason = await estimate({ number: 'EST-910' });
    const declined = await expectJson(api('POST', `/v1/b/acme/estimates/${withReason.id}/decline`, dana, { reason: '  Too expensive for now  ' }), 200);
    expect(declined).toMatchObject({ status: 'declined', declineReason: 'Too expensive for now', approvedOptionId: null });
    expect((await get(`/v1/b/acme/estimates/${withReason.id}`)).declineReason).toBe('Too expensive for now');
    const [mail] = await notifications();
    expect(mail).toMatchObject({ kind: 'notify_estimate_declined', to: 'owner@acme.test', subject: 'Estimate EST-910 declined by Dana Rivera' });
    expect(mail!.text).toContain('Too expensive for now');

    const without = await estimate();
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${without.id}/decline`, dana, {}), 200)).declineReason).toBeNull();
    const noBody = await estimate(); // a POST with no body at all is a decision without a reason
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${noBody.id}/decline`), 200)).declineReason).toBeNull();
    const blank = await estimate();
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${blank.id}/decline`, dana, { reason: '   ' }), 200)).declineReason).toBeNull();
    expect((await expectJson(api('POST', `/v1/b/acme/estimates/${blank.id}/decline`, dana, { reason: 'x'.repeat(1001) }), 400)).error.code).toBe('invalid_body');
  });

  it("answers a decision on a canceled, another customer's or missing estimate with the missing 404", async () => {
    const missing = await api('POST', '/v1/b/acme/estimates/est_doesnotexist/decline', dana, {});
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    const canceled = await estimate();
    await expectJson(h.admin('POST', `/v1/admin/estimates/${canceled.id}/cancel`), 200);
    const elis = await estimate({ customerId: eli });
    const zoes = await estimate({ customerId: zoe }, h.keyB);
    for (const id of [canceled.id, elis.id, zoes.id]) {
      for (const action of ['approve', 'decline']) {
        const res = await api('POST', `/v1/b/acme/estimates/${id}/${action}`, dana, {});
        expect(res.status, `${action} ${id}`).toBe(404);
        expect(await res.text()).toBe(missingBody);
      }
    }
    expect((await expectJson(h.admin('GET', `/v1/admin/estimates/${elis.id}`), 200)).status).toBe('open');
    expect((await expectJson(h.admin('GET', `/v1/admin/estimates/${zoes.id}`, undefined, h.keyB), 200)).status).toBe('open');
    expect(await notifications()).toHaveLength(0);
  });

  it('lets exactly one of 10 concurrent approvals and declines win', async () => {
    for (let round = 0; round < 3; round++) {
      const e = await estimate();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const approve = (i + round) % 2 === 1;
          const body = approve ? {} : i % 3 ? {} : { reason: `r${i}` };
          return api('POST', `/v1/b/acme/estimates/${e.id}/${approve ? 'approve' : 'decline'}`, dana, body).then(async (r) => ({
            status: r.status,
            body: await r.json(),
          }));
        }),
      );
      const won = results.filter((r) => r.status === 200);
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(9).fill('estimate_not_open'));
      const final = await get(`/v1/b/acme/estimates/${e.id}`);
      expect(final.status).toBe(won[0]!.body.status);
    }
    expect(await notifications()).toHaveLength(3);
  });

  it('sends the notification to the configured notification address', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { notificationEmail: 'office@acme.test' }), 200);
    const e = await estimate();
    await expectJson(api('POST', `/v1/b/acme/estimates/${e.id}/approve`, dana, {}), 200);
    expect((await notifications()).map((m) => m.to)).toEqual(['office@acme.test']);
  });
});

describe('messages', () => {
  const enableMessaging = () => expectJson(h.admin('PATCH', '/v1/admin/settings', { messagingEnabled: true }), 200);

  it('refuses messages while messaging is disabled and stores nothing', async () => {
    const refused = await expectJson(api('POST', '/v1/b/acme/messages', dana, { kind: 'other', body: 'Hello?' }), 403);
    expect(refused.error.code).toBe('messaging_disabled');
    expect((await get('/v1/b/acme/messages')).data).toEqual([]);
    expect((await expectJson(h.admin('GET', '/v1/admin/messages'), 200)).data).toEqual([]);
    expect(await notifications()).toHaveLength(0);
  });

  it('takes each kind of message, stores preferred times and emails the business', async () => {
    await enableMessaging();
    const job = await appointment({ startsAt: '2026-01-20T15:00:00Z', description: 'Furnace tune-up' });
    const sent: any[] = [];
    for (const body of [
      { kind: 'new_appointment', body: 'Please schedule an AC check.', preferredTimes: ['Mon morning', 'Tue after 3pm'] },
      { kind: 'reschedule', body: 'Can we move this?', appointmentId: job.id, preferredTimes: ['Jan 22 afternoon'] },
      { kind: 'cancel', body: 'Please cancel.', appointmentId: job.id },
      { kind: 'other', body: '  Do you service tankless heaters?  ' },
    ]) {
      h.clock.advance(MINUTE);
      sent.push(await expectJson(api('POST', '/v1/b/acme/messages', dana, body), 201));
    }
    expect(sent.map((m) => m.kind)).toEqual(['new_appointment', 'reschedule', 'cancel', 'other']);
    expect(sent[0]).toMatchObject({ body: 'Please schedule an AC check.', preferredTimes: ['Mon morning', 'Tue after 3pm'], appointmentId: null, replies: [] });
    expect(sent[1]).toMatchObject({ appointmentId: job.id, preferredTimes: ['Jan 22 afternoon'] });
    expect(sent[2]).toMatchObject({ appointmentId: job.id, preferredTimes: [] });
    expect(sent[3].body).toBe('Do you service tankless heaters?');
    expect(sent[0]).not.toHaveProperty('customerId');

    const mail = (await notifications()).reverse();
    expect(mail.map((m) => m.kind)).toEqual(Array(4).fill('notify_message_received'));
    expect(mail.every((m) => m.to === 'owner@acme.test' && m.subject === 'New message from Dana Rivera')).toBe(true);
    expect(mail[0]!.text).toContain('Please schedule an AC check.');
    expect(mail[0]!.text).toContain('Mon morning; Tue after 3pm');
    expect(mail[1]!.text).toContain('Reschedule an appointment');
    expect(mail[1]!.text).toContain('Furnace tune-up');
    expect(mail[2]!.text).toContain('Cancel an appointment');

    const listed = await get('/v1/b/acme/messages');
    expect(ids(listed)).toEqual(sent.map((m) => m.id).reverse());
  });

  it('requires one of your own upcoming appointments for reschedule and cancel', async () => {
    await enableMessaging();
    const mine = await appointment({ startsAt: at(DAY) });
    const past = await appointment({ startsAt: at(-DAY) });
    const canceled = await appointment({ startsAt: at(DAY), status: 'canceled' });
    const elis = await appointment({ customerId: eli, startsAt: at(DAY) });
    const zoes = await appointment({ customerId: zoe, startsAt: at(DAY) }, h.keyB);

    for (const kind of ['reschedule', 'cancel']) {
      expect((await expectJson(api('POST', '/v1/b/acme/messages', dana, { kind, body: 'Change it' }), 400)).error.code).toBe('invalid_body');
      const bodies = new Set<string>();
      for (const appointmentId of [past.id, canceled.id, elis.id, zoes.id, 'apt_doesnotexist']) {
        const res = await api('POST', '/v1/b/acme/messages', dana, { kind, body: 'Change it', appointmentId });
        expect(res.status, `${kind} ${appointmentId}`).toBe(400);
        bodies.add(await res.text());
      }
      expect(bodies.size).toBe(1);
      expect(JSON.parse([...bodies][0]!).error.code).toBe('invalid_appointment');
    }
    expect((await get('/v1/b/acme/messages')).data).toEqual([]);
    expect(await notifications()).toHaveLength(0);
    await expectJson(api('POST', '/v1/b/acme/messages', dana, { kind: 'cancel', body: 'Cancel it', appointmentId: mine.id }), 201);
    expect(await notifications()).toHaveLength(1);
  });

  it("rejects malformed messages", async () => {
    await enableMessaging();
    for (const body of [
      {},
      { kind: 'complaint', body: 'x' },
      { kind: 'other', body: '   ' },
      { kind: 'other', body: 'x'.repeat(4001) },
      { kind: 'other', body: 'x', preferredTimes: ['a', 'b', 'c', 'd', 'e', 'f'] },
      { kind: 'other', body: 'x', customerId: eli },
    ]) {
      expect((await expectJson(api('POST', '/v1/b/acme/messages', dana, body), 400)).error.code).toBe('invalid_body');
    }
    expect((await get('/v1/b/acme/messages')).data).toEqual([]);
  });

  it("lists only this customer's messages, newest first, with the business's replies", async () => {
    await enableMessaging();
    const eliSession = await signIn(h, 'acme', 'eli@example.com');
    const first = await expectJson(api('POST', '/v1/b/acme/messages', dana, { kind: 'other', body: 'First' }), 201);
    h.clock.advance(MINUTE);
    const elisMessage = await expectJson(api('POST', '/v1/b/acme/messages', eliSession, { kind: 'other', body: 'From Eli' }), 201);
    h.clock.advance(MINUTE);
    const second = await expectJson(api('POST', '/v1/b/acme/messages', dana, { kind: 'new_appointment', body: 'Second' }), 201);

    expect(ids(await get('/v1/b/acme/messages'))).toEqual([second.id, first.id]);
    expect(ids(await get('/v1/b/acme/messages', eliSession))).toEqual([elisMessage.id]);
    const paged = await get('/v1/b/acme/messages?limit=1');
    expect(ids(paged)).toEqual([second.id]);
    expect(ids(await get(`/v1/b/acme/messages?limit=1&cursor=${paged.nextCursor}`))).toEqual([first.id]);

    h.clock.advance(MINUTE);
    await expectJson(h.admin('POST', `/v1/admin/messages/${first.id}/replies`, { body: 'We can come Tuesday.' }), 201);
    h.clock.advance(MINUTE);
    await expectJson(h.admin('POST', `/v1/admin/messages/${first.id}/replies`, { body: 'Or Wednesday.' }), 201);
    const listed = await get('/v1/b/acme/messages');
    const thread = listed.data.find((m: any) => m.id === first.id);
    expect(thread.replies.map((r: any) => r.body)).toEqual(['We can come Tuesday.', 'Or Wednesday.']);
    expect(thread.replies[0]).toEqual({ id: expect.stringMatching(/^rpl_/), body: 'We can come Tuesday.', createdAt: '2026-01-15T12:03:00.000Z' });
    expect(listed.data.find((m: any) => m.id === second.id).replies).toEqual([]);
    expect((await get('/v1/b/acme/messages', eliSession)).data[0].replies).toEqual([]);
    expect(JSON.stringify(listed)).not.toContain('Eli');
  });
});

describe('sessions guard every signed-in route', () => {
  /** Every widget route that needs a session, from the app itself (a new one is covered automatically). */
  const publicRoutes = new Set(['GET /v1/b/:business', 'POST /v1/b/:business/login-links', 'POST /v1/b/:business/sessions']);
  const signedInRoutes = () => {
    const seen = new Map<string, { method: string; path: string }>();
    for (const { method, path } of h.app.routes) {
      if (method === 'ALL' || method === 'OPTIONS' || !path.startsWith('/v1/b/:business')) continue;
      if (!publicRoutes.has(`${method} ${path}`)) seen.set(`${method} ${path}`, { method, path });
    }
    return [...seen.values()];
  };

  it('answers 401 without a session, with a bad one, and with a session of another business', async () => {
    const routes = signedInRoutes();
    for (const known of ['GET /v1/b/:business/summary', 'GET /v1/b/:business/me', 'POST /v1/b/:business/estimates/:id/approve', 'POST /v1/b/:business/messages', 'DELETE /v1/b/:business/session']) {
      expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(known);
    }
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { messagingEnabled: true }, h.keyB), 200);
    const e = await estimate({ customerId: zoe }, h.keyB);
    // Zoe has the same email at acme too: still a different customer with a different session.
    await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Zoe at Acme', email: 'zoe@example.net' }), 201);
    const zoeAtAcme = await signIn(h, 'acme', 'zoe@example.net');

    for (const { method, path } of routes) {
      for (const business of ['acme', 'bravo']) {
        const url = path.replace(':business', business).replace(':id', e.id);
        const body = method === 'GET' || method === 'DELETE' ? undefined : { kind: 'other', body: 'hi' };
        const sessions: (SignedInCustomer | null)[] = [null, { ...dana, token: 'x'.repeat(43) }];
        if (business === 'bravo') sessions.push(dana, zoeAtAcme);
        for (const who of sessions) {
          const res = await api(method, url, who, method === 'POST' && path.endsWith('/messages') ? body : method === 'POST' ? {} : undefined);
          expect(res.status, `${method} ${url} as ${who ? who.customer.name : 'nobody'}`).toBe(401);
          expect((await res.json()).error.code).toBe('unauthorized');
        }
      }
    }
    // Nothing happened at bravo, and the acme sessions still work at acme.
    expect((await expectJson(h.admin('GET', `/v1/admin/estimates/${e.id}`, undefined, h.keyB), 200)).status).toBe('open');
    expect((await expectJson(h.admin('GET', '/v1/admin/messages', undefined, h.keyB), 200)).data).toEqual([]);
    expect((await get('/v1/b/acme/me')).id).toBe(dana.customer.id);
    expect((await get('/v1/b/acme/me', zoeAtAcme)).name).toBe('Zoe at Acme');
  });
});
