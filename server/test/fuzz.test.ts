// SECURITY D4: bad input never produces a 5xx. fast-check throws random, wrong, huge, deeply nested
// and prototype-polluting bodies at every admin write route (enumerated from the app, so a new
// route is fuzzed without touching this file) and checks the answer: 2xx or 4xx only, a 4xx is
// exactly `{ error: { code, message } }` with no stack trace, and Object.prototype is untouched.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../src/lib/crypto';
import { createApiKey } from '../src/services/businesses';
import { MAX_BODY_BYTES } from '../src/lib/http';
import {
  appointmentCreate,
  bulkInvitation,
  customerCreate,
  estimateCreate,
  invitationCreate,
  invoiceCreate,
  settingsPatch,
  webhookCreate,
} from '../src/schemas/admin';
import { replyBody } from '../src/schemas/portal';
import { WEBHOOK_EVENT_TYPES } from '../src/store/webhook-events';
import { createHarness, expectJson, sampleLineItems } from './harness';
import { CONSOLE_ORIGIN, signInStaff } from './staff';

const h = await createHarness();
afterAll(() => h.close());
/** Business A's owner in the console: who adds staff and mints or revokes keys (API keys may not). */
const owner = await signInStaff(h, 'acme', 'owner@acme.test');
const consoleOwnerOnly = (method: string, path: string) => method !== 'GET' && /^\/v1\/admin\/(api-keys|staff)(\/|$)/.test(path);

/** Runs per route; FUZZ_RUNS=2000 for a longer hunt. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 150);

// ---- Routes ----

interface Route {
  method: string;
  path: string;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Admin write routes of the app, one per method + path (validators repeat a route), no middleware. */
function writeRoutes(): Route[] {
  const seen = new Map<string, Route>();
  for (const { method, path } of h.app.routes) {
    if (!WRITE_METHODS.has(method) || !path.startsWith('/v1/admin/')) continue;
    seen.set(`${method} ${path}`, { method, path });
  }
  return [...seen.values()];
}

const routes = writeRoutes();
const routeName = (r: Route) => `${r.method} ${r.path}`;
const paramsOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
const resourceOf = (path: string) => path.slice('/v1/admin/'.length).split('/')[0]!;
/**
 * Write routes that read no body at all. Every other POST/PATCH/PUT must answer malformed JSON with
 * 400 invalid_json, so a new route lands here only on purpose.
 */
const BODYLESS = new Set(['POST /v1/admin/invoices/:id/send', 'POST /v1/admin/estimates/:id/cancel']);
const takesBody = (r: Route) => r.method !== 'DELETE' && !BODYLESS.has(routeName(r));

// ---- Live objects of business A, recreated whenever the fuzzing deletes or closes them ----

let seq = 0;
const live: Record<string, string | undefined> = {};

/** A customer of A who can be invited and sent invoices: not disabled, with an email. */
async function liveCustomer(): Promise<string> {
  const id = live.customers;
  const current = id ? await h.store.getCustomer('acme', id) : undefined;
  if (current && !current.disabled && current.emails.length > 0) return current.id;
  const n = ++seq;
  const customer = await expectJson(
    h.admin('POST', '/v1/admin/customers', { name: `Fuzz customer ${n}`, email: `fuzz-${n}@acme-customers.test`, addresses: [{ line1: `${n} Main St` }] }),
    201,
  );
  live.customers = customer.id;
  return customer.id;
}

