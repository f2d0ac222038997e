import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, sampleCustomer, sampleLineItems, type Harness } from '../../../test/harness';

let h: Harness;
let customerId: string;
beforeEach(async () => {
  h = await createHarness();
  customerId = (await expectJson(h.admin('POST', '/v1/admin/customers', sampleCustomer), 201)).id;
});
afterEach(() => h.close());

const estimate = (extra: object = {}) => ({
  customerId,
  number: 'EST-500',
  currency: 'usd',
  expiresAt: '2026-02-15T00:00:00Z',
  options: [
    { name: 'Repair', lineItems: [{ description: 'Replace valve', quantity: 1, unitAmount: 30000 }] },
    { name: 'Replace', description: 'New 50-gallon heater', lineItems: sampleLineItems, taxAmount: 500 },
  ],
  ...extra,
});

describe('estimates', () => {
  it('prices each option and round-trips', async () => {
    const created = await expectJson(h.admin('POST', '/v1/admin/estimates', estimate()), 201);
    expect(created.status).toBe('open');
    expect(created.expiresAt).toBe('2026-02-15T00:00:00.000Z');
    expect(created.options).toHaveLength(2);
    expect(created.options[0]).toMatchObject({ name: 'Repair', subtotal: 30000, taxAmount: 0, total: 30000 });
    expect(created.options[1]).toMatchObject({ name: 'Replace', description: 'New 50-gallon heater', subtotal: 148750, total: 149250 });
    expect(created.options[0].id).toMatch(/^opt_/);
    expect(await expectJson(h.admin('GET', `/v1/admin/estimates/${created.id}`), 200)).toEqual(created);
  });

  it('reads as expired once past its expiry', async () => {
    const created = await expectJson(h.admin('POST', '/v1/admin/estimates', estimate()), 201);
    h.clock.set('2026-02-15T00:00:01Z');
    expect((await expectJson(h.admin('GET', `/v1/admin/estimates/${created.id}`), 200)).status).toBe('expired');
  });

  it('cancels an undecided estimate, idempotently, but not a decided one', async () => {
    const open = await expectJson(h.admin('POST', '/v1/admin/estimates', estimate()), 201);
    expect((await expectJson(h.admin('POST', `/v1/admin/estimates/${open.id}/cancel`), 200)).status).toBe('canceled');
    expect((await expectJson(h.admin('POST', `/v1/admin/estimates/${open.id}/cancel`), 200)).status).toBe('canceled');
    expect((await expectJson(h.admin('PATCH', `/v1/admin/estimates/${open.id}`, { status: 'open' }), 409)).error.code).toBe('estimate_canceled');

    const approved = await expectJson(h.admin('POST', '/v1/admin/estimates', estimate({ number: 'EST-501', status: 'approved' })), 201);
    expect((await expectJson(h.admin('POST', `/v1/admin/estimates/${approved.id}/cancel`), 409)).error.code).toBe('estimate_decided');
    expect(await h.query('select status from estimates where id = ?', approved.id)).toEqual([{ status: 'approved' }]);
  });

  it('rejects bad input and stores nothing', async () => {
    const bad = [
      estimate({ options: [] }),
      estimate({ options: [{ name: 'No items', lineItems: [] }] }),
      estimate({ status: 'canceled' }),
      estimate({ currency: 'dollars' }),
      estimate({ expiresAt: 'soon' }),
    ];
    for (const body of bad) expect((await expectJson(h.admin('POST', '/v1/admin/estimates', body), 400)).error.code).toBe('invalid_body');
    expect(await h.query('select id from estimates')).toHaveLength(0);
  });
});
