// SECURITY T1 and T3 for the admin API. Business A ('acme', keyA) points every admin route that
// takes an id at business B's ('bravo', keyB) objects: each answer must be the 404 a missing id
// gets, byte for byte, and B's data must not move. The routes come from the app itself, so a new
// route with an id fails here, naming itself, until `seeders` can create an object of its resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/lib/crypto';
import { createApiKey } from '../src/services/businesses';
import { createHarness, expectJson, sampleLineItems } from './harness';
import { signInStaff, type SignedInStaff } from './staff';

const h = await createHarness();
afterAll(() => h.close());

interface Route {
  method: string;
  path: string;
}

/** Every admin route of the app, one per method + path (validators repeat a route), no middleware. */
function adminRoutes(): Route[] {
  const seen = new Map<string, Route>();
  for (const { method, path } of h.app.routes) {
    if (method === 'ALL' || !path.startsWith('/v1/admin/')) continue;
    seen.set(`${method} ${path}`, { method, path });
  }
  return [...seen.values()];
}

const routeName = (r: Route) => `${r.method} ${r.path}`;
const paramsOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
/** `customers` for `/v1/admin/customers/:id/...`. */
const resourceOf = (path: string) => path.slice('/v1/admin/'.length).split('/')[0]!;

const allRoutes = adminRoutes();
const idRoutes = allRoutes.filter((r) => paramsOf(r.path).length > 0);
const listRoutes = allRoutes.filter((r) => r.method === 'GET' && paramsOf(r.path).length === 0);

type Ids = Record<string, Record<string, string>>;

let seq = 0;
const businessOf = (key: string) => (key === h.keyB ? 'bravo' : 'acme');

async function createCustomer(key: string, tag: string) {
  const n = ++seq;
  const email = `${tag}-${n}@${tag}-customers.test`;
  const customer = await expectJson(
    h.admin('POST', '/v1/admin/customers', {
      name: `${tag} customer ${n}`,
      email,
      phone: '+1 555 0199',
      addresses: [{ line1: `${n} ${tag} Road`, city: 'Springfield', postalCode: '62701' }],
      externalId: `crm-${n}`,
    }, key),
    201,
  );
  return { id: customer.id as string, email, name: customer.name as string };
}

/**
 * How to create one object of each resource with `key` (for a given customer of that business),
 * returning its route params. Everything goes through the admin API except messages, which only
 * customers write (through the portal), so they are stored directly.
 */
const seeders: Record<string, (key: string, customerId: string, tag: string) => Promise<Record<string, string>>> = {
  customers: async (_key, customerId) => ({ id: customerId }),
  appointments: async (key, customerId, tag) => {
    const body = { customerId, startsAt: '2026-03-01T09:00:00-05:00', arrivalWindowMinutes: 120, description: `${tag} furnace tune-up`, technicians: ['Sam'], externalId: `job-${++seq}` };
    return { id: (await expectJson(h.admin('POST', '/v1/admin/appointments', body, key), 201)).id };
  },
  invoices: async (key, customerId) => {
    const n = ++seq;
    const body = { customerId, number: `INV-${n}`, currency: 'usd', lineItems: sampleLineItems, dueDate: '2026-03-31', externalId: `inv-${n}` };
    return { id: (await expectJson(h.admin('POST', '/v1/admin/invoices', body, key), 201)).id };
  },
  estimates: async (key, customerId) => {
    const n = ++seq;
    const body = {
      customerId,
      number: `EST-${n}`,
      currency: 'usd',
      options: [{ name: 'Good', lineItems: sampleLineItems }, { name: 'Better', lineItems: sampleLineItems, taxAmount: 500 }],
      externalId: `est-${n}`,
    };
    return { id: (await expectJson(h.admin('POST', '/v1/admin/estimates', body, key), 201)).id };
  },
  webhooks: async (key, _customerId, tag) => {
    const body = { url: `https://hooks.${tag}-business.test/doorstep/${++seq}`, description: `${tag} CRM sync` };
    return { id: (await expectJson(h.admin('POST', '/v1/admin/webhooks', body, key), 201)).id };
  },
  messages: async (key, customerId, tag) => {
    const id = newId('msg');
    const message = { id, customerId, kind: 'other' as const, body: `${tag} private message ${++seq}`, appointmentId: null, preferredTimes: [] };
    await h.store.createMessage(businessOf(key), message, {}, h.clock.now());
    return { id };
  },
  'api-keys': async (key, _customerId, tag) => ({ prefix: (await createApiKey(h.deps, businessOf(key), `${tag} integration`)).prefix }),
  // Staff are added by owners in the console (or the operator's command line), never with a key.
  staff: async (key, _customerId, tag) => ({ id: (await h.store.addStaff(businessOf(key), `office-${++seq}@${tag}-staff.test`, 'staff', h.clock.now())).id }),
  // A background bulk invitation job (no worker runs here, so it stays queued and sends nothing).
  invitations: async (key, customerId) => {
    const job = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: [customerId], background: true }, key), 202);
    return { jobId: job.jobId };
  },
};

