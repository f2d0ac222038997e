// Several API processes on one database (SPEC §8): two real servers share the database under test
// (PostgreSQL in the postgres project, the same SQLite file otherwise), requests alternate between
// them, and sign-in behaves exactly as with one process: a link opens one session however many
// processes race to exchange it, rate limits count across processes, and every queued email is
// sent once although both processes run an outbox worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/lib/clock';
import { createBusiness } from '../src/services/businesses';
import { createTestDatabase, type TestDatabase } from './database';
import { FakeResend } from './fake-resend';
import { freePort, startServer, type RunningServer } from './server-process';
import { freshIp } from './sign-in';

const BUSINESS = 'multi';
const resend = new FakeResend();
let database: TestDatabase;
let servers: RunningServer[] = [];
let apiKey: string;

beforeAll(async () => {
  const resendUrl = await resend.listen();
  database = await createTestDatabase();
  const created = await createBusiness(
    { store: database.store, clock: systemClock, publicUrl: 'http://127.0.0.1', paymentsConfigured: false },
    { id: BUSINESS, name: 'Multi Plumbing', portalUrl: 'https://multi.test/portal', ownerEmail: 'owner@multi.test' },
  );
  apiKey = created.apiKey.key;
  servers = await Promise.all(
    [0, 1].map(async () => {
      const [port, stripePort] = await Promise.all([freePort(), freePort()]);
      return startServer({
        port,
        timeoutMs: 60_000,
        env: {
          ...database.serverEnv,
          TRUST_PROXY: '1',
          RESEND_API_KEY: 're_test_multi_process',
          RESEND_BASE_URL: resendUrl,
          STRIPE_EMULATOR_PORT: String(stripePort),
        },
      });
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  await resend.close();
  await database?.close();
});

/** The i-th request goes to process i mod 2. */
const base = (i: number) => servers[i % servers.length]!.base;

function admin(i: number, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base(i)}/v1/admin${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function widget(i: number, path: string, body: unknown, ip: string): Promise<Response> {
  return fetch(`${base(i)}/v1/b/${BUSINESS}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify(body),
  });
}

async function addCustomer(i: number, name: string, email: string): Promise<string> {
  const res = await admin(i, '/customers', { name, email });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Waits until the fake Resend has received `n` requests in all. */
async function untilSent(n: number, what: string): Promise<void> {
  for (let i = 0; i < 300 && resend.requests.length < n; i++) await new Promise((r) => setTimeout(r, 100));
  expect(resend.requests.length, what).toBeGreaterThanOrEqual(n);
}

describe('two API processes on one database', () => {
  it('open one session per link, however many processes race to exchange it', async () => {
    await addCustomer(0, 'Rae Racer', 'rae@example.com');
    const sentBefore = resend.requests.length;
    expect((await widget(1, '/login-links', { email: 'rae@example.com' }, freshIp())).status).toBe(202);
    await untilSent(sentBefore + 1, 'the login link email');
    const mail = resend.requests.find((r) => r.body.to === 'rae@example.com' || (Array.isArray(r.body.to) && r.body.to.includes('rae@example.com')));
    const token = /#portal-token=([\w-]{43})/.exec(mail?.body.text ?? '')?.[1];
    expect(token).toBeDefined();

    const attempts = await Promise.all(Array.from({ length: 12 }, (_, i) => widget(i, '/sessions', { token }, freshIp())));
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 410 || s === 401)).toBe(true);
    const sessions = await database.query<{ n: number }>('select count(*) as n from sessions where business_id = ?', BUSINESS);
    expect(sessions[0]!.n).toBe(1);
  });

  it('count rate limits across processes: five link requests a minute per address, not five per process', async () => {
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => widget(i, '/login-links', { email: `nobody${i}@example.com` }, ip)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('send every invitation once, although both processes run the outbox and bulk workers', async () => {
    const ids: string[] = [];
    ids.push(...(await Promise.all(Array.from({ length: 40 }, (_, i) => addCustomer(i, `Bulk Customer ${i}`, `bulk${i}@example.com`)))));
    const started = await admin(1, '/invitations/bulk', { customerIds: ids, background: true });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { jobId: string };

    let state: { status: string; invited?: number } = { status: 'queued' };
    for (let i = 0; i < 300 && state.status !== 'done' && state.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await (await admin(i, `/invitations/bulk/${job.jobId}`)).json()) as typeof state;
    }
    expect(state).toMatchObject({ status: 'done', invited: 40 });

    const outbox = await database.query<{ id: string }>("select id from email_outbox where business_id = ? and kind = 'invitation'", BUSINESS);
    expect(outbox).toHaveLength(40);
    const invitedIds = new Set(outbox.map((e) => e.id));
    for (let i = 0; i < 300; i++) {
      const pending = await database.query<{ n: number }>("select count(*) as n from email_outbox where status <> 'sent'");
      if (pending[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const requestsFor = resend.requests.filter((r) => r.idempotencyKey && invitedIds.has(r.idempotencyKey));
    // Sent once: one request per email, not one delivered after deduped retries.
    expect(requestsFor).toHaveLength(40);
    expect(new Set(requestsFor.map((r) => r.idempotencyKey)).size).toBe(40);
    expect(new Set(requestsFor.map((r) => (Array.isArray(r.body.to) ? r.body.to[0] : r.body.to))).size).toBe(40);
  }, 120_000);
});
