import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, sampleCustomer, type Harness } from '../../../test/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const create = (body: unknown) => expectJson(h.admin('POST', '/v1/admin/customers', body), 201);

describe('customers', () => {
  it('round-trips a customer; a lone email becomes the primary', async () => {
    const created = await create(sampleCustomer);
    expect(created.id).toMatch(/^cus_/);
    expect(created).toMatchObject({
      name: 'Dana Rivera',
      email: 'dana@example.com',
      emails: [{ address: 'dana@example.com', primary: true }],
      phone: '+1 555 0100',
      addresses: sampleCustomer.addresses,
      disabled: false,
      externalId: null,
    });
    expect(await expectJson(h.admin('GET', `/v1/admin/customers/${created.id}`), 200)).toEqual(created);
  });

  it('keeps several emails with exactly one primary', async () => {
    const created = await create({ name: 'Two Mails', emails: [{ address: 'Home@Example.com' }, { address: 'work@example.com', primary: true }] });
    expect(created.emails).toEqual([
      { address: 'work@example.com', primary: true },
      { address: 'home@example.com', primary: false },
    ]);
    expect(created.email).toBe('work@example.com');

    const switched = await expectJson(h.admin('PATCH', `/v1/admin/customers/${created.id}`, { email: 'home@example.com' }), 200);
    expect(switched.emails).toEqual([
      { address: 'home@example.com', primary: true },
      { address: 'work@example.com', primary: false },
    ]);
    const twoPrimaries = await expectJson(
      h.admin('PATCH', `/v1/admin/customers/${created.id}`, { emails: [{ address: 'a@x.com', primary: true }, { address: 'b@x.com', primary: true }] }),
      400,
    );
    expect(twoPrimaries.error.message).toContain('primary');
    const duplicate = await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Dup', emails: [{ address: 'a@x.com' }, { address: 'A@x.com' }] }), 400);
    expect(duplicate.error.message).toContain('twice');
  });

  it('upserts by external id so a sync can run twice', async () => {
    const first = await expectJson(h.admin('POST', '/v1/admin/customers', { ...sampleCustomer, externalId: 'fsm-42' }), 201);
    const second = await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Dana R.', email: 'dana.r@example.com', externalId: 'fsm-42' }), 200);
    expect(second.id).toBe(first.id);
    expect(second.name).toBe('Dana R.');
    expect(second.email).toBe('dana.r@example.com');
    const list = await expectJson(h.admin('GET', '/v1/admin/customers'), 200);
    expect(list.data).toHaveLength(1);
  });

  it('searches by name, email, phone and external id, and paginates', async () => {
    for (let i = 0; i < 7; i++) await create({ name: `Customer ${String(i).padStart(2, '0')}`, email: `c${i}@example.com` });
    await create({ name: 'Zoë 100% Real_Name', email: 'zoe@special.example', phone: '555-7777', externalId: 'ext-z' });

    const byName = await expectJson(h.admin('GET', '/v1/admin/customers?q=customer%2003'), 200);
    expect(byName.data.map((c: { name: string }) => c.name)).toEqual(['Customer 03']);
    expect((await expectJson(h.admin('GET', '/v1/admin/customers?q=SPECIAL.example'), 200)).data).toHaveLength(1);
    expect((await expectJson(h.admin('GET', '/v1/admin/customers?q=7777'), 200)).data).toHaveLength(1);
    expect((await expectJson(h.admin('GET', '/v1/admin/customers?q=ext-z'), 200)).data).toHaveLength(1);
    // LIKE wildcards in the query are literal characters.
    expect((await expectJson(h.admin('GET', '/v1/admin/customers?q=100%25'), 200)).data).toHaveLength(1);
    expect((await expectJson(h.admin('GET', '/v1/admin/customers?q=_'), 200)).data).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { name: string }[]; nextCursor: string | null } = await expectJson(
        h.admin('GET', `/v1/admin/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

    const badCursor = await expectJson(h.admin('GET', '/v1/admin/customers?cursor=nonsense'), 400);
    expect(badCursor.error.code).toBe('invalid_cursor');
    expect((await expectJson(h.admin('GET', '/v1/admin/customers?limit=500'), 400)).error.code).toBe('invalid_request');
  });

  it('rejects bad input with the error shape and stores nothing', async () => {
    const bad = [
      {},
      { name: '' },
      { name: 'X', email: 'not-an-email' },
      { name: 'X', email: 'a@b.com', emails: [{ address: 'c@d.com' }] },
      { name: 'X', unknown: true },
      { name: 'X', addresses: [{ city: 'No line1' }] },
      { name: 'x'.repeat(201) },
    ];
    for (const body of bad) {
      const error = await expectJson(h.admin('POST', '/v1/admin/customers', body), 400);
      expect(Object.keys(error)).toEqual(['error']);
      expect(error.error.code).toBe('invalid_body');
      expect(typeof error.error.message).toBe('string');
    }
    expect(await h.query('select id from customers')).toHaveLength(0);
  });

  it('disabling a customer revokes their sessions and unused links', async () => {
    const customer = await create(sampleCustomer);
    const now = h.clock.now();
    await h.query('insert into sessions (id, business_id, customer_id, token_hash, created_at, last_seen_at, idle_expires_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)', 'ses_1', 'acme', customer.id, 'h1', now, now, now + 1e9, now + 1e9);
    await h.query('insert into link_tokens (id, business_id, customer_id, token_hash, kind, email, expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)', 'lnk_1', 'acme', customer.id, 'h2', 'login', 'dana@example.com', now + 1e9, now);

    const disabled = await expectJson(h.admin('PATCH', `/v1/admin/customers/${customer.id}`, { disabled: true }), 200);
    expect(disabled.disabled).toBe(true);
    expect(await h.query('select id from sessions')).toHaveLength(0);
    expect(await h.query('select used_at from link_tokens')).toEqual([{ used_at: now }]);
  });

  it('deletes a customer and everything of theirs', async () => {
    const customer = await create(sampleCustomer);
    await expectJson(h.admin('POST', '/v1/admin/appointments', { customerId: customer.id, startsAt: '2026-02-01T09:00:00Z', description: 'Leak' }), 201);
    expect((await h.admin('DELETE', `/v1/admin/customers/${customer.id}`)).status).toBe(204);
    expect((await expectJson(h.admin('GET', `/v1/admin/customers/${customer.id}`), 404)).error.code).toBe('not_found');
    expect(await h.query('select id from appointments')).toHaveLength(0);
    expect(await h.query('select address from customer_emails')).toHaveLength(0);
    expect((await h.admin('DELETE', `/v1/admin/customers/${customer.id}`)).status).toBe(404);
  });
});
