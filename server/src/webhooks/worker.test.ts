// SPEC §4.6 outgoing webhooks are signed, retried and durable: events queued in a transaction reach
// every subscribed endpoint of their business (a real HTTP receiver on 127.0.0.1) once, correctly
// signed; endpoint outages are retried with backoff; a crashed worker's claims are redelivered once
// they lapse; a restarted store still delivers; two workers never post one delivery twice.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../test/harness';
import { WebhookReceiver, type ReceivedWebhook } from '../../test/webhook-receiver';
import { newId } from '../lib/crypto';
import { verifyWebhookSignature } from '../services/webhooks';
import type { Store, WebhookEndpoint } from '../store/types';
import type { NewWebhookEvent, WebhookEventType } from '../store/webhook-events';
import { defaultWebhookBackoff, WebhookWorker, type WebhookWorkerOptions } from './worker';

const LOCK_MS = 60_000;
const HOUR = 60 * 60_000;

const receiver = new WebhookReceiver();
beforeAll(() => receiver.listen());
afterAll(() => receiver.close());

let h: Harness;

beforeEach(async () => {
  receiver.reset();
  h = await createHarness();
});

afterEach(() => h.close());

function worker(options: WebhookWorkerOptions = {}, store: Store = h.store, fetchImpl?: typeof fetch) {
  return new WebhookWorker({ store, clock: h.clock, fetch: fetchImpl }, { log: () => {}, ...options });
}

let seq = 0;
async function endpoint(businessId: string, path: string, events: WebhookEventType[] = []): Promise<WebhookEndpoint> {
  const n = ++seq;
  return h.store.createWebhookEndpoint(
    businessId,
    { id: `whe_${n}`, url: receiver.url(path), secret: `whsec_test_secret_${n}_${newId('x')}`, events, description: null },
    h.clock.now(),
  );
}

const event = (type: WebhookEventType, data: Record<string, unknown> = {}): NewWebhookEvent => ({ id: newId('evt'), type, data });

/** Queues events the way store methods do: inside a write transaction. */
const queue = (businessId: string, events: NewWebhookEvent[]) => h.queueWebhookEvents(businessId, events, h.clock.now());

const deliveries = () => h.rowsOf('webhookDeliveries');
const delivery = async (id: string) => (await deliveries()).find((d) => d.id === id)!;

/** Runs until a run finds nothing due; returns the results. */
async function drain(w: WebhookWorker) {
  const results = [];
  for (let i = 0; i < 100; i++) {
    const result = await w.runOnce();
    results.push(result);
    if (result.delivered + result.failed === 0) return results;
  }
  throw new Error('the webhook queue never drained');
}

const eventIdOf = (r: ReceivedWebhook) => r.headers['doorstep-event-id'] as string;

/** Each request verifies under the endpoint's secret, at the clock's time, and its headers match its body. */
function expectSigned(requests: ReceivedWebhook[], secret: string) {
  for (const r of requests) {
    const body = JSON.parse(r.body.toString('utf8'));
    expect(verifyWebhookSignature(secret, r.body, r.headers['doorstep-signature'] as string, Math.floor(h.clock.now() / 1000))).toBe(true);
    expect(r.headers['doorstep-event-id']).toBe(body.id);
    expect(r.headers['doorstep-event-type']).toBe(body.type);
  }
}

