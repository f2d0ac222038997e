// SECURITY T1 for the widget API: every `/v1/b/:business/…` route with an object id, enumerated from
// the app itself, called by a signed-in customer with another customer's object (same business) and
// with another business's object, answers 404 exactly like a missing id and changes nothing. A new
// route whose resource this file cannot seed fails the test by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, expectJson, sampleLineItems, type Harness } from './harness';
import { signIn, type SignedInCustomer } from './sign-in';

let h: Harness;
let me: SignedInCustomer;
/** Objects of another customer of the same business, and of a customer of another business. */
const neighbour: Record<string, string> = {};
const foreign: Record<string, string> = {};
const missing: Record<string, string> = {
  invoices: 'inv_doesnotexist',
  estimates: 'est_doesnotexist',
  'payment-methods': 'pm_doesnotexist',
  messages: 'msg_doesnotexist',
  appointments: 'apt_doesnotexist',
};

async function seed(key: string, businessKeyed: Record<string, string>, email: string) {
  const customer = await expectJson(h.admin('POST', '/v1/admin/customers', { name: `Owner of ${email}`, email }, key), 201);
  const invoice = await expectJson(h.admin('POST', '/v1/admin/invoices', { customerId: customer.id, number: `N-${email}`, currency: 'usd', lineItems: sampleLineItems, status: 'open' }, key), 201);
  const estimate = await expectJson(
    h.admin('POST', '/v1/admin/estimates', { customerId: customer.id, number: `E-${email}`, currency: 'usd', options: [{ name: 'Only', lineItems: sampleLineItems }] }, key),
    201,
  );
  const appointment = await expectJson(h.admin('POST', '/v1/admin/appointments', { customerId: customer.id, startsAt: '2026-03-01T09:00:00Z', description: 'Visit' }, key), 201);
  Object.assign(businessKeyed, { invoices: invoice.id, estimates: estimate.id, appointments: appointment.id, 'payment-methods': 'pm_of_someone_else', messages: 'msg_of_someone_else' });
}

beforeAll(async () => {
  h = await createHarness();
  await expectJson(h.admin('PATCH', '/v1/admin/settings', { messagingEnabled: true }), 200);
  await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Me', email: 'me@example.com' }), 201);
  await seed(h.keyA, neighbour, 'neighbour@example.com');
  await seed(h.keyB, foreign, 'me@example.com'); // the same email at another business is another customer
  me = await signIn(h, 'acme', 'me@example.com');
});
afterAll(() => h.close());

const routesWithIds = () => {
  const seen = new Set<string>();
  return (h?.app.routes ?? [])
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/b/:business/') && /:(?!business)\w+/.test(r.path))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
};

const call = (method: string, path: string) =>
  h.app.request(path.replace(':business', 'acme'), {
    method,
    headers: { ...me.headers, 'Content-Type': 'application/json' },
    body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
  });

async function snapshot() {
  return JSON.stringify({
    invoices: await h.query('select id, status, amount_paid from invoices order by id'),
    estimates: await h.query('select id, status from estimates order by id'),
    outbox: await h.query('select count(*) as n from email_outbox'),
  });
}

describe('T1 over the widget API', () => {
  it('has routes to check', () => {
    expect(routesWithIds().length).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for another customer’s and another business’s objects, like a missing one', async () => {
    for (const { method, path } of routesWithIds()) {
      const resource = /^\/v1\/b\/:business\/([\w-]+)\//.exec(path)?.[1] ?? '';
      expect(missing[resource], `no seed for ${method} ${path}: add its resource to this test`).toBeDefined();
      const param = /:(?!business)(\w+)/.exec(path)![0];
      const missingRes = await call(method, path.replace(param, missing[resource]!));
      const missingBody = await missingRes.text();
      expect(missingRes.status, `${method} ${path} with a missing id`).toBe(404);
      for (const [whose, ids] of [['another customer', neighbour], ['another business', foreign]] as const) {
        const before = await snapshot();
        const res = await call(method, path.replace(param, ids[resource]!));
        expect(res.status, `${method} ${path} with ${whose}'s ${resource}`).toBe(404);
        expect(await res.text(), `${method} ${path} with ${whose}'s ${resource}`).toBe(missingBody);
        expect(await snapshot(), `${method} ${path} changed something of ${whose}`).toBe(before);
      }
    }
  });

  it('lists none of another customer’s or business’s objects', async () => {
    const theirs = [...Object.values(neighbour), ...Object.values(foreign)];
    for (const path of ['/summary', '/appointments?when=upcoming', '/appointments?when=past', '/invoices', '/estimates', '/messages', '/me']) {
      const body = await (await call('GET', `/v1/b/:business${path}`)).text();
      for (const id of theirs) expect(body, `${path} leaks ${id}`).not.toContain(id);
      expect(body).not.toContain('neighbour@example.com');
    }
  });
});
