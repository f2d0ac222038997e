// SECURITY D3: every outbox row is delivered exactly once through the real Resend SDK, pointed at
// a fake Resend on 127.0.0.1 that can fail on demand and dedupes by idempotency key as Resend does:
// provider outages are retried with backoff, a worker killed mid-batch loses nothing, and two
// workers never send the same row. L1: once delivered, the body is gone from the outbox rows.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeResend } from '../../test/fake-resend';
import { createTestDatabase, queueTestEmail, type TestDatabase } from '../../test/database';
import { ManualClock } from '../lib/clock';
import { newToken } from '../lib/crypto';
import type { OutboxEmail, Store } from '../store/types';
import { createResendTransport } from './resend';
import type { MailMessage, MailTransport } from './transport';
import { defaultBackoff, OutboxWorker, type OutboxWorkerOptions } from './worker';


// ---- Fixtures ----

const API_KEY = 're_test_0123456789';
const FROM = 'Acme Plumbing <portal@acme.test>';
const LOCK_MS = 60_000;
const HOUR = 60 * 60_000;

const fake = new FakeResend();
let baseUrl: string;
beforeAll(async () => {
  baseUrl = await fake.listen();
});
afterAll(() => fake.close());

let database: TestDatabase;
let store: Store;
let clock: ManualClock;

beforeEach(async () => {
  fake.reset();
  database = await createTestDatabase();
  store = database.store;
  clock = new ManualClock();
});

afterEach(() => database.close());

const resend = () => createResendTransport({ apiKey: API_KEY, baseUrl });

function worker(options: OutboxWorkerOptions = {}, transport: MailTransport = resend(), on: Store = store) {
  return new OutboxWorker({ store: on, transport, clock, from: FROM }, { log: () => {}, ...options });
}

/** Inserts `n` due emails, each carrying its own sign-in token. */
async function enqueue(n: number): Promise<{ id: string; token: string }[]> {
  const emails = Array.from({ length: n }, (_, i) => {
    const token = newToken();
    const id = `eml_${String(i).padStart(3, '0')}_${token.slice(0, 6)}`;
    return { id, token };
  });
  for (const [i, { id, token }] of emails.entries()) {
    await queueTestEmail(database, {
      id,
      to: `customer${i}@example.com`,
      subject: `Your sign-in link #${i}`,
      html: `<p>Sign in: <a href="https://portal.test/p/acme#login=${token}">Sign in</a></p>`,
      text: `Sign in: https://portal.test/p/acme#login=${token}`,
      at: clock.now(),
    });
  }
  return emails;
}

const rows = (): Promise<OutboxEmail[]> => store.listOutbox(null);
const row = async (id: string) => (await rows()).find((email) => email.id === id)!;

/** Runs the worker until a run finds nothing due; returns each run's result. */
async function drain(w: OutboxWorker) {
  const results = [];
  for (let i = 0; i < 100; i++) {
    const result = await w.runOnce();
    results.push(result);
    if (result.sent + result.failed === 0) return results;
  }
  throw new Error('the outbox never drained');
}

/** Every email was received exactly once, under its outbox id, and is recorded as sent. */
async function expectDeliveredOnce(emails: { id: string }[]) {
  expect(fake.delivered.size).toBe(emails.length);
  expect([...fake.delivered.keys()].sort()).toEqual(emails.map((e) => e.id).sort());
  for (const email of emails) {
    const r = await row(email.id);
    expect(r.status).toBe('sent');
    expect(r.providerMessageId).toBe(fake.delivered.get(email.id)!.id);
  }
}

// ---- Tests ----

