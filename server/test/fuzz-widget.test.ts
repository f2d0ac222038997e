// SECURITY D4 for the widget API: fast-check throws random, wrong, huge, deeply nested and
// prototype-polluting bodies, hostile query strings, odd path parameters, foreign origins and bad or
// missing sessions at every `/v1/b/:business/...` route — enumerated from `app.routes`, so a new
// route is fuzzed without touching this file — signed in with a real session (login link, token
// from the queued email, exchange). Every answer must be a 2xx or a documented 4xx, a 4xx must be
// the error shape with no stack trace, no answer sets a cookie, and Object.prototype is untouched.
// (The admin write routes are fuzzed in fuzz.test.ts.)
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/lib/crypto';
import { MAX_BODY_BYTES } from '../src/lib/http';
import { createHarness, expectJson, sampleLineItems } from './harness';
import { freshIp, signIn, type SignedInCustomer } from './sign-in';

const h = await createHarness();
afterAll(() => h.close());

/** Runs per route; FUZZ_RUNS=2000 for a longer hunt; FUZZ_STATS=1 prints the answers each route gave. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const BUSINESS = 'acme';
const ALLOWED_ORIGIN = 'https://acme.test';
await expectJson(h.admin('PATCH', '/v1/admin/settings', { messagingEnabled: true, allowedOrigins: [ALLOWED_ORIGIN] }), 200);

// ---- Routes ----

interface Route {
  method: string;
  path: string;
}

const PREFIX = '/v1/b/:business';

/** Widget routes of the app, one per method + path, no middleware. */
function widgetRoutes(): Route[] {
  const seen = new Map<string, Route>();
  for (const { method, path } of h.app.routes) {
    if (method === 'ALL' || !(path === PREFIX || path.startsWith(`${PREFIX}/`))) continue;
    seen.set(`${method} ${path}`, { method, path });
  }
  return [...seen.values()];
}

const routes = widgetRoutes();
const routeName = (r: Route) => `${r.method} ${r.path}`;
/** `estimates` for `/v1/b/:business/estimates/:id/approve`; '' for the profile. */
const resourceOf = (path: string) => path.slice(PREFIX.length + 1).split('/')[0] ?? '';
/** Routes that need no session. */
const PUBLIC = new Set([`GET ${PREFIX}`, `POST ${PREFIX}/login-links`, `POST ${PREFIX}/sessions`]);
/** Routes that read a JSON body; for these, malformed JSON must be 400 invalid_json once the request gets that far. */
const JSON_BODY = new Set([
  `POST ${PREFIX}/login-links`,
  `POST ${PREFIX}/sessions`,
  `POST ${PREFIX}/estimates/:id/approve`,
  `POST ${PREFIX}/estimates/:id/decline`,
  `POST ${PREFIX}/messages`,
]);
/** Routes whose valid requests must sometimes succeed here (payments depend on Stripe and are left out). */
const MUST_SUCCEED = new Set([
  `GET ${PREFIX}`,
  `POST ${PREFIX}/login-links`,
  `POST ${PREFIX}/sessions`,
  `DELETE ${PREFIX}/session`,
  `GET ${PREFIX}/me`,
  `GET ${PREFIX}/summary`,
  `GET ${PREFIX}/appointments`,
  `GET ${PREFIX}/invoices`,
  `GET ${PREFIX}/invoices/:id`,
  `GET ${PREFIX}/estimates`,
  `GET ${PREFIX}/estimates/:id`,
  `POST ${PREFIX}/estimates/:id/approve`,
  `POST ${PREFIX}/estimates/:id/decline`,
  `GET ${PREFIX}/messages`,
  `POST ${PREFIX}/messages`,
]);
/** The statuses the widget API documents. */
const DOCUMENTED = new Set([200, 201, 202, 204, 400, 401, 403, 404, 409, 410, 413, 415, 429]);
/** Fields an error may carry besides code and message, for the client to act on. */
const ERROR_DETAILS = new Set(['retryAfter', 'maskedEmail', 'resent']);

// ---- The signed-in customer and their live objects, recreated when the fuzzing uses them up ----

let seq = 0;
let current: SignedInCustomer | undefined;
let other: SignedInCustomer | undefined;
const live: Record<string, string | undefined> = {};

async function newCustomer(business = BUSINESS, key = h.keyA) {
  const n = ++seq;
  const email = `widget-fuzz-${n}@${business}-customers.test`;
  const customer = await expectJson(h.admin('POST', '/v1/admin/customers', { name: `Widget fuzz ${n}`, email, addresses: [{ line1: `${n} Main St` }] }, key), 201);
  return { id: customer.id as string, email };
}