/** One object of every resource, created with `key`. */
async function seed(key: string, tag: string) {
  const customer = await createCustomer(key, tag);
  const ids: Ids = {};
  for (const [resource, create] of Object.entries(seeders)) ids[resource] = await create(key, customer.id, tag);
  return { ids, email: customer.email, customerName: customer.name };
}

/** A fresh object of one resource of business A, for the positive controls. */
async function seedOne(resource: string): Promise<Ids> {
  const create = seeders[resource];
  if (!create) throw new Error(`no seeder for "${resource}"`);
  return { [resource]: await create(h.keyA, (await createCustomer(h.keyA, 'acme')).id, 'acme') };
}

/** A valid body for each route that takes one, so validation passes and the id is what decides. */
const writeBodies: Record<string, unknown> = {
  customers: { name: 'Renamed by A', email: 'taken-over@acme.test' },
  appointments: { description: 'Rescheduled by A', status: 'canceled' },
  // Numbers are unique per business: each positive control (one per credential) takes a new one.
  get invoices() {
    return { number: `A-TAKEOVER-${++seq}`, status: 'void' };
  },
  get estimates() {
    return { number: `A-TAKEOVER-${++seq}`, status: 'declined' };
  },
  staff: { role: 'owner' },
};
/**
 * Who acts for the business (its API keys and staff) is managed by an owner signed in to the
 * console only: an API key gets 403 on these, whatever the id.
 */
const CONSOLE_OWNER_ONLY = new Set([
  'POST /v1/admin/api-keys',
  'DELETE /v1/admin/api-keys/:prefix',
  'POST /v1/admin/staff',
  'PATCH /v1/admin/staff/:id',
  'DELETE /v1/admin/staff/:id',
]);

/** Bodies of the sub-resource and action routes that need one. */
const routeBodies: Record<string, unknown> = {
  'POST /v1/admin/messages/:id/replies': { body: 'A reply from business A' },
  'POST /v1/admin/staff': { email: 'new-hand@acme-staff.test', role: 'owner' },
};

function bodyFor(route: Route): unknown {
  if (route.method === 'GET' || route.method === 'DELETE' || route.method === 'HEAD') return undefined;
  if (routeName(route) in routeBodies) return routeBodies[routeName(route)];
  // Actions and sub-resources (`/:id/send`, `/:id/cancel`, `/:id/invitations`) read no body or only optional fields.
  const last = route.path.split('/').at(-1)!;
  if (!last.startsWith(':')) return {};
  return writeBodies[resourceOf(route.path)] ?? {};
}

/** The route's path with ids from `ids`; throws, naming the route, when the resource or a param is unknown. */
function pathWith(route: Route, ids: Ids, missing = false): string {
  const resource = resourceOf(route.path);
  const group = ids[resource];
  if (!group) {
    throw new Error(`${routeName(route)}: the tenant-isolation matrix has no object of business B for "${resource}"; seed one and add it to bIds`);
  }
  return route.path.replace(/:(\w+)/g, (_, param: string) => {
    const id = group[param];
    if (!id) throw new Error(`${routeName(route)}: the tenant-isolation matrix has no id of business B for :${param} of "${resource}"`);
    return missing ? `${id.split('_')[0]}_doesnotexist` : encodeURIComponent(id);
  });
}

/** Business A's credential: an API key, or a signed-in staff member (cookie, console Origin on writes). */
type Credential = string | SignedInStaff;