describe('OutboxWorker with Resend (SECURITY D3)', () => {
  it('delivers 30 emails exactly once each, keyed by outbox id, and erases their bodies', async () => {
    const emails = await enqueue(30);
    const results = await drain(worker());
    expect(results).toEqual([
      { sent: 20, failed: 0 },
      { sent: 10, failed: 0 },
      { sent: 0, failed: 0 },
    ]);

    expect(fake.requests).toHaveLength(30);
    await expectDeliveredOnce(emails);
    for (const [i, email] of emails.entries()) {
      const request = fake.requests.find((r) => r.idempotencyKey === email.id)!;
      expect(request.authorization).toBe(`Bearer ${API_KEY}`);
      expect(request.body).toMatchObject({ from: FROM, to: `customer${i}@example.com`, subject: `Your sign-in link #${i}` });
      expect(request.body.text).toContain(email.token);
      expect(request.body.html).toContain(email.token);
    }

    const all = await rows();
    expect(all.every((r) => r.html === null && r.text === null && r.sentAt === clock.now() && r.lockedUntil === null)).toBe(true);
    const dump = JSON.stringify(await database.query('select * from email_outbox'));
    for (const email of emails) expect(dump).not.toContain(email.token);
  });

  it('retries a provider outage (HTTP 500) with backoff: nothing lost, nothing doubled', async () => {
    const emails = await enqueue(5);
    fake.fail(5, { kind: 'http500' });
    const w = worker();

    expect(await w.runOnce()).toEqual({ sent: 0, failed: 5 });
    expect(fake.delivered.size).toBe(0);
    for (const r of await rows()) {
      expect(r.status).toBe('pending');
      expect(r.attempts).toBe(1);
      expect(r.nextAttemptAt).toBeGreaterThan(clock.now());
      expect(r.nextAttemptAt).toBeLessThanOrEqual(clock.now() + 5_500);
      expect(r.lockedUntil).toBeNull();
      expect(r.lastError).toMatch(/Resend .*500/);
      expect(r.text).not.toBeNull(); // kept until delivered
    }

    // Not due yet: no request at all.
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(fake.requests).toHaveLength(5);

    clock.advance(6_000);
    expect(await w.runOnce()).toEqual({ sent: 5, failed: 0 });
    expect(fake.requests).toHaveLength(10);
    await expectDeliveredOnce(emails);
    expect((await rows()).every((r) => r.lastError === null && r.attempts === 2)).toBe(true);
  });

  it('retries Resend JSON errors over several rounds until every email is in', async () => {
    const emails = await enqueue(5);
    fake.fail(7, { kind: 'json', status: 429, name: 'rate_limit_exceeded', message: 'Too many requests.' });
    const w = worker({ backoff: (attempt) => attempt * 10_000 });

    expect(await w.runOnce()).toEqual({ sent: 0, failed: 5 });
    const first = await rows();
    expect(first.every((r) => r.lastError === 'Resend rate_limit_exceeded (429): Too many requests.')).toBe(true);
    expect(first.every((r) => r.nextAttemptAt === clock.now() + 10_000)).toBe(true);

    clock.advance(10_000);
    expect(await w.runOnce()).toEqual({ sent: 3, failed: 2 });
    clock.advance(20_000);
    expect(await w.runOnce()).toEqual({ sent: 2, failed: 0 });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });

    await expectDeliveredOnce(emails);
    // 7 refused + 5 accepted, and no key accepted twice.
    expect(fake.requests).toHaveLength(12);
  });

  it('does not double an email the provider accepted when its answer was lost', async () => {
    const emails = await enqueue(4);
    fake.fail(4, { kind: 'acceptThenFail' });
    const w = worker();

    expect(await w.runOnce()).toEqual({ sent: 0, failed: 4 });
    clock.advance(HOUR);
    expect(await w.runOnce()).toEqual({ sent: 4, failed: 0 });

    // Each email was posted twice with the same key, and received once.
    expect(fake.requests).toHaveLength(8);
    for (const email of emails) expect(fake.requests.filter((r) => r.idempotencyKey === email.id)).toHaveLength(2);
    await expectDeliveredOnce(emails);
  });

  it("leaves a crashed worker's claimed batch alone until the claim lapses, then sends it once", async () => {
    const emails = await enqueue(6);
    // Another worker claims the batch and dies without sending or marking anything.
    expect(await store.claimOutboxBatch(clock.now(), 20, LOCK_MS)).toHaveLength(6);

    const w = worker({ lockMs: LOCK_MS });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    clock.advance(LOCK_MS - 1);
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(fake.requests).toHaveLength(0);

    clock.advance(1);
    expect(await w.runOnce()).toEqual({ sent: 6, failed: 0 });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(fake.requests).toHaveLength(6);
    await expectDeliveredOnce(emails);
    expect((await rows()).every((r) => r.attempts === 2)).toBe(true);
  });

  it('recovers a worker killed mid-batch right after the provider accepted an email', async () => {
    const emails = await enqueue(10);
    const real = resend();
    let sends = 0;
    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    // Worker A delivers three emails, and dies after Resend accepted the third, before recording it.
    const dying: MailTransport = {
      name: 'dying',
      erasesBody: true,
      async send(message: MailMessage) {
        const result = await real.send(message);
        if (++sends < 3) return result;
        died();
        return new Promise(() => {});
      },
    };
    void worker({ lockMs: LOCK_MS }, dying).runOnce();
    await dead;
    expect(fake.delivered.size).toBe(3);

    const b = worker({ lockMs: LOCK_MS });
    expect(await b.runOnce()).toEqual({ sent: 0, failed: 0 });
    clock.advance(LOCK_MS);
    expect(await drain(b)).toEqual([
      { sent: 8, failed: 0 },
      { sent: 0, failed: 0 },
    ]);

    // The third email was posted twice under one key (A, then B after A's claim lapsed): received once.
    expect(fake.requests).toHaveLength(11);
    await expectDeliveredOnce(emails);
  });

  it('skips rows whose claim lapsed while earlier rows of the batch were being sent', async () => {
    const emails = await enqueue(3);
    const real = resend();
    // The first send takes as long as the whole lock.
    const slow: MailTransport = {
      name: 'slow',
      erasesBody: true,
      async send(message) {
        const result = await real.send(message);
        if (fake.requests.length === 1) clock.advance(LOCK_MS);
        return result;
      },
    };
    expect(await worker({ lockMs: LOCK_MS }, slow).runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(fake.requests).toHaveLength(1);
    // The other two were never attempted by the slow worker; the next run takes them.
    expect(await worker({ lockMs: LOCK_MS }).runOnce()).toEqual({ sent: 2, failed: 0 });
    expect(fake.requests).toHaveLength(3);
    await expectDeliveredOnce(emails);
  });

  it('never lets two concurrent workers on one store send the same row', async () => {
    const emails = await enqueue(30);
    const a = worker({ batchSize: 4 });
    const b = worker({ batchSize: 4 });
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      total += ra.sent + rb.sent;
      if (ra.sent + rb.sent === 0) break;
    }
    expect(total).toBe(30);
    expect(fake.requests).toHaveLength(30);
    expect(new Set(fake.requests.map((r) => r.idempotencyKey)).size).toBe(30);
    await expectDeliveredOnce(emails);
  });

  it('never lets two workers on separate connections to the database (two processes) send the same row', async () => {
    const emails = await enqueue(30);
    const other = await database.openStore();
    const a = worker({ batchSize: 3 });
    const b = worker({ batchSize: 3 }, resend(), other);
    const [ra, rb] = await Promise.all([drain(a), drain(b)]);
    const sent = [...ra, ...rb].reduce((n, r) => n + r.sent, 0);
    expect(sent).toBe(30);
    expect(fake.requests).toHaveLength(30);
    await expectDeliveredOnce(emails);
  });

  it('gives up after maxAttempts and never retries a failed row', async () => {
    const [email] = await enqueue(1);
    fake.fail(100, { kind: 'json', status: 500, name: 'internal_server_error', message: 'Down.' });
    const w = worker({ maxAttempts: 3 });

    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await w.runOnce()).toEqual({ sent: 0, failed: 1 });
      const r = await row(email!.id);
      expect(r.attempts).toBe(attempt);
      expect(r.status).toBe(attempt < 3 ? 'pending' : 'failed');
      clock.advance(2 * HOUR);
    }
    const r = await row(email!.id);
    expect(r.lastError).toBe('Resend internal_server_error (500): Down.');
    expect(r.lockedUntil).toBeNull();

    clock.advance(48 * HOUR);
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(fake.requests).toHaveLength(3);
    expect(fake.delivered.size).toBe(0);
  });

  it('fails for good at once on a validation error, which a retry cannot fix', async () => {
    const [email] = await enqueue(1);
    fake.fail(1, { kind: 'json', status: 422, name: 'validation_error', message: 'Invalid `to` field.' });
    expect(await worker().runOnce()).toEqual({ sent: 0, failed: 1 });
    const r = await row(email!.id);
    expect(r.status).toBe('failed');
    expect(r.lastError).toBe('Resend validation_error (422): Invalid `to` field.');
    clock.advance(48 * HOUR);
    expect(await worker().runOnce()).toEqual({ sent: 0, failed: 0 });
  });

  it('treats an unreachable provider as a failure to retry', async () => {
    const [email] = await enqueue(1);
    const closed = new FakeResend();
    const deadUrl = await closed.listen();
    await closed.close();
    const w = worker({}, createResendTransport({ apiKey: API_KEY, baseUrl: deadUrl }));
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 1 });
    const r = await row(email!.id);
    expect(r.status).toBe('pending');
    expect(r.lastError).toMatch(/^Resend application_error: Unable to fetch data/);
  });
});