async function liveId(resource: string): Promise<string> {
  if (resource === 'customers') return liveCustomer();
  const id = live[resource];
  const n = ++seq;
  switch (resource) {
    case 'appointments': {
      if (id && (await h.store.getAppointment('acme', id))) return id;
      const body = { customerId: await liveCustomer(), startsAt: '2026-03-01T09:00:00-05:00', description: `Fuzz job ${n}` };
      return (live[resource] = (await expectJson(h.admin('POST', '/v1/admin/appointments', body), 201)).id);
    }
    case 'invoices': {
      const invoice = id ? await h.store.getInvoice('acme', id) : undefined;
      if (invoice && (invoice.status === 'draft' || invoice.status === 'open')) {
        // Sending needs a customer with an email who is not disabled; the fuzzing may change that.
        const customer = await h.store.getCustomer('acme', invoice.customerId);
        if (customer && !customer.disabled && customer.emails.length > 0) return invoice.id;
      }
      const body = { customerId: await liveCustomer(), number: `FUZZ-INV-${n}`, currency: 'usd', lineItems: sampleLineItems };
      return (live[resource] = (await expectJson(h.admin('POST', '/v1/admin/invoices', body), 201)).id);
    }
    case 'estimates': {
      const estimate = id ? await h.store.getEstimate('acme', id) : undefined;
      if (estimate && estimate.status === 'open') return estimate.id;
      const body = { customerId: await liveCustomer(), number: `FUZZ-EST-${n}`, currency: 'usd', options: [{ name: 'Good', lineItems: sampleLineItems }] };
      return (live[resource] = (await expectJson(h.admin('POST', '/v1/admin/estimates', body), 201)).id);
    }
    case 'webhooks': {
      const endpoint = id ? await h.store.getWebhookEndpoint('acme', id) : undefined;
      if (endpoint && endpoint.disabledAt === null) return endpoint.id;
      const create = () => h.admin('POST', '/v1/admin/webhooks', { url: `https://hooks.example.com/doorstep/${n}` });
      let res = await create();
      if (res.status === 409) {
        // The fuzzing filled the business's endpoint allowance: start over.
        for (const old of (await expectJson(h.admin('GET', '/v1/admin/webhooks'), 200)).data) await h.admin('DELETE', `/v1/admin/webhooks/${old.id}`);
        res = await create();
      }
      return (live[resource] = (await expectJson(res, 201)).id);
    }
    case 'messages': {
      if (id && (await h.store.getMessage('acme', id))) return id;
      // Customers write messages through the portal; the admin API only reads and replies.
      const message = { id: newId('msg'), customerId: await liveCustomer(), kind: 'other' as const, body: `Fuzz message ${n}`, appointmentId: null, preferredTimes: [] };
      await h.store.createMessage('acme', message, {}, h.clock.now());
      return (live[resource] = message.id);
    }
    case 'staff': {
      // Never the owner making the requests: a staff member the fuzzing may promote or remove.
      if (id && (await h.store.listStaff('acme')).some((member) => member.id === id)) return id;
      return (live[resource] = (await h.store.addStaff('acme', `fuzz-staff-${n}@acme-staff.test`, 'staff', h.clock.now())).id);
    }
    case 'api-keys': {
      // A throwaway key (never the harness's own, which every request here uses).
      const key = id ? (await h.store.listApiKeys('acme')).find((k) => k.prefix === id && k.revokedAt === null) : undefined;
      if (key) return key.prefix;
      return (live[resource] = (await createApiKey(h.deps, 'acme', `Fuzz key ${n}`)).prefix);
    }
    default:
      throw new Error(`fuzz: no live object of business A for "${resource}" (route params need one; add it to liveId)`);
  }
}

/** Stands for the id of a live customer of A inside generated bodies. */
const CUSTOMER = '$LIVE_CUSTOMER$';

// ---- Arbitraries ----

const nonBlank = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);
const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
const isoTime = fc.tuple(date, fc.constantFrom('Z', '+05:30', '-08:00', '+00:00')).map(([d, zone]) => d.toISOString().replace('Z', zone));
const isoDate = date.map((d) => d.toISOString().slice(0, 10));
const email = fc.oneof({ weight: 3, arbitrary: fc.nat(50).map((n) => `person${n}@example.com`) }, { weight: 1, arbitrary: fc.emailAddress() });
const lineItem = fc.record({
  description: nonBlank(500),
  quantity: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 1e6, noNaN: true })),
  unitAmount: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: -1e10, max: 1e10 })),
});
const lineItems = fc.array(lineItem, { minLength: 1, maxLength: 4 });