async function call(route: Route, path: string, key: Credential) {
  const res = typeof key === 'string' ? await h.admin(route.method, path, bodyFor(route), key) : await key.request(route.method, path, bodyFor(route));
  return { status: res.status, body: await res.text(), type: res.headers.get('Content-Type') };
}

let b: Awaited<ReturnType<typeof seed>>;
let bIds: Ids;
let forbidden: string[];
/** A staff member of business A signed in to the console. */
let staffA: SignedInStaff;

/** Everything business B can see of itself, and the email it has queued. */
async function snapshotB() {
  const out: Record<string, unknown> = {};
  for (const route of idRoutes.filter((r) => r.method === 'GET')) {
    let path: string;
    try {
      path = pathWith(route, bIds);
    } catch {
      continue; // a route without B ids fails its own matrix test
    }
    const res = await h.admin('GET', path, undefined, h.keyB);
    out[path] = { status: res.status, body: await res.text() };
  }
  for (const route of listRoutes) {
    out[route.path] = await (await h.admin('GET', `${route.path}?limit=100`, undefined, h.keyB)).text();
  }
  out.outbox = await h.store.listOutbox('bravo');
  return out;
}

async function countsOfA() {
  const counts: Record<string, number> = {};
  for (const resource of ['customers', 'appointments', 'invoices', 'estimates']) {
    counts[resource] = (await expectJson(h.admin('GET', `/v1/admin/${resource}?limit=100`), 200)).data.length;
  }
  return counts;
}

beforeAll(async () => {
  b = await seed(h.keyB, 'bravo');
  bIds = b.ids;
  // B's customer has a second address too, so an email search would find it by either.
  await expectJson(h.admin('PATCH', `/v1/admin/customers/${bIds.customers!.id}`, { emails: [{ address: b.email }, { address: 'zed.second@bravo-customers.test' }] }, h.keyB), 200);
  // A has data of its own, so its lists are not trivially free of B's.
  await seed(h.keyA, 'acme');
  staffA = await signInStaff(h, 'acme', 'owner@acme.test');
  forbidden = [
    ...Object.values(bIds).flatMap((g) => Object.values(g)),
    b.email,
    'zed.second@bravo-customers.test',
    'owner@bravo.test',
    b.customerName,
    'bravo private message',
    'hooks.bravo-business.test',
    'bravo-staff.test',
  ];
});

describe.each(['API key', 'staff cookie'] as const)('T1: the admin route matrix (business A\'s %s, business B\'s ids)', (credential) => {
  const asA = (): Credential => (credential === 'API key' ? h.keyA : staffA);

  it('enumerates the admin routes that take an id', () => {
    const names = idRoutes.map(routeName);
    for (const known of [
      'GET /v1/admin/customers/:id',
      'PATCH /v1/admin/customers/:id',
      'DELETE /v1/admin/customers/:id',
      'GET /v1/admin/appointments/:id',
      'PATCH /v1/admin/appointments/:id',
      'DELETE /v1/admin/appointments/:id',
      'GET /v1/admin/invoices/:id',
      'PATCH /v1/admin/invoices/:id',
      'POST /v1/admin/invoices/:id/send',
      'GET /v1/admin/estimates/:id',
      'PATCH /v1/admin/estimates/:id',
      'POST /v1/admin/estimates/:id/cancel',
    ]) {
      expect(names).toContain(known);
    }
  });

  it.each(idRoutes.map((r) => [routeName(r), r] as const))('%s → 404 exactly like a missing id, B unchanged', async (_name, route) => {
    const before = await snapshotB();
    const missing = await call(route, pathWith(route, bIds, true), asA());
    const foreign = await call(route, pathWith(route, bIds), asA());

    if (credential === 'API key' && CONSOLE_OWNER_ONLY.has(routeName(route))) {
      expect(missing.status, `${routeName(route)} with a missing id: ${missing.body}`).toBe(403);
      expect(JSON.parse(missing.body)).toEqual({ error: { code: 'api_key_not_allowed', message: expect.any(String) } });
      expect(foreign.body).toBe(missing.body);
      expect(await snapshotB()).toEqual(before);
      return;
    }
    expect(missing.status, `${routeName(route)} with a missing id: ${missing.body}`).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(foreign.status, `${routeName(route)} with business B's id: ${foreign.body}`).toBe(404);
    expect(foreign.body).toBe(missing.body);
    expect(foreign.type).toBe(missing.type);
    expect(await snapshotB()).toEqual(before);

    // Positive control: the same call on A's own object is not a 404, so the 404 above came from
    // the business scoping and not from a body the route rejects or a path that matches nothing.
    const own = await seedOne(resourceOf(route.path));
    const control = await call(route, pathWith(route, own), asA());
    expect(control.status, `${routeName(route)} on A's own object: ${control.body}`).toBeLessThan(300);
  });

  it('fails, naming the route, when a route\'s resource has no B object in the matrix', () => {
    expect(() => pathWith({ method: 'GET', path: '/v1/admin/widgets/:id' }, bIds)).toThrow('GET /v1/admin/widgets/:id');
    expect(() => pathWith({ method: 'GET', path: '/v1/admin/customers/:id/notes/:noteId' }, bIds)).toThrow(':noteId');
  });
});