/** A session of acme that works: a new customer signs in whenever the last one signed out. */
async function session(): Promise<SignedInCustomer> {
  if (current && (await h.store.touchSession(BUSINESS, sha256(current.token), h.clock.now(), 7 * 86_400_000, 86_400_000))) return current;
  const { email } = await newCustomer();
  current = await signIn(h, BUSINESS, email);
  for (const key of Object.keys(live)) live[key] = undefined;
  return current;
}

/** A signed-in customer of the other business, whose token must not open acme's portal. */
async function bravoSession(): Promise<SignedInCustomer> {
  if (other) return other;
  const { email } = await newCustomer('bravo', h.keyB);
  return (other = await signIn(h, 'bravo', email));
}

const at = (ms: number) => new Date(h.clock.now() + ms).toISOString();

/** The id of a live object of the signed-in customer for the route's resource, or a made-up one. */
async function liveId(resource: string): Promise<string> {
  const me = await session();
  const customerId = me.customer.id;
  switch (resource) {
    case 'invoices': {
      const id = live.invoices;
      if (id && (await h.store.getCustomerInvoice(BUSINESS, customerId, id))?.status === 'open') return id;
      const body = { customerId, number: `WF-INV-${++seq}`, currency: 'usd', lineItems: sampleLineItems, status: 'open' };
      return (live.invoices = (await expectJson(h.admin('POST', '/v1/admin/invoices', body), 201)).id);
    }
    case 'estimates': {
      const id = live.estimates;
      if (id && (await h.store.getCustomerEstimate(BUSINESS, customerId, id))?.status === 'open') return id;
      const options = seq % 2 ? [{ name: 'Repair', lineItems: sampleLineItems }] : [{ name: 'Repair', lineItems: sampleLineItems }, { name: 'Replace', lineItems: sampleLineItems }];
      const body = { customerId, number: `WF-EST-${++seq}`, currency: 'usd', options };
      return (live.estimates = (await expectJson(h.admin('POST', '/v1/admin/estimates', body), 201)).id);
    }
    case 'appointments': {
      const id = live.appointments;
      if (id && (await h.store.getAppointment(BUSINESS, id))) return id;
      const body = { customerId, startsAt: at(3 * 86_400_000), description: `Widget fuzz job ${++seq}` };
      return (live.appointments = (await expectJson(h.admin('POST', '/v1/admin/appointments', body), 201)).id);
    }
    default:
      // Payment methods and anything new: no object this file knows how to make.
      return `pm_${'x'.repeat(24)}`;
  }
}

/** An unused login-link token of a fresh customer of acme, as read from the queued email. */
async function realToken(): Promise<string> {
  const { email } = await newCustomer();
  const res = await h.app.request(`/v1/b/${BUSINESS}/login-links`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': freshIp() },
    body: JSON.stringify({ email }),
  });
  expect(res.status).toBe(202);
  const mail = (await h.store.listOutbox(BUSINESS)).find((m) => m.to === email);
  return /#portal-token=([\w-]{43})/.exec(mail?.text ?? '')![1]!;
}

// ---- Arbitraries ----

/** Placeholders replaced at send time by live values. */
const LIVE = { option: '$LIVE_OPTION$', appointment: '$LIVE_APPOINTMENT$', token: '$LIVE_TOKEN$', email: '$LIVE_EMAIL$' };

const nonBlank = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);
const email = fc.oneof(fc.constant(LIVE.email), fc.nat(50).map((n) => `person${n}@example.com`), fc.emailAddress());

/** Bodies the route's schema accepts (business rules may still refuse: decided estimates, several options). */
function validBody(route: Route): fc.Arbitrary<unknown> {
  switch (routeName(route)) {
    case `POST ${PREFIX}/login-links`:
      return fc.record({ email });
    case `POST ${PREFIX}/sessions`:
      return fc.record({ token: fc.oneof({ weight: 2, arbitrary: fc.constant(LIVE.token) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 200 }) }) });
    case `POST ${PREFIX}/estimates/:id/approve`:
      return fc.record({ optionId: fc.oneof(fc.constant(LIVE.option), fc.string({ minLength: 1, maxLength: 64 })) }, { requiredKeys: [] });
    case `POST ${PREFIX}/estimates/:id/decline`:
      return fc.record({ reason: fc.string({ maxLength: 1000 }) }, { requiredKeys: [] });
    case `POST ${PREFIX}/messages`:
      return fc.record(
        {
          kind: fc.constantFrom('new_appointment', 'reschedule', 'cancel', 'other'),
          body: nonBlank(4000),
          appointmentId: fc.oneof(fc.constant(LIVE.appointment), fc.string({ minLength: 1, maxLength: 64 })),
          preferredTimes: fc.array(nonBlank(200), { maxLength: 5 }),
        },
        { requiredKeys: ['kind', 'body'] },
      );
    default:
      return fc.constantFrom({}, null);
  }
}