/** Bodies the schemas accept (business rules may still refuse some: duplicates, totals, closed objects). */
const validBodies: Record<string, { create: fc.Arbitrary<object>; patch: fc.Arbitrary<object> }> = (() => {
  const customerFields = {
    name: nonBlank(200),
    email,
    emails: fc.array(fc.record({ address: email, primary: fc.boolean() }, { requiredKeys: ['address'] }), { maxLength: 3 }),
    phone: fc.option(fc.string({ maxLength: 40 })),
    addresses: fc.array(
      fc.record({ label: nonBlank(60), line1: nonBlank(200), line2: nonBlank(200), city: nonBlank(100), region: nonBlank(100), postalCode: nonBlank(20), country: nonBlank(60) }, { requiredKeys: ['line1'] }),
      { maxLength: 2 },
    ),
    externalId: fc.option(fc.constantFrom('crm-1', 'crm-2', 'crm-3')),
    disabled: fc.boolean(),
  };
  const appointmentFields = {
    startsAt: isoTime,
    endsAt: fc.option(isoTime),
    arrivalWindowMinutes: fc.option(fc.integer({ min: 0, max: 1440 })),
    description: nonBlank(2000),
    address: fc.option(fc.string({ maxLength: 300 })),
    technicians: fc.array(nonBlank(100), { maxLength: 3 }),
    status: fc.constantFrom('scheduled', 'in_progress', 'completed', 'canceled'),
    externalId: fc.option(fc.constantFrom('job-1', 'job-2', 'job-3')),
  };
  const invoiceFields = {
    number: fc.oneof(fc.constantFrom('INV-1', 'INV-2', 'INV-3'), nonBlank(40)),
    lineItems,
    taxAmount: fc.integer({ min: 0, max: 1e6 }),
    amountPaid: fc.integer({ min: 0, max: 1e5 }),
    dueDate: fc.option(isoDate),
    status: fc.constantFrom('draft', 'open', 'paid', 'void'),
    externalId: fc.option(fc.constantFrom('inv-1', 'inv-2', 'inv-3')),
  };
  const estimateFields = {
    number: fc.oneof(fc.constantFrom('EST-1', 'EST-2', 'EST-3'), nonBlank(40)),
    options: fc.array(
      fc.record({ name: nonBlank(200), description: nonBlank(2000), lineItems, taxAmount: fc.integer({ min: 0, max: 1e6 }) }, { requiredKeys: ['name', 'lineItems'] }),
      { minLength: 1, maxLength: 3 },
    ),
    expiresAt: fc.option(isoTime),
    status: fc.constantFrom('open', 'approved', 'declined', 'expired'),
    externalId: fc.option(fc.constantFrom('est-1', 'est-2', 'est-3')),
  };
  const customerId = fc.constantFrom(CUSTOMER, CUSTOMER, CUSTOMER, 'cus_doesnotexist');
  const currency = fc.constantFrom('usd', 'EUR', 'gbp');
  const origin = fc.webUrl().map((u) => new URL(u).origin);
  const settings = fc.record(
    {
      name: nonBlank(120),
      logoUrl: fc.option(fc.webUrl()),
      phone: fc.option(fc.string({ maxLength: 40 })),
      email: fc.option(email),
      address: fc.option(fc.string({ maxLength: 300 })),
      brandColor: fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`),
      portalUrl: fc.option(fc.webUrl()),
      allowedOrigins: fc.array(origin, { maxLength: 3 }),
      notificationEmail: fc.option(email),
      language: fc.constantFrom('en', 'es'),
      inviteLinkTtlDays: fc.integer({ min: 1, max: 7 }),
      loginLinkTtlMinutes: fc.integer({ min: 15, max: 60 }),
      autoInvite: fc.boolean(),
      messagingEnabled: fc.boolean(),
      paymentsEnabled: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const webhook = fc.record(
    {
      url: fc.oneof(fc.webUrl({ validSchemes: ['https'] }), fc.constantFrom('https://hooks.example.com/doorstep', 'http://localhost:3000/hook', 'https://10.0.0.1/x')),
      events: fc.subarray([...WEBHOOK_EVENT_TYPES]),
      description: fc.option(fc.string({ maxLength: 500 })),
    },
    { requiredKeys: ['url'] },
  );
  return {
    webhooks: { create: webhook, patch: webhook },
    settings: { create: settings, patch: settings },
    customers: { create: fc.record(customerFields, { requiredKeys: ['name'] }), patch: fc.record(customerFields, { requiredKeys: [] }) },
    appointments: {
      create: fc.record({ customerId, ...appointmentFields }, { requiredKeys: ['customerId', 'startsAt', 'description'] }),
      patch: fc.record(appointmentFields, { requiredKeys: [] }),
    },
    invoices: {
      create: fc.record({ customerId, currency, ...invoiceFields }, { requiredKeys: ['customerId', 'number', 'currency', 'lineItems'] }),
      patch: fc.record(invoiceFields, { requiredKeys: [] }),
    },
    estimates: {
      create: fc.record({ customerId, currency, ...estimateFields }, { requiredKeys: ['customerId', 'number', 'currency', 'options'] }),
      patch: fc.record(estimateFields, { requiredKeys: [] }),
    },
  };
})();

/** Routes whose body is not the create/update body of their resource. */
const validActionBodies: Record<string, fc.Arbitrary<object>> = {
  'POST /v1/admin/customers/:id/invitations': fc.record({ email }, { requiredKeys: [] }),
  'POST /v1/admin/messages/:id/replies': fc.record({ body: nonBlank(4000) }),
  'POST /v1/admin/webhooks/:id/test': fc.constant({}),
  'POST /v1/admin/staff': fc.record({ email, role: fc.constantFrom('owner', 'staff') }, { requiredKeys: ['email'] }),
  'PATCH /v1/admin/staff/:id': fc.record({ role: fc.constantFrom('owner', 'staff') }),
  'POST /v1/admin/invitations/bulk': fc.record(
    { customerIds: fc.array(fc.constantFrom(CUSTOMER, CUSTOMER, 'cus_doesnotexist', 'x'), { minLength: 1, maxLength: 5 }), dryRun: fc.boolean() },
    { requiredKeys: ['customerIds'] },
  ),
};

/** A body the route's schema accepts; `{}` for a route this file does not know yet. */
function validBody(route: Route): fc.Arbitrary<unknown> {
  if (!takesBody(route)) return fc.constantFrom({}, null);
  const action = validActionBodies[routeName(route)];
  if (action) return action;
  const group = validBodies[resourceOf(route.path)];
  const collection = paramsOf(route.path).length === 0 && route.path.split('/').length === 4;
  const item = route.path.split('/').length === 5 && route.path.endsWith(':id');
  if (!group || !(collection || item)) return fc.constant({});
  return route.method === 'POST' ? group.create : group.patch;
}

/** Every field name the admin schemas know, nested ones included. */
const knownFields = [
  ...new Set([
    ...[settingsPatch, customerCreate, appointmentCreate, invoiceCreate, estimateCreate, invitationCreate, bulkInvitation, webhookCreate, replyBody].flatMap((schema) =>
      Object.keys(schema.shape),
    ),
    ...['address', 'primary', 'label', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'description', 'quantity', 'unitAmount', 'name'],
  ]),
];
const dangerousKeys = ['__proto__', 'constructor', 'prototype'];

/** Values of the wrong type, or of the right type and out of range, for any field. */
const wrong: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    null, true, false, 0, -0, -1, 0.5, 1e10 + 1, -1e10 - 1, 2 ** 53 + 2, 1e308, -1e308, 5e-324,
    '', ' ', '   padded   ', 'null', 'undefined', '2026-02-30', '2026-02-29', '2026-03-01T25:00:00Z', '2026-03-01T09:00:00',
    '#GGGGGG', 'javascript:alert(1)', 'http://', 'https://x.test/path', 'ftp://x.test', 'usd ', 'US', 'USDD', '€€€',
    'a@b', '<script>alert(1)</script>', "'; drop table customers; --", '\u0000', '\ud800', '\u202e', '%00', '../../etc/passwd',
    [], {}, [null], [{}], { address: 'x@y.z', primary: 'yes' }, [{ line1: '' }], [{ description: 'x', quantity: 0, unitAmount: 1 }],
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ maxLength: 2100 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 120 }),
  fc.double(),
  fc.integer(),
);

interface Body {
  kind: string;
  /** The raw bytes or text sent; null for no body. */
  data: string | Uint8Array | null;
  /** Whether `data` is meant to be JSON text (may still be invalid when a kind says so). */
  json: boolean;
}

const asJson = (kind: string) => (value: unknown): Body => ({ kind, data: JSON.stringify(value) ?? 'null', json: true });

/** Paths to every value inside `value` (objects and arrays), the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function at(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

/** Sets an own, enumerable property, even for `__proto__`, so JSON.stringify writes it as a real key. */
function defineKey(target: object, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A valid body with one value replaced by a wrong one, a key removed, or an extra key added. */
const mutated = (route: Route) =>
  fc
    .tuple(validBody(route), fc.nat(), fc.constantFrom('replace', 'remove', 'add'), wrong, fc.constantFrom(...knownFields, 'amount', 'total', 'id', 'businessId'))
    .map(([valid, pick, op, value, key]): Body => {
      const body = structuredClone(valid) as unknown;
      const paths = pathsOf(body);
      const path = paths[pick % paths.length]!;
      if (path.length === 0) return asJson('mutated')(op === 'add' && body && typeof body === 'object' ? { ...body, [key]: value } : value);
      const parent = at(body, path.slice(0, -1)) as Record<string | number, unknown>;
      const last = path.at(-1)!;
      if (op === 'replace') parent[last] = value;
      else if (op === 'remove') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
      else {
        const target = at(body, path);
        if (target && typeof target === 'object' && !Array.isArray(target)) defineKey(target, key, value);
        else parent[last] = value;
      }
      return asJson('mutated')(body);
    });

/** Objects made only of known field names, every value of a random (mostly wrong) type. */
const knownKeysJunk = fc.dictionary(fc.constantFrom(...knownFields), wrong, { maxKeys: 8 }).map(asJson('known-keys'));

const anything = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map(asJson('json-value')),
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }).map(asJson('anything')),
);

/** `__proto__`, `constructor` and `prototype` as real keys, at the top or inside any nested object. */
const prototypeKeys = (route: Route) =>
  fc
    .tuple(
      validBody(route),
      fc.nat(),
      fc.constantFrom(...dangerousKeys),
      fc.constantFrom<unknown>(
        { polluted: 'yes' },
        { prototype: { polluted: 'yes' } },
        { constructor: { prototype: { polluted: 'yes' } } },
        { __PROTO__: { polluted: 'yes' } },
        { toString: 'polluted', valueOf: 1, hasOwnProperty: null },
        'polluted',
        [],
        null,
      ),
    )
    .map(([valid, pick, key, payload]): Body => {
      // Payloads with __proto__ inside are written as text: an object literal would set the prototype.
      const payloadJson = JSON.stringify(payload).replace('"__PROTO__"', '"__proto__"');
      const body = (valid && typeof valid === 'object' ? structuredClone(valid) : {}) as object;
      const objects = pathsOf(body)
        .map((p) => at(body, p))
        .filter((v): v is object => v !== null && typeof v === 'object' && !Array.isArray(v));
      const target = objects[pick % objects.length] ?? body;
      defineKey(target, key, '$PAYLOAD$');
      return { kind: `prototype-${key}`, data: JSON.stringify(body).replace('"$PAYLOAD$"', payloadJson), json: true };
    });

/** Long strings, sometimes over the 100 KB limit, in bytes that are 1, 2 or 4 per character. */
const huge = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1_000, max: 99_000 }), fc.integer({ min: 99_000, max: 150_000 })),
    fc.constantFrom('x', 'é', '😀', ' '),
    fc.constantFrom(...knownFields),
    fc.constantFrom('field', 'top', 'array', 'key'),
  )
  .map(([bytes, unit, field, where]): Body => {
    const text = unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
    const value = where === 'field' ? { [field]: text } : where === 'top' ? text : where === 'array' ? { [field]: [text] } : { [text]: 1 };
    return { kind: `huge-${where}`, data: JSON.stringify(value), json: true };
  });

/** Thousands of levels of `[`…`]` or `{"a":`…`}`, alone or as a field's value. */
const deep = fc
  .tuple(fc.integer({ min: 1_000, max: 30_000 }), fc.constantFrom('array', 'object', 'field', 'unclosed'), fc.constantFrom(...knownFields))
  .map(([depth, shape, field]): Body => {
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const data = shape === 'array' ? arrays : shape === 'object' ? objects : shape === 'field' ? `{"${field}":${arrays}}` : '['.repeat(depth);
    return { kind: `deep-${shape}`, data, json: shape !== 'unclosed' };
  });

/** Text and bytes that are not JSON. */
const notJson = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 200 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
    fc.constantFrom('{bad', '{"name":', "{'name':'x'}", '{"name":"x",}', 'name=x&email=y', '<xml/>', 'undefined', 'NaN', '[1,]', '\u0000', '{"a":1}{"b":2}', '{}\uFEFF'),
    fc.uint8Array({ minLength: 1, maxLength: 200 }),
  )
  .filter((data) => !isJsonText(data))
  .map((data): Body => ({ kind: 'not-json', data, json: false }));

const bodies = (route: Route): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 4, arbitrary: validBody(route).map(asJson('valid')) },
    { weight: 3, arbitrary: mutated(route) },
    { weight: 2, arbitrary: knownKeysJunk },
    { weight: 2, arbitrary: anything },
    { weight: 2, arbitrary: prototypeKeys(route) },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: deep },
    { weight: 2, arbitrary: notJson },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none', data: null, json: false }) },
  );

/** How the body is framed: Content-Length or chunked, as HTTP/1.1 clients do, or neither (as app.request() and HTTP/2 may). */
const framing = fc.constantFrom('length', 'length', 'length', 'chunked', 'none');
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<string | null>(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/vnd.api+json', 'application/jsonx', 'json', ''),
  },
);
/** `real` is a live object of business A; anything else is sent (encoded) as the id. */
const param = fc.oneof(
  { weight: 6, arbitrary: fc.constant('real') },
  { weight: 1, arbitrary: fc.constantFrom('cus_doesnotexist', 'inv_0', 'x'.repeat(5000), 'null', '0', '-1') },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 }) },
);

// ---- The request and what it must answer ----

const mediaType = (type: string | null) => (type ?? '').split(';')[0]!.trim().toLowerCase();
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const STACK = /^\s*at\s|\bat\s.+:\d+:\d+|node_modules|file:\/\/|\.(?:ts|js|mjs|cjs):\d+|\/src\/|\/work\//m;

/** The body as the bytes sent (a copy, on its own ArrayBuffer). */
const bytesOf = (data: string | Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(typeof data === 'string' ? Buffer.from(data) : data);

/** A quick JSON check for generating non-JSON bodies (those starting with a BOM are left out). */
function isJsonText(data: string | Uint8Array) {
  const bytes = bytesOf(data);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return true;
  try {
    JSON.parse(new TextDecoder().decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/** Whether the server parses the body as JSON: it decodes exactly as Request.text() does, then JSON.parse. */
async function serverParses(data: string | Uint8Array) {
  try {
    JSON.parse(await new Request('http://fuzz.test/', { method: 'POST', body: bytesOf(data) }).text());
    return true;
  } catch {
    return false;
  }
}

async function send(method: string, path: string, body: Body, type: string | null, frame: string) {
  const headers = new Headers(
    consoleOwnerOnly(method, path) ? { Cookie: `doorstep_staff=${owner.cookie}`, Origin: CONSOLE_ORIGIN } : { Authorization: `Bearer ${h.keyA}` },
  );
  if (body.data !== null) {
    if (type !== null) headers.set('Content-Type', type);
    const bytes = bytesOf(body.data);
    if (frame === 'length') headers.set('Content-Length', String(bytes.byteLength));
    if (frame === 'chunked') headers.set('Transfer-Encoding', 'chunked');
    return h.app.request(path, { method, headers, body: bytes });
  }
  return h.app.request(path, { method, headers });
}

const protoNames = {
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  function: Object.getOwnPropertyNames(Function.prototype).sort(),
  string: Object.getOwnPropertyNames(String.prototype).sort(),
};

function expectPrototypesUntouched() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames.object);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(protoNames.array);
  expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(protoNames.function);
  expect(Object.getOwnPropertyNames(String.prototype).sort()).toEqual(protoNames.string);
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.toString.call(probe)).toBe('[object Object]');
  expect(typeof probe.hasOwnProperty).toBe('function');
}

/** The error shape, exactly, with a snake_case code and no stack trace or file path in the message. */
function expectErrorBody(text: string, context: string) {
  let body: unknown;
  expect(() => (body = JSON.parse(text)), `${context}: not JSON: ${text.slice(0, 300)}`).not.toThrow();
  expect(body, context).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  const { code, message } = (body as { error: { code: string; message: string } }).error;
  expect(code, context).toMatch(SNAKE);
  expect(message.length, context).toBeGreaterThan(0);
  expect(message, context).not.toMatch(STACK);
  expect(message, context).not.toContain(process.cwd());
  return code;
}

interface Outcome {
  status: number;
  code?: string;
}

/** Sends one generated request and checks everything D4 promises about the answer. */
async function check(route: Route, body: Body, type: string | null, frame: string, params: string[]): Promise<Outcome> {
  const names = paramsOf(route.path);
  const ids = await Promise.all(names.map(async (_, i) => (params[i] === 'real' ? liveId(resourceOf(route.path)) : params[i]!)));
  const path = route.path.replace(/:(\w+)/g, () => encodeURIComponent(ids.shift()!));
  const sent: Body = typeof body.data === 'string' && body.data.includes(`"${CUSTOMER}"`) ? { ...body, data: body.data.split(`"${CUSTOMER}"`).join(JSON.stringify(await liveCustomer())) } : body;
  const res = await send(route.method, path, sent, type, frame);
  const text = await res.text();
  const context = `${route.method} ${path.slice(0, 120)} [${body.kind}, ${type}, ${frame}] → ${res.status} ${text.slice(0, 300)}`;

  expect(res.status, context).toBeGreaterThanOrEqual(200);
  expect(res.status, context).toBeLessThan(500);
  expect(res.status, `${context} (the key is valid)`).not.toBe(401);
  let code: string | undefined;
  if (res.status >= 400) code = expectErrorBody(text, context);
  else if (res.status !== 204) expect(() => JSON.parse(text), context).not.toThrow();

  // Where the outcome is decided before any handler runs, it is exact.
  const bytes = sent.data === null ? 0 : typeof sent.data === 'string' ? Buffer.byteLength(sent.data) : sent.data.byteLength;
  const routed = params.every((p) => p === 'real' || /^[\w-]{1,200}$/.test(p));
  if (bytes > MAX_BODY_BYTES) {
    expect([res.status, code], context).toEqual([413, 'payload_too_large']);
  } else if (bytes > 0 && mediaType(type) !== 'application/json') {
    expect([res.status, code], context).toEqual([415, 'unsupported_media_type']);
  } else if (bytes > 0 && routed && takesBody(route) && !(await serverParses(sent.data!))) {
    expect([res.status, code], context).toEqual([400, 'invalid_json']);
  }
  expectPrototypesUntouched();
  return { status: res.status, ...(code ? { code } : {}) };
}

// ---- Tests ----

describe('D4: fuzzing every admin write route', () => {
  it('finds the write routes in the app', () => {
    expect(routes.map(routeName)).toEqual(
      expect.arrayContaining([
        'PATCH /v1/admin/settings',
        'POST /v1/admin/customers',
        'PATCH /v1/admin/customers/:id',
        'DELETE /v1/admin/customers/:id',
        'POST /v1/admin/appointments',
        'PATCH /v1/admin/appointments/:id',
        'DELETE /v1/admin/appointments/:id',
        'POST /v1/admin/invoices',
        'PATCH /v1/admin/invoices/:id',
        'POST /v1/admin/invoices/:id/send',
        'POST /v1/admin/estimates',
        'PATCH /v1/admin/estimates/:id',
        'POST /v1/admin/estimates/:id/cancel',
      ]),
    );
  });

  it('writes `__proto__` as a real key in the prototype bodies', () => {
    const samples = fc.sample(prototypeKeys({ method: 'POST', path: '/v1/admin/customers' }), { numRuns: 300, seed: 7 }).map((b) => b.data as string);
    expect(samples.some((s) => s.includes('"__proto__":'))).toBe(true);
    expect(samples.some((s) => s.includes('"__proto__":{"polluted":"yes"}'))).toBe(true);
    expect(samples.some((s) => s.includes('"constructor":{"prototype":'))).toBe(true);
    expect(samples.some((s) => /"addresses":\[[^\]]*"__proto__":/.test(s))).toBe(true);
  });

  it.each(routes.map((r) => [routeName(r), r] as const))(
    '%s answers random, wrong, huge, deep and polluting bodies with 2xx/4xx and the error shape',
    async (_name, route) => {
      const statuses = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(bodies(route), contentType, framing, fc.array(param, { minLength: 3, maxLength: 3 }), async (body, type, frame, params) => {
          const { status, code } = await check(route, body, type, frame, params);
          const key = `${status}${code ? ` ${code}` : ''}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        }),
        { numRuns: NUM_RUNS },
      );
      // Not vacuous: some requests got through to the handler and succeeded.
      const succeeded = [...statuses].filter(([key]) => key.startsWith('2')).reduce((n, [, count]) => n + count, 0);
      expect(succeeded, `no request succeeded (add a valid body for ${routeName(route)} to validBodies?): ${JSON.stringify(Object.fromEntries(statuses))}`).toBeGreaterThan(0);
    },
    60_000,
  );
});

