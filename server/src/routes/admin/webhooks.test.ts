// /v1/admin/webhooks: endpoints round-trip with their signing secret shown in full once, bad input
// is a 400 in the one error shape, and another business's endpoint is a 404 like a missing one.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson } from '../../../test/harness';
import { WebhookReceiver } from '../../../test/webhook-receiver';
import { WebhookWorker } from '../../webhooks/worker';

const h = await createHarness();
afterAll(() => h.close());

beforeEach(async () => {
  h.deps.dev = false;
  for (const key of [h.keyA, h.keyB]) {
    const { data } = await expectJson(h.admin('GET', '/v1/admin/webhooks', undefined, key), 200);
    for (const endpoint of data) await expectJson(h.admin('DELETE', `/v1/admin/webhooks/${endpoint.id}`, undefined, key), 204);
  }
});

const create = (body: unknown, key?: string) => expectJson(h.admin('POST', '/v1/admin/webhooks', body, key), 201);

async function expectError(response: Promise<Response>, status: number, code: string, message?: RegExp) {
  const body = await expectJson(response, status);
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  if (message) expect(body.error.message).toMatch(message);
}

describe('webhook endpoints', () => {
  it('round-trips: create (secret in full, once), get, list (masked), delete', async () => {
    const created = await create({ url: 'https://hooks.acme.test/doorstep', events: ['invoice.paid', 'estimate.approved'], description: 'Our CRM' });
    expect(created).toEqual({
      id: expect.stringMatching(/^whe_/),
      url: 'https://hooks.acme.test/doorstep',
      events: ['invoice.paid', 'estimate.approved'],
      description: 'Our CRM',
      enabled: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      createdAt: new Date(h.clock.now()).toISOString(),
      disabledAt: null,
    });
    const masked = `whsec_…${created.secret.slice(-4)}`;

    const got = await expectJson(h.admin('GET', `/v1/admin/webhooks/${created.id}`), 200);
    expect(got).toEqual({ ...created, secret: masked });

    const listRes = await h.admin('GET', '/v1/admin/webhooks');
    const listText = await listRes.text();
    expect(listRes.status).toBe(200);
    expect(JSON.parse(listText)).toEqual({ data: [{ ...created, secret: masked }], nextCursor: null });
    // The full secret is never shown again.
    expect(listText).not.toContain(created.secret);
    expect(JSON.stringify(got)).not.toContain(created.secret);

    const res = await h.admin('DELETE', `/v1/admin/webhooks/${created.id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    await expectError(h.admin('GET', `/v1/admin/webhooks/${created.id}`), 404, 'not_found');
    await expectError(h.admin('DELETE', `/v1/admin/webhooks/${created.id}`), 404, 'not_found');
    expect(await expectJson(h.admin('GET', '/v1/admin/webhooks'), 200)).toEqual({ data: [], nextCursor: null });
  });

  it('subscribes to every event when events are omitted or empty, and drops repeats', async () => {
    expect((await create({ url: 'https://hooks.acme.test/all' })).events).toEqual([]);
    expect((await create({ url: 'https://hooks.acme.test/all2', events: [] })).events).toEqual([]);
    expect((await create({ url: 'https://hooks.acme.test/p', events: ['invoice.paid', 'invoice.paid'] })).events).toEqual(['invoice.paid']);
    const { data } = await expectJson(h.admin('GET', '/v1/admin/webhooks'), 200);
    expect(data.map((e: { url: string }) => e.url).sort()).toEqual(['https://hooks.acme.test/all', 'https://hooks.acme.test/all2', 'https://hooks.acme.test/p']);
  });

  it.each([
    ['no url', {}, /^url: /],
    ['an empty url', { url: '' }, /^url: /],
    ['a number for url', { url: 42 }, /^url: /],
    ['plain http', { url: 'http://hooks.acme.test/x' }, /^url: must be https/],
    ['http to localhost outside development', { url: 'http://localhost:4000/x' }, /^url: must be https/],
    ['a private address', { url: 'https://192.168.0.10/x' }, /^url: must be a public address/],
    ['not a URL', { url: 'hooks dot acme' }, /^url: must be an absolute URL/],
    ['an unknown event', { url: 'https://hooks.acme.test/x', events: ['invoice.sent'] }, /^events\.0: must be one of message\.received, /],
    ['events not a list', { url: 'https://hooks.acme.test/x', events: 'invoice.paid' }, /^events: /],
    ['an unknown field', { url: 'https://hooks.acme.test/x', secret: 'whsec_mine' }, /secret/],
    ['a long description', { url: 'https://hooks.acme.test/x', description: 'x'.repeat(501) }, /^description: must be at most 500/],
    ['a very long url', { url: `https://hooks.acme.test/${'x'.repeat(2000)}` }, /^url: must be at most 2000/],
  ])('refuses %s with 400', async (_name, body, message) => {
    await expectError(h.admin('POST', '/v1/admin/webhooks', body), 400, 'invalid_body', message);
  });

  it('refuses malformed JSON with 400 invalid_json', async () => {
    const res = await h.app.request('/v1/admin/webhooks', {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.keyA}`, 'Content-Type': 'application/json' },
      body: '{"url":',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_json');
  });

  it('takes http to localhost in development only', async () => {
    await expectError(h.admin('POST', '/v1/admin/webhooks', { url: 'http://127.0.0.1:4000/hooks' }), 400, 'invalid_body');
    h.deps.dev = true;
    expect((await create({ url: 'http://127.0.0.1:4000/hooks' })).url).toBe('http://127.0.0.1:4000/hooks');
    await expectError(h.admin('POST', '/v1/admin/webhooks', { url: 'http://hooks.acme.test/x' }), 400, 'invalid_body');
  });

  it('caps the endpoints of one business', async () => {
    for (let i = 0; i < 16; i++) await create({ url: `https://hooks.acme.test/${i}` });
    await expectError(h.admin('POST', '/v1/admin/webhooks', { url: 'https://hooks.acme.test/17' }), 409, 'too_many_webhook_endpoints');
    // Another business is not affected.
    await create({ url: 'https://hooks.bravo.test/1' }, h.keyB);
  });
});

describe('deliveries and test events', () => {
  it('queues a test event (202) and lists deliveries newest first, paginated', async () => {
    const endpoint = await create({ url: 'https://hooks.acme.test/x', events: ['invoice.paid'] });
    const test = await expectJson(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/test`), 202);
    expect(test).toEqual({
      id: expect.stringMatching(/^whd_/),
      endpointId: endpoint.id,
      eventId: expect.stringMatching(/^evt_/),
      eventType: 'webhook.test',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(h.clock.now()).toISOString(),
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
      createdAt: new Date(h.clock.now()).toISOString(),
      event: {
        id: test.eventId,
        type: 'webhook.test',
        createdAt: new Date(h.clock.now()).toISOString(),
        businessId: 'acme',
        data: { endpointId: endpoint.id, message: expect.any(String) },
      },
    });

    h.clock.advance(1000);
    await h.queueWebhookEvents('acme', [
      { id: 'evt_paid_1', type: 'invoice.paid', data: { invoiceId: 'inv_1' } },
      { id: 'evt_msg_1', type: 'message.received', data: { messageId: 'msg_1' } },
    ], h.clock.now());
    h.clock.advance(1000);
    await expectJson(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/test`, {}), 202);

    const first = await expectJson(h.admin('GET', `/v1/admin/webhooks/${endpoint.id}/deliveries?limit=2`), 200);
    expect(first.data.map((d: { eventType: string }) => d.eventType)).toEqual(['webhook.test', 'invoice.paid']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await expectJson(h.admin('GET', `/v1/admin/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${first.nextCursor}`), 200);
    expect(second).toEqual({ data: [expect.objectContaining({ id: test.id })], nextCursor: null });
    expect(first.data[1].event).toMatchObject({ id: 'evt_paid_1', data: { invoiceId: 'inv_1' } });
  });

  it('refuses a body on the test route and bad paging', async () => {
    const endpoint = await create({ url: 'https://hooks.acme.test/x' });
    await expectError(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/test`, { type: 'invoice.paid' }), 400, 'invalid_body');
    await expectError(h.admin('GET', `/v1/admin/webhooks/${endpoint.id}/deliveries?limit=0`), 400, 'invalid_request');
    await expectError(h.admin('GET', `/v1/admin/webhooks/${endpoint.id}/deliveries?cursor=nonsense`), 400, 'invalid_cursor');
  });
});

describe('tenant isolation', () => {
  it("answers business B's endpoint exactly like a missing one, and leaves it alone", async () => {
    const theirs = await create({ url: 'https://hooks.bravo.test/x' }, h.keyB);
    await create({ url: 'https://hooks.acme.test/x' });
    const missing = theirs.id.replace(/_.*/, '_doesnotexist');
    for (const [method, suffix] of [
      ['GET', ''],
      ['DELETE', ''],
      ['GET', '/deliveries'],
      ['POST', '/test'],
    ] as const) {
      const foreign = await h.admin(method, `/v1/admin/webhooks/${theirs.id}${suffix}`);
      const absent = await h.admin(method, `/v1/admin/webhooks/${missing}${suffix}`);
      expect(foreign.status, `${method} ${suffix}`).toBe(404);
      expect(await foreign.text()).toBe(await absent.text());
    }
    const list = await (await h.admin('GET', '/v1/admin/webhooks')).text();
    expect(list).not.toContain(theirs.id);
    expect(list).not.toContain('bravo');

    // B's endpoint is untouched and got no test event.
    expect(await expectJson(h.admin('GET', `/v1/admin/webhooks/${theirs.id}`, undefined, h.keyB), 200)).toMatchObject({ id: theirs.id, enabled: true });
    expect(await expectJson(h.admin('GET', `/v1/admin/webhooks/${theirs.id}/deliveries`, undefined, h.keyB), 200)).toEqual({ data: [], nextCursor: null });
  });

  it('needs an API key', async () => {
    const res = await h.app.request('/v1/admin/webhooks');
    expect(res.status).toBe(401);
  });
});

describe('pausing and resuming an endpoint', () => {
  it('a paused endpoint is sent nothing; what is queued meanwhile waits and goes out on resume', async () => {
    const receiver = new WebhookReceiver();
    await receiver.listen();
    const worker = new WebhookWorker({ store: h.store, clock: h.clock });
    try {
      h.deps.dev = true;
      const endpoint = await create({ url: receiver.url('/hooks') });
      const pausedAt = new Date(h.clock.now()).toISOString();
      expect(await expectJson(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/pause`), 200)).toMatchObject({ id: endpoint.id, enabled: false, disabledAt: pausedAt });
      h.clock.advance(60_000);
      // Pausing again keeps the first pause time; `{}` is as good as no body.
      expect(await expectJson(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/pause`, {}), 200)).toMatchObject({ enabled: false, disabledAt: pausedAt });

      await h.queueWebhookEvents('acme', [{ id: 'evt_while_paused', type: 'invoice.paid', data: { invoiceId: 'inv_1' } }], h.clock.now());
      h.clock.advance(60 * 60_000);
      expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 0 });
      expect(receiver.received).toHaveLength(0);
      const held = await expectJson(h.admin('GET', `/v1/admin/webhooks/${endpoint.id}/deliveries`), 200);
      expect(held.data).toMatchObject([{ eventId: 'evt_while_paused', status: 'pending', attempts: 0 }]);
      await expectError(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/test`), 409, 'webhook_endpoint_paused', /resume it/);

      expect(await expectJson(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/resume`), 200)).toMatchObject({ enabled: true, disabledAt: null });
      expect(await worker.runOnce()).toEqual({ delivered: 1, failed: 0 });
      expect(receiver.accepted('/hooks').map((r) => r.headers['doorstep-event-id'])).toEqual(['evt_while_paused']);
      expect((await expectJson(h.admin('GET', `/v1/admin/webhooks/${endpoint.id}/deliveries`), 200)).data).toMatchObject([{ eventId: 'evt_while_paused', status: 'delivered', attempts: 1 }]);
      // Resuming an endpoint that is not paused changes nothing.
      expect(await expectJson(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/resume`), 200)).toMatchObject({ enabled: true });
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });

  it('pause and resume take no fields, and another business\'s endpoint is a 404 like a missing one', async () => {
    const endpoint = await create({ url: 'https://hooks.acme.test/x' });
    await expectError(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/pause`, { paused: true }), 400, 'invalid_body');
    await expectError(h.admin('POST', `/v1/admin/webhooks/${endpoint.id}/resume`, { at: 'now' }), 400, 'invalid_body');
    expect(await expectJson(h.admin('GET', `/v1/admin/webhooks/${endpoint.id}`), 200)).toMatchObject({ enabled: true });

    const theirs = await create({ url: 'https://hooks.bravo.test/x' }, h.keyB);
    for (const action of ['pause', 'resume']) {
      const foreign = await h.admin('POST', `/v1/admin/webhooks/${theirs.id}/${action}`);
      const absent = await h.admin('POST', `/v1/admin/webhooks/whe_doesnotexist/${action}`);
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).toBe(await absent.text());
    }
    expect(await expectJson(h.admin('GET', `/v1/admin/webhooks/${theirs.id}`, undefined, h.keyB), 200)).toMatchObject({ enabled: true, disabledAt: null });
  });
});
