import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, sampleCustomer, type Harness } from '../../../test/harness';

let h: Harness;
let customerId: string;
beforeEach(async () => {
  h = await createHarness();
  customerId = (await expectJson(h.admin('POST', '/v1/admin/customers', sampleCustomer), 201)).id;
});
afterEach(() => h.close());

describe('appointments', () => {
  it('round-trips a job with its arrival window, technicians and the customer’s address by default', async () => {
    const created = await expectJson(
      h.admin('POST', '/v1/admin/appointments', {
        customerId,
        startsAt: '2026-02-01T08:00:00-05:00',
        endsAt: '2026-02-01T12:00:00-05:00',
        arrivalWindowMinutes: 120,
        description: 'Annual furnace tune-up',
        technicians: ['Sam', 'Alex'],
      }),
      201,
    );
    expect(created).toMatchObject({
      customerId,
      startsAt: '2026-02-01T13:00:00.000Z',
      endsAt: '2026-02-01T17:00:00.000Z',
      arrivalWindow: { start: '2026-02-01T13:00:00.000Z', end: '2026-02-01T15:00:00.000Z' },
      description: 'Annual furnace tune-up',
      address: '12 Elm St, Springfield, IL 62701',
      technicians: ['Sam', 'Alex'],
      status: 'scheduled',
    });
    expect(await expectJson(h.admin('GET', `/v1/admin/appointments/${created.id}`), 200)).toEqual(created);

    const done = await expectJson(h.admin('PATCH', `/v1/admin/appointments/${created.id}`, { status: 'completed', address: '9 Oak Ave' }), 200);
    expect(done).toMatchObject({ status: 'completed', address: '9 Oak Ave', description: 'Annual furnace tune-up' });

    expect((await h.admin('DELETE', `/v1/admin/appointments/${created.id}`)).status).toBe(204);
    expect((await h.admin('GET', `/v1/admin/appointments/${created.id}`)).status).toBe(404);
  });

  it('lists newest first, filtered by customer, paginated', async () => {
    const other = (await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Other' }), 201)).id;
    for (let day = 1; day <= 5; day++) {
      await expectJson(h.admin('POST', '/v1/admin/appointments', { customerId, startsAt: `2026-03-0${day}T09:00:00Z`, description: `Visit ${day}` }), 201);
    }
    await expectJson(h.admin('POST', '/v1/admin/appointments', { customerId: other, startsAt: '2026-03-09T09:00:00Z', description: 'Other visit' }), 201);

    const first = await expectJson(h.admin('GET', `/v1/admin/appointments?customerId=${customerId}&limit=2`), 200);
    expect(first.data.map((a: { description: string }) => a.description)).toEqual(['Visit 5', 'Visit 4']);
    const second = await expectJson(h.admin('GET', `/v1/admin/appointments?customerId=${customerId}&limit=2&cursor=${first.nextCursor}`), 200);
    expect(second.data.map((a: { description: string }) => a.description)).toEqual(['Visit 3', 'Visit 2']);
    const third = await expectJson(h.admin('GET', `/v1/admin/appointments?customerId=${customerId}&limit=2&cursor=${second.nextCursor}`), 200);
    expect(third.data.map((a: { description: string }) => a.description)).toEqual(['Visit 1']);
    expect(third.nextCursor).toBeNull();
    expect((await expectJson(h.admin('GET', '/v1/admin/appointments'), 200)).data).toHaveLength(6);
  });

  it('upserts by external id', async () => {
    const body = { customerId, startsAt: '2026-02-01T09:00:00Z', description: 'Drain', externalId: 'job-7' };
    const a = await expectJson(h.admin('POST', '/v1/admin/appointments', body), 201);
    const b = await expectJson(h.admin('POST', '/v1/admin/appointments', { ...body, description: 'Drain cleaning' }), 200);
    expect(b.id).toBe(a.id);
    expect(b.description).toBe('Drain cleaning');
  });

  it('rejects bad input and stores nothing', async () => {
    const bad = [
      { customerId, description: 'No start' },
      { customerId, startsAt: 'tomorrow', description: 'x' },
      { customerId, startsAt: '2026-02-01T09:00:00Z', endsAt: '2026-02-01T08:00:00Z', description: 'ends before start' },
      { customerId, startsAt: '2026-02-01T09:00:00Z', description: 'x', status: 'done' },
      { customerId, startsAt: '2026-02-01T09:00:00Z', description: 'x', technicians: 'Sam' },
    ];
    for (const body of bad) expect((await expectJson(h.admin('POST', '/v1/admin/appointments', body), 400)).error.code).toBe('invalid_body');
    const missing = await expectJson(h.admin('POST', '/v1/admin/appointments', { customerId: 'cus_nope', startsAt: '2026-02-01T09:00:00Z', description: 'x' }), 404);
    expect(missing.error.code).toBe('not_found');
    expect(await h.query('select id from appointments')).toHaveLength(0);
  });
});