describe('defaultBackoff', () => {
  it('grows from about 5 s, doubling, capped at about an hour, with a little jitter', () => {
    for (let i = 0; i < 200; i++) {
      const first = defaultBackoff(1);
      expect(first).toBeGreaterThanOrEqual(4_500);
      expect(first).toBeLessThanOrEqual(5_500);
      const fourth = defaultBackoff(4);
      expect(fourth).toBeGreaterThanOrEqual(36_000);
      expect(fourth).toBeLessThanOrEqual(44_000);
      for (const attempt of [11, 12, 30, 1000]) {
        expect(defaultBackoff(attempt)).toBeGreaterThanOrEqual(0.9 * HOUR);
        expect(defaultBackoff(attempt)).toBeLessThanOrEqual(1.1 * HOUR);
      }
    }
    expect(new Set(Array.from({ length: 20 }, () => defaultBackoff(3))).size).toBeGreaterThan(1);
  });
});

describe('OutboxWorker timer loop', () => {
  /** A transport whose sends wait until the test releases them. */
  function gatedTransport() {
    const started: MailMessage[] = [];
    const waiting: Array<() => void> = [];
    const listeners: Array<() => void> = [];
    const transport: MailTransport = {
      name: 'gated',
      erasesBody: true,
      send(message) {
        started.push(message);
        for (const l of listeners.splice(0)) l();
        return new Promise((resolve) => waiting.push(() => resolve({ providerMessageId: `p_${message.id}` })));
      },
    };
    return {
      transport,
      started,
      /** Resolves once `n` sends have started. */
      until: (n: number) =>
        new Promise<void>(function check(resolve) {
          if (started.length >= n) resolve();
          else listeners.push(() => check(resolve));
        }),
      release: () => waiting.shift()!(),
    };
  }

  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at start, runs again when poked during a run, and stop() waits for the run in flight', async () => {
    const [first] = await enqueue(1);
    const gate = gatedTransport();
    const w = worker({}, gate.transport);
    w.start(HOUR);
    await gate.until(1);
    expect(gate.started[0]!.id).toBe(first!.id);

    // Enqueued during the run: the poke is remembered and served as soon as the run ends.
    await queueTestEmail(database, { id: 'eml_second', kind: 'invoice', to: 'b@example.com', subject: 'Invoice', html: '<p>hi</p>', text: 'hi', at: clock.now() });
    w.poke();
    gate.release();
    await gate.until(2);
    expect(gate.started[1]!.id).toBe('eml_second');

    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    gate.release();
    await stopping;
    expect((await row('eml_second')).status).toBe('sent');

    // Stopped: a poke does nothing.
    await enqueue(1);
    w.poke();
    await tick();
    expect(gate.started).toHaveLength(2);
  });

  it('logs a failed run and keeps going', async () => {
    const logged: string[] = [];
    let claims = 0;
    let failedOnce!: () => void;
    const failed = new Promise<void>((resolve) => (failedOnce = resolve));
    const broken = {
      claimOutboxBatch: async () => {
        claims++;
        throw new Error('database is locked');
      },
      markEmailSent: async () => {},
      markEmailFailed: async () => {},
      purgeErased: async () => {},
    };
    const w = new OutboxWorker(
      { store: broken, transport: resend(), clock, from: FROM },
      {
        log: (line) => {
          logged.push(line);
          failedOnce();
        },
      },
    );
    w.start(HOUR);
    await failed;
    await w.stop();
    expect(claims).toBe(1);
    expect(logged).toEqual(['outbox: run failed: database is locked']);
  });
});