describe('WebhookWorker', () => {
  it('delivers each event once to every subscribed, enabled endpoint of its business, signed with that endpoint\'s secret', async () => {
    const all = await endpoint('acme', '/acme/all');
    const paid = await endpoint('acme', '/acme/paid', ['invoice.paid']);
    await endpoint('acme', '/acme/approvals', ['estimate.approved', 'estimate.declined']);
    const disabled = await endpoint('acme', '/acme/disabled');
    await h.store.pauseWebhookEndpoint('acme', disabled.id, h.clock.now());
    await endpoint('bravo', '/bravo/all');

    const paidEvent = event('invoice.paid', { invoiceId: 'inv_1', amountPaid: 12500 });
    const message = event('message.received', { messageId: 'msg_1' });
    await queue('acme', [paidEvent, message]);

    expect(await drain(worker())).toEqual([
      { delivered: 3, failed: 0 },
      { delivered: 0, failed: 0 },
    ]);
    expect(receiver.to('/acme/all').map(eventIdOf).sort()).toEqual([paidEvent.id, message.id].sort());
    expect(receiver.to('/acme/paid').map(eventIdOf)).toEqual([paidEvent.id]);
    expect(receiver.to('/acme/approvals')).toHaveLength(0);
    expect(receiver.to('/acme/disabled')).toHaveLength(0);
    expect(receiver.to('/bravo/all')).toHaveLength(0);
    expect(receiver.received).toHaveLength(3);

    expectSigned(receiver.to('/acme/all'), all.secret);
    expectSigned(receiver.to('/acme/paid'), paid.secret);
    // Another endpoint's secret does not verify.
    const [first] = receiver.to('/acme/paid');
    expect(verifyWebhookSignature(all.secret, first!.body, first!.headers['doorstep-signature'] as string, Math.floor(h.clock.now() / 1000))).toBe(false);

    // The same event reaches two endpoints with one id and one body.
    const [toAll] = receiver.to('/acme/all').filter((r) => eventIdOf(r) === paidEvent.id);
    expect(toAll!.body.equals(first!.body)).toBe(true);
    expect(JSON.parse(first!.body.toString())).toEqual({
      id: paidEvent.id,
      type: 'invoice.paid',
      createdAt: new Date(h.clock.now()).toISOString(),
      businessId: 'acme',
      data: { invoiceId: 'inv_1', amountPaid: 12500 },
    });

    // The paused endpoint's deliveries are queued and wait for it to be resumed.
    expect((await deliveries()).filter((r) => r.endpointId === disabled.id)).toMatchObject([
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 0 },
    ]);
    const rows = (await deliveries()).filter((r) => r.endpointId !== disabled.id);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, lockedUntil: null, deliveredAt: h.clock.now(), businessId: 'acme' });
    }
    expect(rows.map((r) => r.endpointId).sort()).toEqual([all.id, all.id, paid.id].sort());
  });

  it('queues nothing when the transaction that raised the event rolls back', async () => {
    await endpoint('acme', '/acme/all');
    await expect(h.queueWebhookEvents('acme', [event('invoice.paid')], h.clock.now(), new Error('the change failed'))).rejects.toThrow('the change failed');
    expect(await deliveries()).toHaveLength(0);
    // Queuing the same event twice still makes one delivery per endpoint.
    const twice = event('estimate.approved');
    await queue('acme', [twice]);
    await queue('acme', [twice]);
    expect(await deliveries()).toHaveLength(1);
  });

  it('retries an endpoint answering 500 after the backoff, then delivers once: nothing lost', async () => {
    const ep = await endpoint('acme', '/flaky');
    receiver.answer('/flaky', 500, 503, 500);
    const events = [event('invoice.paid'), event('message.received')];
    await queue('acme', events);
    const w = worker({ backoff: (attempt) => attempt * 60_000 });

    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 2 });
    for (const row of await deliveries()) {
      expect(row.status).toBe('pending');
      expect(row.attempts).toBe(1);
      expect(row.nextAttemptAt).toBe(h.clock.now() + 60_000);
      expect(row.lockedUntil).toBeNull();
      expect(row.lastStatusCode === 500 || row.lastStatusCode === 503).toBe(true);
      expect(row.lastError).toMatch(/^HTTP 50[03]: Receiver says no \(50[03]\)$/);
    }
    // Not due yet: no request.
    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(receiver.received).toHaveLength(2);

    h.clock.advance(60_000);
    expect(await w.runOnce()).toEqual({ delivered: 1, failed: 1 });
    h.clock.advance(2 * 60_000);
    expect(await w.runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 0 });

    expect(receiver.received).toHaveLength(5);
    expect(receiver.accepted('/flaky').map(eventIdOf).sort()).toEqual(events.map((e) => e.id).sort());
    // Every attempt carried the same event id and body, signed afresh.
    for (const e of events) {
      const attempts = receiver.to('/flaky').filter((r) => eventIdOf(r) === e.id);
      expect(new Set(attempts.map((r) => r.body.toString())).size).toBe(1);
    }
    expectSigned(receiver.accepted('/flaky'), ep.secret);
    expect((await deliveries()).every((r) => r.status === 'delivered' && r.lastError === null && r.lastStatusCode === 200)).toBe(true);
  });

  it('counts a redirect, a refused connection and a timeout as failed attempts', async () => {
    await endpoint('acme', '/moved');
    await endpoint('acme', '/slow');
    const closed = new WebhookReceiver();
    const closedUrl = await closed.listen();
    await closed.close();
    await h.store.createWebhookEndpoint('acme', { id: 'whe_closed', url: `${closedUrl}/gone`, secret: 'whsec_x', events: [], description: null }, h.clock.now());
    receiver.answer('/moved', 302);
    receiver.answer('/slow', 'hang');
    await queue('acme', [event('invoice.paid')]);

    expect(await worker({ timeoutMs: 300 }).runOnce()).toEqual({ delivered: 0, failed: 3 });
    const byEndpoint = Object.fromEntries((await deliveries()).map((r) => [r.endpointId, r]));
    expect(byEndpoint['whe_closed']).toMatchObject({ status: 'pending', lastStatusCode: null });
    expect(byEndpoint['whe_closed']!.lastError).toMatch(/ECONNREFUSED/);
    const moved = (await deliveries()).find((r) => r.lastStatusCode === 302)!;
    expect(moved.lastError).toMatch(/^HTTP 302/);
    const slow = Object.values(byEndpoint).find((r) => r.lastError === 'Timed out waiting for the endpoint.');
    expect(slow).toMatchObject({ status: 'pending', lastStatusCode: null, attempts: 1 });
    // The redirect was not followed.
    expect(receiver.received.map((r) => r.path)).toEqual(['/moved']);
  });

  it("leaves a crashed worker's claimed batch alone until the claim lapses, then delivers it once", async () => {
    await endpoint('acme', '/a');
    const events = Array.from({ length: 5 }, () => event('message.received'));
    await queue('acme', events);
    // Another worker claims the batch and dies before posting anything.
    expect(await h.store.claimWebhookBatch(h.clock.now(), 20, LOCK_MS)).toHaveLength(5);

    const w = worker({ lockMs: LOCK_MS });
    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 0 });
    h.clock.advance(LOCK_MS - 1);
    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(receiver.received).toHaveLength(0);

    h.clock.advance(1);
    expect(await drain(w)).toEqual([
      { delivered: 5, failed: 0 },
      { delivered: 0, failed: 0 },
    ]);
    expect(receiver.to('/a').map(eventIdOf).sort()).toEqual(events.map((e) => e.id).sort());
    expect((await deliveries()).every((r) => r.status === 'delivered' && r.attempts === 2)).toBe(true);
  });

  it('redelivers, under the same event id, what a worker posted but died before recording', async () => {
    await endpoint('acme', '/a');
    const events = Array.from({ length: 4 }, () => event('invoice.paid'));
    await queue('acme', events);
    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    let posts = 0;
    // The receiver gets every POST; the worker never hears back (killed mid-batch).
    const dying: typeof fetch = async (input, init) => {
      await fetch(input, init);
      if (++posts === 4) died();
      return new Promise<Response>(() => {});
    };
    void worker({ lockMs: LOCK_MS }, h.store, dying).runOnce();
    await dead;
    expect(receiver.received).toHaveLength(4);
    expect((await deliveries()).every((r) => r.status === 'pending')).toBe(true);

    const b = worker({ lockMs: LOCK_MS });
    expect(await b.runOnce()).toEqual({ delivered: 0, failed: 0 });
    h.clock.advance(LOCK_MS);
    expect(await drain(b)).toEqual([
      { delivered: 4, failed: 0 },
      { delivered: 0, failed: 0 },
    ]);
    // At least once: each event arrived twice under one id, which the receiver dedupes on.
    expect(receiver.received).toHaveLength(8);
    for (const e of events) expect(receiver.to('/a').filter((r) => eventIdOf(r) === e.id)).toHaveLength(2);
    expect((await deliveries()).every((r) => r.status === 'delivered')).toBe(true);
  });

  it('delivers what was pending before a restart from a new store on the same file', async () => {
    await endpoint('acme', '/a');
    receiver.answer('/a', 500);
    const events = [event('invoice.paid'), event('estimate.declined'), event('payment_method.changed')];
    await queue('acme', events.slice(0, 1));
    expect(await worker({ batchSize: 1 }).runOnce()).toEqual({ delivered: 0, failed: 1 });
    await queue('acme', events.slice(1));
    // One claimed and never finished, by a worker of the process about to die.
    expect(await h.store.claimWebhookBatch(h.clock.now(), 1, LOCK_MS)).toHaveLength(1);
    // The restarted process: a new store on the same database, which knows nothing of that claim.
    const restarted = await h.openStore();
    h.clock.advance(HOUR);
    expect(await drain(worker({}, restarted))).toEqual([
      { delivered: 3, failed: 0 },
      { delivered: 0, failed: 0 },
    ]);
    expect(receiver.accepted('/a').map(eventIdOf).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('never lets two concurrent workers on one store post the same delivery', async () => {
    await endpoint('acme', '/a');
    await endpoint('acme', '/b', ['invoice.paid']);
    const events = Array.from({ length: 15 }, (_, i) => event(i % 3 === 0 ? 'message.received' : 'invoice.paid'));
    await queue('acme', events);
    const a = worker({ batchSize: 4 });
    const b = worker({ batchSize: 4 });
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      total += ra.delivered + rb.delivered;
      if (ra.delivered + rb.delivered === 0) break;
    }
    expect(total).toBe(25);
    expect(receiver.received).toHaveLength(25);
    expect(new Set(receiver.to('/a').map(eventIdOf)).size).toBe(15);
    expect(new Set(receiver.to('/b').map(eventIdOf)).size).toBe(10);
  });

  it('never lets two workers on separate connections to the database (two processes) post the same delivery', async () => {
    await endpoint('acme', '/a');
    await queue('acme', Array.from({ length: 30 }, () => event('message.received')));
    const other = await h.openStore();
    const [ra, rb] = await Promise.all([drain(worker({ batchSize: 3 })), drain(worker({ batchSize: 3 }, other))]);
    expect([...ra, ...rb].reduce((n, r) => n + r.delivered, 0)).toBe(30);
    expect(receiver.received).toHaveLength(30);
    expect(new Set(receiver.received.map(eventIdOf)).size).toBe(30);
  });

  it('gives up after maxAttempts and never posts a failed delivery again', async () => {
    await endpoint('acme', '/down');
    receiver.answer('/down', ...Array<number>(100).fill(500));
    await queue('acme', [event('invoice.paid')]);
    const w = worker({ maxAttempts: 3 });
    const id = (await deliveries())[0]!.id;

    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await w.runOnce()).toEqual({ delivered: 0, failed: 1 });
      expect(await delivery(id)).toMatchObject({ attempts: attempt, status: attempt < 3 ? 'pending' : 'failed', lastStatusCode: 500 });
      h.clock.advance(7 * HOUR);
    }
    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(receiver.received).toHaveLength(3);
  });

  it('holds deliveries of a disabled endpoint, and drops them with a deleted one', async () => {
    const ep = await endpoint('acme', '/a');
    await queue('acme', [event('invoice.paid')]);
    await h.store.pauseWebhookEndpoint('acme', ep.id, h.clock.now());
    expect(await worker().runOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(await deliveries()).toMatchObject([{ status: 'pending', attempts: 0 }]);

    await h.store.resumeWebhookEndpoint('acme', ep.id);
    expect(await h.store.deleteWebhookEndpoint('acme', ep.id)).toBe(true);
    expect(await deliveries()).toHaveLength(0);
    expect(await worker().runOnce()).toEqual({ delivered: 0, failed: 0 });
  });

  it('runs on its own once started, and a poke delivers at once', async () => {
    await endpoint('acme', '/a');
    const w = worker();
    w.start(60_000);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await queue('acme', [event('message.received')]);
      w.poke();
      for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(receiver.received).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });
});

describe('defaultWebhookBackoff', () => {
  it('doubles from about 30 s and is capped near 6 h', () => {
    for (let i = 0; i < 50; i++) {
      expect(defaultWebhookBackoff(1)).toBeGreaterThanOrEqual(24_000);
      expect(defaultWebhookBackoff(1)).toBeLessThanOrEqual(36_000);
      expect(defaultWebhookBackoff(3)).toBeGreaterThanOrEqual(96_000);
      expect(defaultWebhookBackoff(3)).toBeLessThanOrEqual(144_000);
      expect(defaultWebhookBackoff(30)).toBeLessThanOrEqual(6 * HOUR * 1.2);
      expect(defaultWebhookBackoff(30)).toBeGreaterThanOrEqual(6 * HOUR * 0.8);
    }
  });
});