describe('D4: explicit cases on every write route', () => {
  const exactly = async (route: Route, data: string | null, type: string | null, frame: string) => {
    const ids = await Promise.all(paramsOf(route.path).map(() => liveId(resourceOf(route.path))));
    const path = route.path.replace(/:(\w+)/g, () => ids.shift()!);
    const res = await send(route.method, path, { kind: 'explicit', data, json: false }, type, frame);
    const text = await res.text();
    return { status: res.status, code: res.status >= 400 ? expectErrorBody(text, `${routeName(route)} → ${res.status} ${text}`) : undefined, text };
  };

  it.each(routes.map((r) => [routeName(r), r] as const))('%s: 100 KB + 1 → 413, text/plain → 415, malformed JSON → 400 invalid_json', async (_name, route) => {
    const pad = (bytes: number) => {
      const shell = JSON.stringify({ name: '' });
      return JSON.stringify({ name: 'x'.repeat(bytes - Buffer.byteLength(shell)) });
    };
    const over = pad(MAX_BODY_BYTES + 1);
    const limit = pad(MAX_BODY_BYTES);
    expect(Buffer.byteLength(over)).toBe(MAX_BODY_BYTES + 1);
    expect(Buffer.byteLength(limit)).toBe(MAX_BODY_BYTES);

    for (const frame of ['length', 'chunked', 'none']) {
      expect(await exactly(route, over, 'application/json', frame), frame).toMatchObject({ status: 413, code: 'payload_too_large' });
      expect((await exactly(route, limit, 'application/json', frame)).status, frame).not.toBe(413);
      // Multi-byte characters count as bytes, not characters.
      const emoji = JSON.stringify({ name: '😀'.repeat(Math.ceil(MAX_BODY_BYTES / 4) - 1) });
      expect(emoji.length).toBeLessThan(MAX_BODY_BYTES);
      expect(await exactly(route, emoji, 'application/json', frame), frame).toMatchObject({ status: 413, code: 'payload_too_large' });
    }
    for (const frame of ['length', 'chunked', 'none']) {
      for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/xml']) {
        expect(await exactly(route, '{"name":"x"}', type, frame), `${type} ${frame}`).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      }
      if (takesBody(route)) {
        for (const malformed of ['{bad', '{"name":', "{'name':'x'}", '{"name":"x",}', '[1,]', 'name=x']) {
          expect(await exactly(route, malformed, 'application/json', frame), `${malformed} ${frame}`).toMatchObject({ status: 400, code: 'invalid_json' });
        }
      }
    }
    expect(await exactly(route, '{"name":"x"}', 'text/plain', 'length')).toMatchObject({
      text: JSON.stringify({ error: { code: 'unsupported_media_type', message: 'Send the request body as JSON with Content-Type: application/json.' } }),
    });
    expectPrototypesUntouched();
  });

  it('deeply nested JSON (5,000 and 40,000 levels) is refused as a 4xx', async () => {
    const route = { method: 'POST', path: '/v1/admin/customers' };
    for (const depth of [5_000, 40_000]) {
      for (const data of ['['.repeat(depth) + ']'.repeat(depth), `{"name":"x","addresses":${'['.repeat(depth) + ']'.repeat(depth)}}`]) {
        const { status } = await exactly(route, data, 'application/json', 'length');
        expect(status).toBe(Buffer.byteLength(data) > MAX_BODY_BYTES ? 413 : 400);
      }
    }
  });

  it('`__proto__`, `constructor` and `prototype` keys are refused and pollute nothing', async () => {
    const cases: [Route, string][] = [
      [{ method: 'PATCH', path: '/v1/admin/settings' }, '{"__proto__":{"polluted":"yes"}}'],
      [{ method: 'PATCH', path: '/v1/admin/settings' }, '{"constructor":{"prototype":{"polluted":"yes"}}}'],
      [{ method: 'POST', path: '/v1/admin/customers' }, '{"name":"x","__proto__":{"polluted":"yes","disabled":true}}'],
      [{ method: 'POST', path: '/v1/admin/customers' }, '{"name":"x","addresses":[{"line1":"a","__proto__":{"polluted":"yes"}}]}'],
      [{ method: 'POST', path: '/v1/admin/customers' }, '{"name":"x","emails":[{"address":"a@b.co","prototype":{"polluted":"yes"}}]}'],
      [{ method: 'PATCH', path: '/v1/admin/invoices/:id' }, '{"lineItems":[{"description":"a","quantity":1,"unitAmount":1,"__proto__":{"amount":0}}]}'],
      [{ method: 'PATCH', path: '/v1/admin/estimates/:id' }, '{"options":[{"name":"a","lineItems":[{"description":"a","quantity":1,"unitAmount":1}],"constructor":{"prototype":{"polluted":"yes"}}}]}'],
    ];
    for (const [route, data] of cases) {
      const { status, code } = await exactly(route, data, 'application/json', 'length');
      expect([status, code], `${routeName(route)} ${data}`).toEqual([400, 'invalid_body']);
      expectPrototypesUntouched();
    }
  });
});
