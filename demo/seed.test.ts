import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHarness, type Harness } from '../server/test/harness';
import { signIn } from '../server/test/sign-in';
import { DEMO_BUSINESS, DEMO_CUSTOMER_EMAIL, seedDemo } from './seed';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

it('seeds a business with everything a customer can see, once', async () => {
  const seeded = await seedDemo(h.deps, { origin: 'http://127.0.0.1:8788' });
  expect(seeded?.business).toBe(DEMO_BUSINESS);
  expect(await seedDemo(h.deps, { origin: 'http://127.0.0.1:8788' })).toBeUndefined();

  const admin = (path: string) => h.admin('GET', path, undefined, seeded!.apiKey).then((r) => r.json() as Promise<any>);
  const customers = (await admin('/v1/admin/customers?limit=100')).data as { email: string | null; emails: unknown[] }[];
  expect(customers).toHaveLength(12);
  expect(customers.filter((c) => c.email === null).length).toBeGreaterThanOrEqual(2);
  expect(customers.some((c) => c.emails.length === 2)).toBe(true);
  const settings = await admin('/v1/admin/settings');
  expect(settings).toMatchObject({ messagingEnabled: true, paymentsEnabled: true, allowedOrigins: ['http://127.0.0.1:8788'], portalUrl: 'http://127.0.0.1:8788/portal.html' });

  const jordan = await signIn(h, DEMO_BUSINESS, DEMO_CUSTOMER_EMAIL);
  const portal = async (path: string) => (await h.app.request(`/v1/b/${DEMO_BUSINESS}${path}`, { headers: jordan.headers })).json() as Promise<any>;
  const summary = await portal('/summary');
  expect(summary.unpaidInvoices.count).toBe(1);
  expect(summary.openEstimates).toBe(1);
  expect(summary.nextAppointment).not.toBeNull();
  expect((await portal('/appointments?when=upcoming')).data.length).toBeGreaterThanOrEqual(2);
  expect((await portal('/appointments?when=past')).data.length).toBeGreaterThanOrEqual(2);
  const statuses = (await portal('/estimates')).data.map((e: { status: string }) => e.status).sort();
  expect(statuses).toEqual(['approved', 'declined', 'expired', 'open']);
  const invoices = (await portal('/invoices')).data.map((i: { status: string }) => i.status);
  expect(invoices).toEqual(['open', 'paid', 'paid']);
});