const knownFields = ['email', 'token', 'optionId', 'reason', 'kind', 'body', 'appointmentId', 'preferredTimes', 'invoiceId', 'paymentMethodId', 'amount', 'returnUrl'];
const wrong: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    null, true, 0, -1, 0.5, 1e308, '', ' ', 'null', 'a@b', 'A@B.COM ', '<script>alert(1)</script>', "'; drop table sessions; --",
    '\u0000', '\ud800', '\u202e', '%00', '../../etc/passwd', [], {}, [null], ['x'.repeat(201)], 'x'.repeat(4001), 'new_appointment',
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 50 }),
);

interface Body {
  kind: string;
  data: string | Uint8Array | null;
}

const asJson = (kind: string) => (value: unknown): Body => ({ kind, data: JSON.stringify(value) ?? 'null' });

/** Sets an own, enumerable property, even for `__proto__`, so JSON.stringify writes it as a real key. */
function defineKey(target: object, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const mutated = (route: Route) =>
  fc.tuple(validBody(route), fc.constantFrom(...knownFields), wrong, fc.boolean()).map(([valid, key, value, remove]): Body => {
    const body = valid && typeof valid === 'object' ? { ...(valid as object) } : {};
    if (remove) delete (body as Record<string, unknown>)[key];
    else defineKey(body, key, value);
    return asJson('mutated')(body);
  });

const junk = fc.oneof(
  fc.dictionary(fc.constantFrom(...knownFields), wrong, { maxKeys: 6 }).map(asJson('known-keys')),
  fc.jsonValue({ maxDepth: 4 }).map(asJson('json-value')),
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }).map(asJson('anything')),
);

const prototypeKeys = (route: Route) =>
  fc
    .tuple(validBody(route), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '{"__proto__":{"polluted":"yes"}}', '"polluted"', 'null'))
    .map(([valid, key, payload]): Body => {
      const body = valid && typeof valid === 'object' ? { ...(valid as object) } : {};
      defineKey(body, key, '$PAYLOAD$');
      return { kind: `prototype-${key}`, data: JSON.stringify(body).replace('"$PAYLOAD$"', payload) };
    });

const huge = fc
  .tuple(fc.oneof(fc.integer({ min: 1_000, max: 99_000 }), fc.integer({ min: 99_000, max: 150_000 })), fc.constantFrom('x', 'é', '😀'), fc.constantFrom(...knownFields))
  .map(([bytes, unit, field]): Body => ({ kind: 'huge', data: JSON.stringify({ [field]: unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit)))) }) }));

const deep = fc
  .tuple(fc.integer({ min: 1_000, max: 30_000 }), fc.constantFrom('array', 'object', 'unclosed'))
  .map(([depth, shape]): Body => ({
    kind: `deep-${shape}`,
    data: shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : shape === 'object' ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth),
  }));

const notJson = fc
  .oneof(
    fc.constantFrom('{bad', '{"email":', "{'email':'x'}", '{"email":"x",}', 'email=x', '<xml/>', 'NaN', '[1,]', '{"a":1}{"b":2}'),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).filter((bytes) => !parses(bytes)),
  )
  .map((data): Body => ({ kind: 'not-json', data }));

function parses(data: string | Uint8Array): boolean {
  try {
    JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    return true;
  } catch {
    return false;
  }
}