describe('T1: lists', () => {
  it('every list route of A holds none of B\'s ids, emails or names', async () => {
    expect(listRoutes.map(routeName)).toEqual(
      expect.arrayContaining(['GET /v1/admin/customers', 'GET /v1/admin/appointments', 'GET /v1/admin/invoices', 'GET /v1/admin/estimates']),
    );
    for (const route of listRoutes) {
      const res = await h.admin('GET', `${route.path}?limit=100`);
      const text = await res.text();
      expect(res.status, `${routeName(route)}: ${text}`).toBe(200);
      for (const value of forbidden) expect(text, `${routeName(route)} leaks ${value}`).not.toContain(value);
    }
    // ...and the lists are not trivially empty: A sees its own objects.
    for (const resource of Object.keys(seeders).filter((r) => listRoutes.some((l) => l.path === `/v1/admin/${r}`))) {
      expect((await expectJson(h.admin('GET', `/v1/admin/${resource}`), 200)).data.length, resource).toBeGreaterThan(0);
    }
  });

  it.each(['appointments', 'invoices', 'estimates', 'messages'])('GET /v1/admin/%s?customerId=<B\'s customer> with A\'s key is empty', async (resource) => {
    const page = await expectJson(h.admin('GET', `/v1/admin/${resource}?customerId=${encodeURIComponent(bIds.customers!.id!)}`), 200);
    expect(page).toEqual({ data: [], nextCursor: null });
    // B itself does see its object through the same filter.
    const own = await expectJson(h.admin('GET', `/v1/admin/${resource}?customerId=${encodeURIComponent(bIds.customers!.id!)}`, undefined, h.keyB), 200);
    expect(own.data.map((x: { id: string }) => x.id)).toContain(bIds[resource]!.id);
  });

  it('searching A\'s customers for B\'s email or name finds nothing', async () => {
    for (const q of [b.email, 'zed.second@bravo-customers.test', b.customerName, 'bravo']) {
      const page = await expectJson(h.admin('GET', `/v1/admin/customers?q=${encodeURIComponent(q)}`), 200);
      expect(page.data, q).toEqual([]);
    }
  });
});

