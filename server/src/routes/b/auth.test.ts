// The widget's sign-in API (SPEC §3.1–3.2, §9; SECURITY L1–L8, L10, S1–S3, E1), driven over HTTP
// exactly as the embedded portal calls it. Time moves with the harness's ManualClock, never by
// sleeping; `X-Forwarded-For` (trusted by the harness) decides the client IP for per-IP limits.
import fc from 'fast-check';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { sha256 } from '../../lib/crypto';
import type { Deps } from '../../services/deps';
import type { OutboxEmail } from '../../store/types';
import { createHarness, expectJson, type Harness } from '../../../test/harness';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ACME_PORTAL = 'https://acme.test/portal';
const BRAVO_HOSTED = 'https://portal.test/p/bravo';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

let h: Harness;
/** Dana, a customer of acme with a primary and a second email. */
let dana: string;
/** Zoe, a customer of bravo (not of acme). */
let zoe: string;
/** Outbox ids already looked at: `newMail()` returns only what was queued since. */
let seen: Set<string>;
let ipSeq = 0;

beforeEach(async () => {
  h = await createHarness();
  seen = new Set();
  dana = (
    await expectJson(
      h.admin('POST', '/v1/admin/customers', {
        name: 'Dana Rivera',
        emails: [{ address: 'dana@example.com', primary: true }, { address: 'dana.work@example.com' }],
        phone: '+1 555 0100',
        addresses: [{ line1: '12 Elm St', city: 'Springfield', region: 'IL', postalCode: '62701' }],
      }),
      201,
    )
  ).id;
  zoe = (await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Zoe Park', email: 'zoe@example.net' }, h.keyB), 201)).id;
});
afterEach(() => h.close());

/** A fresh client IP per call unless one is given, so per-IP limits only bite where a test means them to. */
const freshIp = () => {
  ipSeq++;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
};

interface CallOptions {
  body?: unknown;
  ip?: string;
  bearer?: string;
  headers?: Record<string, string>;
  /** Absolute URL to send to (hostile host tests); the path otherwise. */
  url?: string;
}

/** One widget API request. Every customer-facing response is checked for cookies (S1). */
async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'X-Forwarded-For': options.ip ?? freshIp(), ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.bearer !== undefined) headers['Authorization'] = `Bearer ${options.bearer}`;
  const res = await h.app.request(options.url ?? path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  expect(res.headers.get('Set-Cookie'), `${method} ${path} set a cookie`).toBeNull();
  return res;
}

const requestLink = (email: string, options: Omit<CallOptions, 'body'> & { business?: string } = {}) =>
  call('POST', `/v1/b/${options.business ?? 'acme'}/login-links`, { ...options, body: { email } });

const exchange = (token: string, options: Omit<CallOptions, 'body'> & { business?: string } = {}) =>
  call('POST', `/v1/b/${options.business ?? 'acme'}/sessions`, { ...options, body: { token } });

/** Emails queued (for any business) since the last call. */
async function newMail(): Promise<OutboxEmail[]> {
  const all = [...(await h.store.listOutbox('acme')), ...(await h.store.listOutbox('bravo')), ...(await h.store.listOutbox(null))];
  const fresh = all.filter((m) => !seen.has(m.id));
  for (const m of fresh) seen.add(m.id);
  return fresh;
}

/** Exactly one new email, to `to`. */
async function oneNewMailTo(to: string): Promise<OutboxEmail> {
  const fresh = await newMail();
  expect(fresh.map((m) => m.to)).toEqual([to]);
  return fresh[0]!;
}