const bodies = (route: Route): fc.Arbitrary<Body> =>
  route.method === 'GET'
    ? fc.constant<Body>({ kind: 'none', data: null })
    : fc.oneof(
        { weight: 5, arbitrary: validBody(route).map(asJson('valid')) },
        { weight: 2, arbitrary: mutated(route) },
        { weight: 2, arbitrary: junk },
        { weight: 2, arbitrary: prototypeKeys(route) },
        { weight: 1, arbitrary: huge },
        { weight: 1, arbitrary: deep },
        { weight: 1, arbitrary: notJson },
        { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none', data: null }) },
      );

/** Query strings: valid paging, wrong values, repeats, unknown and polluting keys. */
const queryValue = fc.oneof(
  fc.constantFrom('1', '20', '50', '100', '0', '-1', '101', '1e3', '1.5', 'NaN', 'Infinity', '', ' ', 'upcoming', 'past', 'future', 'null', '[]', '{}'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    Buffer.from('[1,"x"]').toString('base64url'),
    Buffer.from('["a",1]').toString('base64url'),
    Buffer.from('o:-1').toString('base64url'),
    Buffer.from('o:1e400').toString('base64url'),
    Buffer.from('o:9007199254740993').toString('base64url'),
    Buffer.from('{"__proto__":{"polluted":"yes"}}').toString('base64url'),
    'x'.repeat(600),
    '%ZZ',
  ),
);
const query = fc
  .array(fc.tuple(fc.constantFrom('limit', 'cursor', 'when', 'q', '__proto__', 'constructor[prototype][polluted]', '__proto__[polluted]', 'limit[]'), queryValue), { maxLength: 4 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

const businessParam = fc.oneof(
  { weight: 10, arbitrary: fc.constant(BUSINESS) },
  { weight: 1, arbitrary: fc.constantFrom('bravo', 'nobody', 'ACME', 'acme ', '..', '%2e%2e', 'x'.repeat(3000)) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 60 }) },
);
const idParam = fc.oneof(
  { weight: 6, arbitrary: fc.constant('real') },
  { weight: 1, arbitrary: fc.constantFrom('inv_0', 'est_doesnotexist', 'null', '0', '-1', 'x'.repeat(5000)) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) },
);
const auth = fc.oneof(
  { weight: 8, arbitrary: fc.constant('live') },
  { weight: 1, arbitrary: fc.constantFrom('none', 'bravo', 'garbage', 'basic', 'empty') },
);
const origin = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | null>(null) },
  { weight: 2, arbitrary: fc.constant<string | null>(ALLOWED_ORIGIN) },
  { weight: 1, arbitrary: fc.constantFrom<string | null>('https://evil.test', 'null', 'https://acme.test.evil.test', 'https://acme.test:444', 'http://acme.test') },
);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8') },
  { weight: 1, arbitrary: fc.constantFrom<string | null>(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', '') },
);
/** Mostly a fresh client address each time, so per-IP limits rarely decide; sometimes one shared address, so they do. */
const ip = fc.oneof({ weight: 5, arbitrary: fc.constant('fresh') }, { weight: 1, arbitrary: fc.constant('10.9.9.9') });

// ---- Sending and checking ----

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const STACK = /^\s*at\s|\bat\s.+:\d+:\d+|node_modules|file:\/\/|\.(?:ts|js|mjs|cjs):\d+|\/src\/|\/work\//m;
const mediaType = (type: string | null) => (type ?? '').split(';')[0]!.trim().toLowerCase();
const bytesOf = (data: string | Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(typeof data === 'string' ? Buffer.from(data) : data);

const protoNames = {
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  function: Object.getOwnPropertyNames(Function.prototype).sort(),
};

function expectPrototypesUntouched() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames.object);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(protoNames.array);
  expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(protoNames.function);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.toString.call({})).toBe('[object Object]');
}

function expectErrorBody(text: string, context: string): string {
  let body: any;
  expect(() => (body = JSON.parse(text)), `${context}: not JSON`).not.toThrow();
  expect(Object.keys(body), context).toEqual(['error']);
  const { code, message, ...details } = body.error ?? {};
  expect(code, context).toMatch(SNAKE);
  expect(typeof message === 'string' && message.length > 0, context).toBe(true);
  expect(message, context).not.toMatch(STACK);
  expect(message, context).not.toContain(process.cwd());
  for (const key of Object.keys(details)) expect(ERROR_DETAILS.has(key), `${context}: unexpected error field ${key}`).toBe(true);
  return code;
}

interface Request {
  body: Body;
  query: string;
  business: string;
  id: string;
  auth: string;
  origin: string | null;
  type: string | null;
  ip: string;
}