describe('T1: references to B\'s customer', () => {
  const creates: Record<string, (customerId: string) => unknown> = {
    appointments: (customerId) => ({ customerId, startsAt: '2026-04-01T08:00:00Z', description: 'Drain cleaning' }),
    invoices: (customerId) => ({ customerId, number: `X-${++seq}`, currency: 'usd', lineItems: sampleLineItems }),
    estimates: (customerId) => ({ customerId, number: `X-${++seq}`, currency: 'usd', options: [{ name: 'Only', lineItems: sampleLineItems }] }),
  };

  it.each(Object.keys(creates))('POST /v1/admin/%s with B\'s customerId → 404 like a missing customer, nothing created', async (resource) => {
    const make = creates[resource]!;
    const beforeA = await countsOfA();
    const beforeB = await snapshotB();
    const missing = await h.admin('POST', `/v1/admin/${resource}`, make('cus_doesnotexist'));
    const foreign = await h.admin('POST', `/v1/admin/${resource}`, make(bIds.customers!.id!));
    const missingBody = await missing.text();
    const foreignBody = await foreign.text();
    expect(missing.status, missingBody).toBe(404);
    expect(foreign.status, foreignBody).toBe(404);
    expect(foreignBody).toBe(missingBody);
    expect(JSON.parse(foreignBody)).toEqual({ error: { code: 'not_found', message: 'Customer not found.' } });
    expect(await countsOfA()).toEqual(beforeA);
    expect(await snapshotB()).toEqual(beforeB);

    // Positive control: the same body with A's own customer is created.
    const own = (await expectJson(h.admin('GET', '/v1/admin/customers?limit=1'), 200)).data[0].id as string;
    await expectJson(h.admin('POST', `/v1/admin/${resource}`, make(own)), 201);
  });

  it.each([false, true])('bulk invitations of B\'s customer (dryRun %s) answer exactly as for a missing id, nothing sent', async (dryRun) => {
    const before = await snapshotB();
    const bulk = async (id: string) => {
      const res = await h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: [id], dryRun });
      return { status: res.status, body: (await res.text()).split(JSON.stringify(id)).join('"<id>"') };
    };
    const missing = await bulk('cus_doesnotexist');
    const foreign = await bulk(bIds.customers!.id!);
    expect(foreign).toEqual(missing);
    expect(JSON.parse(foreign.body)).toMatchObject({ invited: [], skippedNoEmail: [], skippedDisabled: [], notFound: ['<id>'] });
    expect(await snapshotB()).toEqual(before);
  });

  it('A reusing B\'s external ids and numbers creates A\'s own objects and leaves B\'s alone', async () => {
    const before = await snapshotB();
    const bCustomer = await expectJson(h.admin('GET', `/v1/admin/customers/${bIds.customers!.id}`, undefined, h.keyB), 200);
    const bInvoice = await expectJson(h.admin('GET', `/v1/admin/invoices/${bIds.invoices!.id}`, undefined, h.keyB), 200);
    const bEstimate = await expectJson(h.admin('GET', `/v1/admin/estimates/${bIds.estimates!.id}`, undefined, h.keyB), 200);
    const bAppointment = await expectJson(h.admin('GET', `/v1/admin/appointments/${bIds.appointments!.id}`, undefined, h.keyB), 200);

    const customer = await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'A twin', externalId: bCustomer.externalId }), 201);
    expect(customer.id).not.toBe(bIds.customers!.id);
    const appointment = await expectJson(
      h.admin('POST', '/v1/admin/appointments', { customerId: customer.id, startsAt: '2026-05-01T10:00:00Z', description: 'Twin', externalId: bAppointment.externalId }),
      201,
    );
    expect(appointment.id).not.toBe(bIds.appointments!.id);
    const invoice = await expectJson(
      h.admin('POST', '/v1/admin/invoices', { customerId: customer.id, number: bInvoice.number, currency: 'usd', lineItems: sampleLineItems, externalId: bInvoice.externalId }),
      201,
    );
    expect(invoice.id).not.toBe(bIds.invoices!.id);
    const estimate = await expectJson(
      h.admin('POST', '/v1/admin/estimates', {
        customerId: customer.id,
        number: bEstimate.number,
        currency: 'usd',
        options: [{ name: 'Twin', lineItems: sampleLineItems }],
        externalId: bEstimate.externalId,
      }),
      201,
    );
    expect(estimate.id).not.toBe(bIds.estimates!.id);
    expect(await snapshotB()).toEqual(before);
  });
});