/** Every sign-in link in an email (text and HTML parts), split into base URL and token. */
function linksIn(mail: OutboxEmail): { base: string; token: string }[] {
  const found = new Map<string, { base: string; token: string }>();
  for (const part of [mail.text ?? '', mail.html ?? '']) {
    for (const m of part.matchAll(/([^\s"'<>]*)#portal-token=([^\s"'<>&]*)/g)) found.set(m[0], { base: m[1]!, token: m[2]! });
  }
  return [...found.values()];
}

/** The one link of an email, asserting its base and the token's shape. */
function tokenIn(mail: OutboxEmail, base = ACME_PORTAL): string {
  const links = linksIn(mail);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(link.base).toBe(base);
  const tokens = new Set(links.map((l) => l.token));
  expect(tokens.size).toBe(1);
  const token = [...tokens][0]!;
  expect(token).toMatch(TOKEN_SHAPE);
  expect(mail.text).toContain(`${base}#portal-token=${token}`);
  return token;
}

/** Requests a login link for a customer's address and returns the token it emailed. */
async function loginToken(email = 'dana@example.com', business = 'acme', base = ACME_PORTAL): Promise<string> {
  await newMail();
  expect((await requestLink(email, { business })).status).toBe(202);
  return tokenIn(await oneNewMailTo(email), base);
}

/** An invitation through the admin API (no rate limits apply) and the token it emailed. */
async function invitationToken(customerId = dana, body: { email?: string } = {}): Promise<string> {
  await newMail();
  const invitation = await expectJson(h.admin('POST', `/v1/admin/customers/${customerId}/invitations`, body), 201);
  return tokenIn(await oneNewMailTo(invitation.email));
}

/** Signs in and returns the session token. */
async function signIn(token: string, business = 'acme'): Promise<string> {
  const body = await expectJson(exchange(token, { business }), 201);
  return body.session.token as string;
}

const count = async (table: string, where = '1 = 1', ...params: unknown[]) =>
  (await h.query<{ n: number }>(`select count(*) as n from ${table} where ${where}`, ...params))[0]!.n;

const rows = (sql: string, ...params: unknown[]) => h.query(sql, ...params);

async function errorOf(res: Response, status: number) {
  const body = await expectJson(res, status);
  expect(body).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
  return body.error as { code: string; message: string; [k: string]: unknown };
}

/** Headers as a plain object without Date, for byte-for-byte comparison. */
const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name.toLowerCase() !== 'date'));

/** Serves the same database from a new store and app, as a restarted process would. */
async function restart(): Promise<void> {
  const store = await h.openStore();
  const deps: Deps = { ...h.deps, store };
  const app = createApp(deps, { distDir: join(h.dir, 'dist') });
  h = {
    ...h,
    store,
    deps,
    app,
    admin(method, path, body, key = h.keyA) {
      const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      return Promise.resolve(app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
  };
}

describe('public profile', () => {
  it('GET /v1/b/:business shows branding, the portal URL, language and features', async () => {
    const profile = await expectJson(call('GET', '/v1/b/acme'), 200);
    expect(profile).toMatchObject({
      id: 'acme',
      name: 'Acme Plumbing',
      brandColor: '#0f766e',
      portalUrl: ACME_PORTAL,
      language: 'en',
      features: { payments: false, messaging: false },
    });

    await expectJson(h.admin('PATCH', '/v1/admin/settings', { brandColor: '#1D4ED8', language: 'es', messagingEnabled: true, paymentsEnabled: true, phone: '+1 555 0199' }), 200);
    expect(await expectJson(call('GET', '/v1/b/acme'), 200)).toMatchObject({
      brandColor: '#1d4ed8',
      language: 'es',
      phone: '+1 555 0199',
      features: { payments: true, messaging: true },
    });
    // Nothing internal is public.
    expect(JSON.stringify(profile)).not.toMatch(/notificationEmail|allowedOrigins|stripe|owner@acme/);
  });

  it('a business without a portal URL points at the hosted page', async () => {
    expect(await expectJson(call('GET', '/v1/b/bravo'), 200)).toMatchObject({ name: 'Bravo HVAC', portalUrl: BRAVO_HOSTED });
  });

  it('an unknown business is a 404 with the error shape', async () => {
    const error = await errorOf(await call('GET', '/v1/b/nope'), 404);
    expect(error.code).toBe('not_found');
    expect((await call('POST', '/v1/b/nope/login-links', { body: { email: 'dana@example.com' } })).status).toBe(404);
    expect(await newMail()).toEqual([]);
  });
});

describe('login-link requests (L6: no user enumeration)', () => {
  it('answers a customer, a stranger and another business’s customer byte for byte alike; only the customer gets mail', async () => {
    const origin = { Origin: 'https://acme.test' };
    const customer = await requestLink('dana@example.com', { headers: origin });
    const stranger = await requestLink('nobody@example.com', { headers: origin });
    const otherBusiness = await requestLink('zoe@example.net', { headers: origin });

    const bodies = await Promise.all([customer, stranger, otherBusiness].map((r) => r.text()));
    for (const res of [customer, stranger, otherBusiness]) expect(res.status).toBe(202);
    expect(bodies[1]).toBe(bodies[0]);
    expect(bodies[2]).toBe(bodies[0]);
    expect(headersOf(stranger)).toEqual(headersOf(customer));
    expect(headersOf(otherBusiness)).toEqual(headersOf(customer));
    expect(JSON.parse(bodies[0]!)).toEqual({ status: 'accepted', message: expect.any(String) });

    const mail = await oneNewMailTo('dana@example.com');
    expect(mail.businessId).toBe('acme');
    expect(mail.kind).toBe('login_link');
    expect(mail.subject).toBe('Your sign-in link for Acme Plumbing');
    expect(mail.html).toContain('Login to Customer Portal');
    tokenIn(mail, ACME_PORTAL);
  });

  it('matches addresses case-insensitively', async () => {
    expect((await requestLink('  Dana@Example.COM ')).status).toBe(202);
    tokenIn(await oneNewMailTo('dana@example.com'));
  });

  it('links of a business without a portal URL go to the hosted page', async () => {
    await loginToken('zoe@example.net', 'bravo', BRAVO_HOSTED);
  });

  it('an invalid email is a 400 and sends nothing', async () => {
    for (const email of ['not-an-email', '', 'dana@', '@example.com', 'a'.repeat(250) + '@example.com']) {
      const error = await errorOf(await requestLink(email), 400);
      expect(error.code).toBe('invalid_body');
    }
    for (const body of [{}, { email: 'dana@example.com', extra: 1 }, { email: 42 }]) {
      expect((await call('POST', '/v1/b/acme/login-links', { body })).status).toBe(400);
    }
    expect(await newMail()).toEqual([]);
  });
});

describe('link base (L8: only the registered portal URL)', () => {
  // There is no `return_to` parameter in this API (the strict body schema refuses one, below), so
  // the half of L8 about keeping only same-origin relative return paths has nothing to act on here.
  const hostile = [
    'evil.com',
    '//evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    'javascript:alert(1)',
    'https://evil.com',
    'https://evil.com/portal',
    '%2F%2Fevil.com',
    '%252F%252Fevil.com',
    '/%5Cevil.com',
    'https:%2F%2Fevil.com',
    'acme.test.evil.com',
    'acme.test@evil.com',
    'evil.com:443',
    'localhost:8787',
    'portal.test',
    '127.0.0.1',
    'null',
  ];
  const hostileValue = fc.oneof(fc.constantFrom(...hostile), fc.domain(), fc.webUrl());

  it('hostile Host, X-Forwarded-Host, Origin and Referer never change the link', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          urlHost: fc.oneof(fc.constant('localhost'), fc.domain()),
          host: hostileValue,
          forwardedHost: hostileValue,
          forwardedProto: fc.constantFrom('http', 'https', 'javascript'),
          origin: fc.option(fc.oneof(fc.constant('allowed'), hostileValue), { nil: undefined }),
          referer: hostileValue,
          business: fc.constantFrom('acme', 'bravo'),
        }),
        async (v) => {
          // A new hour: neither the per-email nor the per-IP window remembers the previous run.
          h.clock.advance(HOUR + SECOND);
          await newMail();
          const headers: Record<string, string> = {
            Host: v.host,
            'X-Forwarded-Host': v.forwardedHost,
            'X-Forwarded-Proto': v.forwardedProto,
            Referer: v.referer,
          };
          // acme's own site, or for bravo (no website) the hosted page on our origin.
          const allowedOrigin = v.business === 'acme' ? 'https://acme.test' : 'https://portal.test';
          const origin = v.origin === 'allowed' ? allowedOrigin : v.origin;
          if (origin !== undefined) headers['Origin'] = origin;
          const email = v.business === 'acme' ? 'dana@example.com' : 'zoe@example.net';
          const res = await requestLink(email, { business: v.business, headers, url: `http://${v.urlHost}/v1/b/${v.business}/login-links` });
          const mail = await newMail();
          if (res.status === 403) {
            // A foreign Origin is refused before anything happens.
            expect(origin).toBeDefined();
            expect(origin).not.toBe(allowedOrigin);
            expect(mail).toEqual([]);
            return;
          }
          expect(res.status).toBe(202);
          expect(mail).toHaveLength(1);
          tokenIn(mail[0]!, v.business === 'acme' ? ACME_PORTAL : BRAVO_HOSTED);
          expect(`${mail[0]!.text}${mail[0]!.html}`).not.toMatch(/evil/);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the fresh link sent for an expired one ignores hostile headers too', async () => {
    const token = await loginToken();
    h.clock.advance(HOUR + SECOND);
    const res = await exchange(token, { headers: { Host: 'evil.com', 'X-Forwarded-Host': '//evil.com', Referer: 'https://evil.com/' }, url: 'http://evil.com/v1/b/acme/sessions' });
    expect((await errorOf(res, 410)).resent).toBe(true);
    tokenIn(await oneNewMailTo('dana@example.com'), ACME_PORTAL);
  });

  it('a return_to (or any other field) is refused, not followed', async () => {
    for (const body of [{ email: 'dana@example.com', return_to: '//evil.com' }, { email: 'dana@example.com', returnTo: '/invoices' }, { email: 'dana@example.com', portalUrl: 'https://evil.com' }]) {
      expect((await call('POST', '/v1/b/acme/login-links', { body })).status).toBe(400);
    }
    expect(await newMail()).toEqual([]);
  });
});

describe('tokens at rest (L1, shape)', () => {
  it('200 link and session tokens are distinct 43-character base64url strings stored only as SHA-256', async () => {
    const linkTokens: string[] = [];
    for (let i = 0; i < 200; i++) linkTokens.push(await invitationToken());
    const sessionTokens: string[] = [];
    for (const token of linkTokens) sessionTokens.push(await signIn(token));

    for (const token of [...linkTokens, ...sessionTokens]) expect(token).toMatch(TOKEN_SHAPE);
    expect(new Set([...linkTokens, ...sessionTokens]).size).toBe(400);

    const linkHashes = (await rows('select token_hash from link_tokens')).map((r) => r['token_hash']);
    const sessionHashes = (await rows('select token_hash from sessions')).map((r) => r['token_hash']);
    for (const hash of [...linkHashes, ...sessionHashes]) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(linkHashes)).toEqual(new Set(linkTokens.map(sha256)));
    expect(new Set(sessionHashes)).toEqual(new Set(sessionTokens.map(sha256)));

    // No column of the token tables holds a raw token.
    const tokenTables = JSON.stringify([...(await rows('select * from link_tokens')), ...(await rows('select * from sessions')), ...(await rows('select * from invitations'))]);
    for (const token of [...linkTokens, ...sessionTokens]) expect(tokenTables.includes(token)).toBe(false);

    // Session tokens are never written anywhere: not in the database file nor its WAL (SQLite:
    // PostgreSQL's files belong to its server, and the tables above are what it stores).
    const files = h.dbPath ? [h.dbPath, `${h.dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f)) : [];
    if (h.dbPath) expect(files.length).toBeGreaterThan(0);
    for (const token of sessionTokens) {
      for (const bytes of files) expect(bytes.includes(token)).toBe(false);
    }
    // …whereas their hashes are, so the search above does look at real data.
    if (h.dbPath) expect(files.some((bytes) => bytes.includes(sha256(sessionTokens[0]!)))).toBe(true);
  });
});

describe('exchanging a link (L2, L3, L4)', () => {
  it('returns a session and the customer, and the session opens /me', async () => {
    const token = await loginToken();
    const body = await expectJson(exchange(token), 201);
    expect(body).toMatchObject({
      session: { token: expect.stringMatching(TOKEN_SHAPE), expiresAt: new Date(h.clock.now() + 30 * DAY).toISOString() },
      customer: { id: dana, name: 'Dana Rivera', email: 'dana@example.com' },
    });
    const me = await expectJson(call('GET', '/v1/b/acme/me', { bearer: body.session.token }), 200);
    expect(me).toEqual(body.customer);
  });

  it('L2: 20 concurrent exchanges of one token → exactly one 201 and one session row', async () => {
    const token = await loginToken();
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 20 }, () => exchange(token, { ip })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 410)).toBe(true);
    expect(await count('sessions')).toBe(1);
    expect(await count('sessions', 'customer_id = ?', dana)).toBe(1);
  });

  it('L3: a login link works 1 s before its 60 minutes are up and not 1 s after', async () => {
    const early = await loginToken();
    h.clock.advance(60 * MINUTE - SECOND);
    expect((await exchange(early)).status).toBe(201);

    h.clock.advance(MINUTE); // past the per-email limit
    const late = await loginToken();
    h.clock.advance(60 * MINUTE + SECOND);
    expect((await errorOf(await exchange(late), 410)).code).toBe('link_expired');
  });

  it('L3: an invitation works 1 s before its 7 days are up and not 1 s after', async () => {
    const created = await expectJson(h.admin('POST', `/v1/admin/customers/${dana}/invitations`, {}), 201);
    expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(7 * DAY);
    const early = tokenIn(await oneNewMailTo('dana@example.com'));
    const late = await invitationToken();
    h.clock.advance(7 * DAY - SECOND);
    expect((await exchange(early)).status).toBe(201);
    h.clock.advance(2 * SECOND);
    expect((await errorOf(await exchange(late), 410)).code).toBe('link_expired');
  });

  it('L3: a business setting of 15 minutes shortens login links', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { loginLinkTtlMinutes: 15 }), 200);
    const early = await loginToken();
    h.clock.advance(15 * MINUTE - SECOND);
    expect((await exchange(early)).status).toBe(201);

    h.clock.advance(MINUTE);
    const late = await loginToken();
    h.clock.advance(15 * MINUTE + SECOND);
    expect((await errorOf(await exchange(late), 410)).code).toBe('link_expired');
  });

  it('L4: GET and HEAD with the token in a query string change nothing; the POST still works', async () => {
    const token = await loginToken();
    const mailBefore = await count('email_outbox');
    const paths = [
      `/v1/b/acme?portal-token=${token}`,
      `/v1/b/acme?token=${token}`,
      `/v1/b/acme/sessions?token=${token}`,
      `/v1/b/acme/sessions?portal-token=${token}`,
      `/v1/b/acme/session?token=${token}`,
      `/v1/b/acme/me?token=${token}`,
      `/v1/b/acme/login-links?token=${token}`,
    ];
    for (let i = 0; i < 10; i++) {
      for (const path of paths) {
        for (const method of ['GET', 'HEAD']) {
          const res = await call(method, path);
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          expect(res.status, `${method} ${path}`).not.toBe(201);
        }
      }
    }
    expect(await count('sessions')).toBe(0);
    expect(await count('email_outbox')).toBe(mailBefore);
    expect(await count('link_tokens', 'token_hash = ? and used_at is null', sha256(token))).toBe(1);
    expect(await newMail()).toEqual([]);

    expect((await exchange(token)).status).toBe(201);
  });

  it('an unknown token is a 401 invalid_link and sends nothing', async () => {
    for (const token of ['nope', 'A'.repeat(43), sha256('x')]) {
      expect((await errorOf(await exchange(token), 401)).code).toBe('invalid_link');
    }
    expect(await newMail()).toEqual([]);
  });

  it('a link of one business is unknown at another, and stays usable at its own', async () => {
    const token = await loginToken();
    expect((await errorOf(await exchange(token, { business: 'bravo' }), 401)).code).toBe('invalid_link');
    expect(await newMail()).toEqual([]);
    expect((await exchange(token)).status).toBe(201);
  });

  it('a bad exchange body is a 400', async () => {
    for (const body of [{}, { token: '' }, { token: 'x'.repeat(201) }, { token: 5 }]) {
      expect((await call('POST', '/v1/b/acme/sessions', { body })).status).toBe(400);
    }
  });
});

describe('expired or used links (L5)', () => {
  it('emails a fresh link to the address on file, at most 1 per 60 s and 5 per hour; the old token stays dead', async () => {
    const old = await loginToken();
    h.clock.advance(HOUR + SECOND);

    const first = await errorOf(await exchange(old), 410);
    expect(first).toMatchObject({ code: 'link_expired', maskedEmail: 'd•••@example.com', resent: true });
    const fresh1 = await oneNewMailTo('dana@example.com');
    expect(fresh1.subject).toBe('A new sign-in link for Acme Plumbing');
    const fresh1Token = tokenIn(fresh1);

    // An address in the request is refused by the strict schema, and nothing is sent anywhere.
    const smuggled = await call('POST', '/v1/b/acme/sessions', { body: { token: old, email: 'attacker@evil.com' } });
    expect((await errorOf(smuggled, 400)).code).toBe('invalid_body');
    expect(await newMail()).toEqual([]);

    // A second try within 60 s: the same answer, no mail.
    h.clock.advance(30 * SECOND);
    expect(await errorOf(await exchange(old), 410)).toMatchObject({ code: 'link_expired', maskedEmail: 'd•••@example.com', resent: false });
    expect(await newMail()).toEqual([]);

    // While the fresh link is unused it is the one to use: no other is sent (it would supersede it).
    h.clock.advance(61 * SECOND);
    expect(await errorOf(await exchange(old), 410)).toMatchObject({ code: 'link_expired', maskedEmail: 'd•••@example.com', resent: false });
    expect(await newMail()).toEqual([]);

    // Once each fresh link is used, trying the dead one sends another: 5 in the hour, then none.
    expect((await exchange(fresh1Token)).status).toBe(201);
    for (let i = 2; i <= 5; i++) {
      h.clock.advance(61 * SECOND);
      expect((await errorOf(await exchange(old), 410)).resent, `resend ${i}`).toBe(true);
      expect((await exchange(tokenIn(await oneNewMailTo('dana@example.com')))).status).toBe(201);
    }
    h.clock.advance(61 * SECOND);
    expect(await errorOf(await exchange(old), 410)).toMatchObject({ code: 'link_expired', resent: false });
    expect(await newMail()).toEqual([]);
    expect((await exchange(old)).status).toBe(410);
    expect(await count('sessions')).toBe(5);
  });

  it('a used link behaves like an expired one', async () => {
    const token = await loginToken();
    await signIn(token);
    const again = await errorOf(await exchange(token), 410);
    expect(again).toMatchObject({ code: 'link_expired', maskedEmail: 'd•••@example.com', resent: true });
    const fresh = tokenIn(await oneNewMailTo('dana@example.com'));
    h.clock.advance(10 * SECOND);
    expect(await errorOf(await exchange(token), 410)).toMatchObject({ resent: false });
    expect(await newMail()).toEqual([]);
    expect((await exchange(fresh)).status).toBe(201);
    expect(await count('sessions')).toBe(2);
  });

  it('a fresh link goes to the address the old one went to while it is on file, else the primary', async () => {
    const work = await invitationToken(dana, { email: 'dana.work@example.com' });
    h.clock.advance(7 * DAY + SECOND);
    expect(await errorOf(await exchange(work), 410)).toMatchObject({ maskedEmail: 'd•••@example.com', resent: true });
    await oneNewMailTo('dana.work@example.com');

    // The business replaces Dana's addresses: the fresh link follows the file, not the old link.
    const old = await loginToken('dana@example.com');
    await expectJson(h.admin('PATCH', `/v1/admin/customers/${dana}`, { emails: [{ address: 'rivera@example.org', primary: true }] }), 200);
    h.clock.advance(HOUR + SECOND);
    expect(await errorOf(await exchange(old), 410)).toMatchObject({ maskedEmail: 'r•••@example.org', resent: true });
    await oneNewMailTo('rivera@example.org');
  });
});

describe('rate limits (L7)', () => {
  it('per IP: the 6th link request in a minute is a 429 with Retry-After; another IP still gets through', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < 5; i++) expect((await requestLink(`person${i}@example.com`, { ip })).status).toBe(202);
    const limited = await requestLink('dana@example.com', { ip, headers: { Origin: 'https://acme.test' } });
    const retryAfter = limited.headers.get('Retry-After');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(limited.headers.get('Access-Control-Expose-Headers')).toMatch(/Retry-After/i);
    const error = await errorOf(limited, 429);
    expect(error.code).toBe('rate_limited');
    expect(await newMail()).toEqual([]);

    expect((await requestLink('dana@example.com', { ip: '203.0.113.8' })).status).toBe(202);
    await oneNewMailTo('dana@example.com');

    h.clock.advance(Number(retryAfter) * SECOND);
    expect((await requestLink('someone@example.com', { ip })).status).toBe(202);
  });

  it('windows slide: two requests a second apart across a clock minute send one email', async () => {
    h.clock.set('2026-01-15T12:00:59.500Z');
    expect((await requestLink('dana@example.com')).status).toBe(202);
    await oneNewMailTo('dana@example.com');
    h.clock.set('2026-01-15T12:01:00.500Z');
    expect((await requestLink('dana@example.com')).status).toBe(202);
    expect(await newMail()).toEqual([]);
    h.clock.set('2026-01-15T12:02:00.000Z');
    expect((await requestLink('dana@example.com')).status).toBe(202);
    await oneNewMailTo('dana@example.com');
  });

  it('per email: a second request within a minute answers the same 202 and sends nothing; 5 per hour', async () => {
    const first = await requestLink('dana@example.com');
    await oneNewMailTo('dana@example.com');
    h.clock.advance(30 * SECOND);
    const second = await requestLink('dana@example.com');
    expect(second.status).toBe(202);
    expect(await second.text()).toBe(await first.text());
    expect(headersOf(second)).toEqual(headersOf(first));
    expect(await newMail()).toEqual([]);

    for (let i = 2; i <= 5; i++) {
      h.clock.advance(61 * SECOND);
      expect((await requestLink('dana@example.com')).status).toBe(202);
      await oneNewMailTo('dana@example.com');
    }
    h.clock.advance(61 * SECOND);
    expect((await requestLink('dana@example.com')).status).toBe(202);
    expect(await newMail()).toEqual([]);
    // The other address of the same customer is counted on its own.
    expect((await requestLink('dana.work@example.com')).status).toBe(202);
    await oneNewMailTo('dana.work@example.com');
  });

  it('per IP: the 31st exchange in a minute is a 429 and does not consume the link', async () => {
    const token = await loginToken();
    const ip = '203.0.113.9';
    for (let i = 0; i < 30; i++) expect((await errorOf(await exchange(`bogus-${i}`, { ip }), 401)).code).toBe('invalid_link');
    const limited = await exchange(token, { ip });
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await errorOf(limited, 429)).code).toBe('rate_limited');
    expect(await count('sessions')).toBe(0);
    expect((await exchange(token, { ip: '203.0.113.10' })).status).toBe(201);
  });

  it('counters live in the database and survive a restart', async () => {
    const ip = '203.0.113.11';
    for (let i = 0; i < 4; i++) expect((await requestLink(`person${i}@example.com`, { ip })).status).toBe(202);
    expect((await requestLink('dana@example.com', { ip })).status).toBe(202);
    await oneNewMailTo('dana@example.com');
    for (let i = 0; i < 30; i++) await exchange(`bogus-${i}`, { ip });

    await restart();

    expect((await requestLink('someone@example.com', { ip })).status).toBe(429);
    expect((await exchange('bogus', { ip })).status).toBe(429);
    // The per-email minute is remembered too: the same 202, no mail.
    expect((await requestLink('dana@example.com')).status).toBe(202);
    expect(await newMail()).toEqual([]);
    // And the restarted server works.
    h.clock.advance(MINUTE);
    expect((await requestLink('dana@example.com', { ip })).status).toBe(202);
    expect((await exchange(tokenIn(await oneNewMailTo('dana@example.com')))).status).toBe(201);
  });
});

describe('superseding (L10)', () => {
  it('a newer login link supersedes the older one; an invitation is unaffected', async () => {
    const invitation = await invitationToken();
    const a = await loginToken();
    h.clock.advance(61 * SECOND);
    const b = await loginToken();
    expect(a).not.toBe(b);

    expect((await exchange(b)).status).toBe(201);
    expect((await errorOf(await exchange(a), 410)).code).toBe('link_expired');
    expect((await exchange(invitation)).status).toBe(201);
  });

  it('trying A first answers 410 without superseding B, which still works', async () => {
    const a = await loginToken();
    h.clock.advance(61 * SECOND);
    const b = await loginToken();
    expect(await errorOf(await exchange(a), 410)).toMatchObject({ code: 'link_expired', maskedEmail: 'd•••@example.com', resent: false });
    expect(await newMail()).toEqual([]);
    expect((await exchange(b)).status).toBe(201);
  });
});

describe('sessions (S1–S3)', () => {
  it('S1: the session is bound to its business; /me is the customer’s own data', async () => {
    const session = await signIn(await loginToken());
    const me = await expectJson(call('GET', '/v1/b/acme/me', { bearer: session }), 200);
    expect(me).toEqual({
      id: dana,
      name: 'Dana Rivera',
      email: 'dana@example.com',
      emails: [
        { address: 'dana@example.com', primary: true },
        { address: 'dana.work@example.com', primary: false },
      ],
      phone: '+1 555 0100',
      addresses: [{ line1: '12 Elm St', city: 'Springfield', region: 'IL', postalCode: '62701' }],
    });

    expect((await errorOf(await call('GET', '/v1/b/bravo/me', { bearer: session }), 401)).code).toBe('unauthorized');
    expect((await call('DELETE', '/v1/b/bravo/session', { bearer: session })).status).toBe(401);
    // …and it still works at acme.
    expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status).toBe(200);

    const zoeSession = await signIn(await loginToken('zoe@example.net', 'bravo', BRAVO_HOSTED), 'bravo');
    expect((await expectJson(call('GET', '/v1/b/bravo/me', { bearer: zoeSession }), 200)).id).toBe(zoe);
    expect((await call('GET', '/v1/b/acme/me', { bearer: zoeSession })).status).toBe(401);
  });

  it('S1: no credentials, a malformed header or a made-up token → 401', async () => {
    const cases: Record<string, string>[] = [{}, { Authorization: 'Bearer' }, { Authorization: 'Basic abc' }, { Authorization: `Bearer ${'A'.repeat(43)}` }];
    for (const headers of cases) {
      expect((await call('GET', '/v1/b/acme/me', { headers })).status).toBe(401);
    }
  });

  it('S2: a session used every 6 days outlives 7 days but ends at 30 days', async () => {
    const session = await signIn(await invitationToken());
    for (let day = 6; day <= 24; day += 6) {
      h.clock.advance(6 * DAY);
      expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status, `day ${day}`).toBe(200);
    }
    h.clock.advance(6 * DAY - SECOND); // 30 days − 1 s after sign-in
    expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status).toBe(200);
    h.clock.advance(2 * SECOND);
    expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status).toBe(401);
  });

  it('S2: an unused session ends 7 days after sign-in', async () => {
    const unused = await signIn(await invitationToken());
    const idle = await signIn(await invitationToken());
    h.clock.advance(7 * DAY - SECOND);
    expect((await call('GET', '/v1/b/acme/me', { bearer: idle })).status).toBe(200);
    h.clock.advance(2 * SECOND);
    expect((await call('GET', '/v1/b/acme/me', { bearer: unused })).status).toBe(401);
  });

  it('S2: the idle limit slides at most once a day', async () => {
    const session = await signIn(await invitationToken());
    const signedInAt = h.clock.now();
    const idleLimit = async () => (await rows('select idle_expires_at from sessions where token_hash = ?', sha256(session)))[0]!['idle_expires_at'];
    expect(await idleLimit()).toBe(signedInAt + 7 * DAY);
    h.clock.advance(HOUR);
    expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status).toBe(200);
    expect(await idleLimit()).toBe(signedInAt + 7 * DAY);
    h.clock.advance(DAY);
    expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status).toBe(200);
    expect(await idleLimit()).toBe(h.clock.now() + 7 * DAY);
  });

  it('S3: signing out deletes the session', async () => {
    const session = await signIn(await loginToken());
    const other = await signIn(await invitationToken());
    expect((await call('DELETE', '/v1/b/acme/session', { bearer: session })).status).toBe(204);
    expect(await count('sessions')).toBe(1);
    expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status).toBe(401);
    expect((await call('DELETE', '/v1/b/acme/session', { bearer: session })).status).toBe(401);
    // Only that session ended.
    expect((await call('GET', '/v1/b/acme/me', { bearer: other })).status).toBe(200);
  });

  it('S3: disabling a customer revokes their sessions and links at once', async () => {
    const session = await signIn(await invitationToken());
    const unusedInvitation = await invitationToken();
    const unusedLogin = await loginToken();
    await expectJson(h.admin('PATCH', `/v1/admin/customers/${dana}`, { disabled: true }), 200);

    expect((await call('GET', '/v1/b/acme/me', { bearer: session })).status).toBe(401);
    for (const token of [unusedInvitation, unusedLogin]) {
      expect((await errorOf(await exchange(token), 401)).code).toBe('invalid_link');
    }
    expect(await count('sessions')).toBe(0);
    expect(await newMail()).toEqual([]);

    h.clock.advance(HOUR);
    expect((await requestLink('dana@example.com')).status).toBe(202);
    expect(await newMail()).toEqual([]);
  });
});

describe('CORS (E1)', () => {
  const preflight = (origin: string, business = 'acme') =>
    call('OPTIONS', `/v1/b/${business}/login-links`, {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });

  beforeEach(async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { allowedOrigins: ['https://bravo.test'] }, h.keyB), 200);
  });

  it('a preflight from an allowed origin gets that exact origin back, Vary: Origin and no credentials', async () => {
    const res = await preflight('https://acme.test');
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://acme.test');
    expect(res.headers.get('Vary')).toMatch(/\bOrigin\b/);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(res.headers.get('Access-Control-Allow-Methods')).toMatch(/POST/);
    expect(res.headers.get('Access-Control-Allow-Headers')).toMatch(/content-type/i);
    expect(res.headers.get('Access-Control-Allow-Headers')).toMatch(/authorization/i);

    const bravo = await preflight('https://bravo.test', 'bravo');
    expect(bravo.status).toBe(204);
    expect(bravo.headers.get('Access-Control-Allow-Origin')).toBe('https://bravo.test');
  });

  it.each([
    'https://bravo.test',
    'null',
    'https://acme.test.evil.com',
    'https://acme.tes',
    'https://evilacme.test',
    'https://www.acme.test',
    'https://acme.test:8443',
    'http://acme.test',
    'https://acme.test/',
    'HTTPS://ACME.TEST',
    '*',
    '',
  ])('a preflight from %j is a 403 without ACAO', async (origin) => {
    const res = await preflight(origin);
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect((await errorOf(res, 403)).code).toBe('origin_not_allowed');
  });

  it('writes with a foreign Origin are refused and queue nothing', async () => {
    for (const origin of ['https://bravo.test', 'https://acme.test.evil.com', 'null']) {
      const res = await requestLink('dana@example.com', { headers: { Origin: origin } });
      expect(res.status).toBe(403);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    }
    expect(await newMail()).toEqual([]);
    const token = await loginToken();
    expect((await exchange(token, { headers: { Origin: 'https://bravo.test' } })).status).toBe(403);
    expect(await count('sessions')).toBe(0);
    expect((await exchange(token, { headers: { Origin: 'https://acme.test' } })).status).toBe(201);
  });

  it('the server’s own origin (the hosted page) is allowed for every business', async () => {
    for (const business of ['acme', 'bravo']) {
      const res = await preflight('https://portal.test', business);
      expect(res.status).toBe(204);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://portal.test');
    }
    const res = await requestLink('dana@example.com', { headers: { Origin: 'https://portal.test' } });
    expect(res.status).toBe(202);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://portal.test');
    await oneNewMailTo('dana@example.com');
  });
});