async function check(route: Route, r: Request): Promise<{ status: number; code?: string }> {
  const me = r.auth === 'live' ? await session() : undefined;
  const id = route.path.includes(':id') ? (r.id === 'real' ? await liveId(resourceOf(route.path)) : r.id) : '';
  const path = route.path.replace(':business', encodeURIComponent(r.business)).replace(':id', encodeURIComponent(id)) + (r.query ? `?${r.query}` : '');

  let data = r.body.data;
  if (typeof data === 'string') {
    if (data.includes(LIVE.token)) data = data.split(LIVE.token).join(await realToken());
    if (data.includes(LIVE.email)) data = data.split(LIVE.email).join(me?.customer.email ?? 'nobody@example.com');
    if (data.includes(LIVE.appointment)) data = data.split(LIVE.appointment).join(await liveId('appointments'));
    if (data.includes(LIVE.option)) {
      const estimate = route.path.includes(':id') ? await h.store.getCustomerEstimate(BUSINESS, (await session()).customer.id, id) : undefined;
      data = data.split(LIVE.option).join(estimate?.options[0]?.id ?? 'opt_none');
    }
  }

  const headers = new Headers({ 'X-Forwarded-For': r.ip === 'fresh' ? freshIp() : r.ip });
  if (r.auth === 'live') headers.set('Authorization', `Bearer ${me!.token}`);
  else if (r.auth === 'bravo') headers.set('Authorization', `Bearer ${(await bravoSession()).token}`);
  else if (r.auth === 'garbage') headers.set('Authorization', `Bearer ${'A'.repeat(43)}`);
  else if (r.auth === 'basic') headers.set('Authorization', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l');
  else if (r.auth === 'empty') headers.set('Authorization', 'Bearer ');
  if (r.origin !== null) headers.set('Origin', r.origin);
  if (data !== null && r.type !== null) headers.set('Content-Type', r.type);
  const res = await h.app.request(path, { method: route.method, headers, ...(data !== null ? { body: bytesOf(data) } : {}) });
  const text = await res.text();
  const context = `${route.method} ${path.slice(0, 160)} [${r.body.kind}, auth ${r.auth}, origin ${r.origin}, ${r.type}] → ${res.status} ${text.slice(0, 300)}`;

  expect(DOCUMENTED.has(res.status), `${context}: not a documented status`).toBe(true);
  expect(res.headers.get('Set-Cookie'), context).toBeNull();
  let code: string | undefined;
  if (res.status >= 400) code = expectErrorBody(text, context);
  else if (res.status !== 204) expect(() => JSON.parse(text), context).not.toThrow();
  if (route.method === 'DELETE' && res.status === 204 && r.auth === 'live') current = undefined; // signed out: sign in again next time

  // Decided before any handler runs, so exact.
  const bytes = data === null ? 0 : bytesOf(data).byteLength;
  const routed = /^[a-z0-9-]+$/.test(r.business) && (id === '' || /^[\w-]{1,200}$/.test(id));
  if (bytes > MAX_BODY_BYTES) expect([res.status, code], context).toEqual([413, 'payload_too_large']);
  else if (bytes > 0 && mediaType(r.type) !== 'application/json') expect([res.status, code], context).toEqual([415, 'unsupported_media_type']);
  else if (bytes > 0 && !parses(data!) && routed && r.business === BUSINESS && JSON_BODY.has(routeName(route)) && (r.origin === null || r.origin === ALLOWED_ORIGIN) && (PUBLIC.has(routeName(route)) || r.auth === 'live')) {
    expect([res.status, code], context).toEqual([400, 'invalid_json']);
  }
  // A session of another business never opens this one's portal; a foreign origin never gets in.
  if (routed && r.business === BUSINESS && r.origin !== null && r.origin !== ALLOWED_ORIGIN && bytes <= MAX_BODY_BYTES && (bytes === 0 || mediaType(r.type) === 'application/json')) {
    expect(res.status, context).toBe(403);
  }
  if (r.business === BUSINESS && !PUBLIC.has(routeName(route)) && r.auth !== 'live' && res.status < 400) {
    throw new Error(`${context}: answered without a session of this business`);
  }
  expectPrototypesUntouched();
  return { status: res.status, ...(code ? { code } : {}) };
}

// ---- Tests ----

describe('D4: fuzzing every widget API route', () => {
  it('finds the widget routes in the app', () => {
    expect(routes.map(routeName)).toEqual(expect.arrayContaining([...MUST_SUCCEED]));
  });

  it.each(routes.map((r) => [routeName(r), r] as const))(
    '%s answers random, wrong, huge, deep and polluting input with 2xx or a documented 4xx',
    async (_name, route) => {
      const statuses = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.record({ body: bodies(route), query, business: businessParam, id: idParam, auth, origin, type: contentType, ip }),
          async (r) => {
            const { status, code } = await check(route, r);
            const key = `${status}${code ? ` ${code}` : ''}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
          },
        ),
        { numRuns: NUM_RUNS },
      );
      if (process.env.FUZZ_STATS) console.log(routeName(route), JSON.stringify(Object.fromEntries(statuses)));
      if (MUST_SUCCEED.has(routeName(route))) {
        const succeeded = [...statuses].filter(([key]) => key.startsWith('2')).reduce((n, [, count]) => n + count, 0);
        expect(succeeded, `no request succeeded: ${JSON.stringify(Object.fromEntries(statuses))}`).toBeGreaterThan(0);
      }
    },
    60_000,
  );
});