describe('T3: admin API keys', () => {
  const errorShape = { error: { code: 'unauthorized', message: expect.any(String) } };

  async function unauthorizedBody(headers: Record<string, string>, route: Route = { method: 'POST', path: '/v1/admin/customers' }) {
    const body = bodyFor(route);
    const res = await h.app.request(route.path, {
      method: route.method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, `${routeName(route)} ${JSON.stringify(headers)}: ${text}`).toBe(401);
    expect(JSON.parse(text)).toEqual(errorShape);
    return text;
  }

  it('a missing, malformed or unknown key → 401 with the one error shape, the same for all', async () => {
    const unknownKey = `dsk_000000000000_${'A'.repeat(43)}`;
    const cases: Record<string, string>[] = [
      {},
      { Authorization: '' },
      { Authorization: 'Bearer' },
      { Authorization: 'Bearer ' },
      { Authorization: `Basic ${Buffer.from(`x:${h.keyA}`).toString('base64')}` },
      { Authorization: h.keyA },
      { Authorization: `Bearer ${h.keyA} ${h.keyA}` },
      { Authorization: `Bearer ${h.keyA}x` },
      { Authorization: `Bearer ${h.keyA.slice(0, -1)}` },
      { Authorization: `Bearer ${h.keyA.split('_').slice(0, 2).join('_')}` },
      { Authorization: `Bearer ${unknownKey}` },
      { 'X-Api-Key': h.keyA },
    ];
    const bodies = new Set<string>();
    for (const headers of cases) bodies.add(await unauthorizedBody(headers));
    expect(bodies.size).toBe(1);
  });

  it.each(allRoutes.map((r) => [routeName(r), r] as const))('%s without a key → 401', async (_name, route) => {
    const res = await h.app.request(route.path.replace(/:(\w+)/g, 'x_doesnotexist'), {
      method: route.method,
      ...(bodyFor(route) === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(bodyFor(route)) }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(errorShape);
  });

  it.each([...CONSOLE_OWNER_ONLY])('%s with a valid key → 403 api_key_not_allowed, nothing changed', async (name) => {
    const route = allRoutes.find((r) => routeName(r) === name)!;
    expect(route, `${name} is a route of the app`).toBeDefined();
    const own = await seedOne(resourceOf(route.path));
    const before = { keys: await h.query('select id, revoked_at from api_keys order by id'), staff: await h.query('select id, role from staff order by id') };
    const res = await call(route, pathWith(route, own), h.keyA);
    expect(res.status, res.body).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'api_key_not_allowed', message: expect.any(String) } });
    expect({ keys: await h.query('select id, revoked_at from api_keys order by id'), staff: await h.query('select id, role from staff order by id') }).toEqual(before);
  });

  it('a revoked key → 401 on the very next call; other keys keep working', async () => {
    const extra = await createApiKey(h.deps, 'acme', 'revoke me');
    await expectJson(h.admin('GET', '/v1/admin/customers', undefined, extra.key), 200);
    const prefix = extra.key.split('_').slice(0, 2).join('_');
    expect(prefix).toBe(extra.prefix);
    expect(await h.store.revokeApiKey(prefix, h.clock.now())).toBeTruthy();

    const res = await h.admin('GET', '/v1/admin/customers', undefined, extra.key);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(errorShape);
    // ...on a write too, and nothing is written.
    const before = await countsOfA();
    const write = await h.admin('POST', '/v1/admin/customers', { name: 'Written with a revoked key' }, extra.key);
    expect(write.status).toBe(401);
    expect(await countsOfA()).toEqual(before);
    // Revoking one key leaves the business's other key alone.
    await expectJson(h.admin('GET', '/v1/admin/customers', undefined, h.keyA), 200);
  });
});

describe('T1: the staff cookie', () => {
  it('writes with a staff cookie and no Origin, or a foreign one, → 403 and nothing written', async () => {
    const before = await countsOfA();
    for (const origin of [null, 'https://evil.test', 'https://acme.test', 'null', 'http://portal.test']) {
      const res = await staffA.request('POST', '/v1/admin/customers', { name: 'Forged by another site' }, origin);
      expect(res.status, String(origin)).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'origin_not_allowed', message: expect.any(String) } });
    }
    const del = await staffA.request('DELETE', `/v1/admin/customers/${bIds.customers!.id}`, undefined, 'https://evil.test');
    expect(del.status).toBe(403);
    expect(await countsOfA()).toEqual(before);
    // Reads need no Origin, and the console's own Origin may write.
    await expectJson(staffA.request('GET', '/v1/admin/customers'), 200);
    await expectJson(staffA.request('POST', '/v1/admin/customers', { name: 'Written in the console' }), 201);
  });

  it('business A\'s staff lists hold none of B\'s ids, emails or names', async () => {
    for (const route of listRoutes) {
      const text = await (await staffA.request('GET', `${route.path}?limit=100`)).text();
      for (const value of forbidden) expect(text, `${routeName(route)} leaks ${value}`).not.toContain(value);
    }
  });
});
