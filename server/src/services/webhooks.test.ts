// Webhook signatures as a receiving business sees them: a real delivery, captured byte for byte by
// an HTTP server, verifies with the documented recipe written here with node:crypto alone, and with
// verifyWebhookSignature; a tampered body, a stale timestamp or the wrong secret never does.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../test/harness';
import { WebhookReceiver, type ReceivedWebhook } from '../../test/webhook-receiver';
import { WebhookWorker } from '../webhooks/worker';
import { checkWebhookUrl, newWebhookSecret, signPayload, verifyWebhookSignature } from './webhooks';

/**
 * The receiver's side, as the README tells a business to write it: HMAC-SHA256 keyed with the
 * whole secret over `<t>.<raw body>`, compared in constant time, t within five minutes.
 */
function receiverAccepts(secret: string, rawBody: Buffer, header: string | undefined, nowSeconds: number): boolean {
  if (!header) return false;
  const fields = header.split(',').map((part) => part.split('='));
  const t = fields.find(([key]) => key === 't')?.[1];
  const candidates = fields.filter(([key]) => key === 'v1').map(([, value]) => Buffer.from(value ?? '', 'hex'));
  if (!t || Math.abs(nowSeconds - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
}

let h: Harness;
const receiver = new WebhookReceiver();
let secret: string;
let delivery: ReceivedWebhook;
let sentAt: number;

beforeAll(async () => {
  h = await createHarness();
  await receiver.listen();
  const endpoint = await h.store.createWebhookEndpoint(
    'acme',
    { id: 'whe_sig', url: receiver.url('/doorstep'), secret: newWebhookSecret(), events: [], description: null },
    h.clock.now(),
  );
  secret = endpoint.secret;
  await h.queueWebhookEvents('acme', [{ id: 'evt_sig1', type: 'invoice.paid', data: { invoiceId: 'inv_1', number: 'INV-7', amountPaid: 24250, note: 'Ünïcödé ✓ "quoted" \\ </script>' } }], h.clock.now());
  sentAt = Math.floor(h.clock.now() / 1000);
  const result = await new WebhookWorker({ store: h.store, clock: h.clock }, { log: () => {} }).runOnce();
  expect(result).toEqual({ delivered: 1, failed: 0 });
  delivery = receiver.received[0]!;
});

afterAll(async () => {
  await receiver.close();
  await h.close();
});

const header = () => delivery.headers['doorstep-signature'] as string;

describe('a real delivery, verified the way a receiving business does', () => {
  it('arrives as signed JSON with the documented headers and body', () => {
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['user-agent']).toBe('Doorstep-Webhooks/1');
    expect(delivery.headers['doorstep-event-id']).toBe('evt_sig1');
    expect(delivery.headers['doorstep-event-type']).toBe('invoice.paid');
    expect(header()).toMatch(new RegExp(`^t=${sentAt},v1=[0-9a-f]{64}$`));
    expect(JSON.parse(delivery.body.toString('utf8'))).toEqual({
      id: 'evt_sig1',
      type: 'invoice.paid',
      createdAt: new Date(h.clock.now()).toISOString(),
      businessId: 'acme',
      data: { invoiceId: 'inv_1', number: 'INV-7', amountPaid: 24250, note: 'Ünïcödé ✓ "quoted" \\ </script>' },
    });
  });

  it('verifies byte for byte with the recipe (node:crypto only) and with verifyWebhookSignature', () => {
    expect(receiverAccepts(secret, delivery.body, header(), sentAt)).toBe(true);
    expect(verifyWebhookSignature(secret, delivery.body, header(), sentAt)).toBe(true);
    expect(verifyWebhookSignature(secret, delivery.body.toString('utf8'), header(), sentAt + 299)).toBe(true);
    // The signature is what signPayload gives for the raw bytes at that time.
    expect(signPayload(secret, delivery.body, sentAt)).toBe(header());
  });

  it('fails for a tampered body, whichever byte changed', () => {
    for (const index of [0, Math.floor(delivery.body.length / 2), delivery.body.length - 1]) {
      const tampered = Buffer.from(delivery.body);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(receiverAccepts(secret, tampered, header(), sentAt)).toBe(false);
      expect(verifyWebhookSignature(secret, tampered, header(), sentAt)).toBe(false);
    }
    const reformatted = JSON.stringify(JSON.parse(delivery.body.toString('utf8')), null, 2);
    expect(verifyWebhookSignature(secret, reformatted, header(), sentAt)).toBe(false);
    expect(verifyWebhookSignature(secret, Buffer.concat([delivery.body, Buffer.from(' ')]), header(), sentAt)).toBe(false);
  });

  it('fails for a timestamp older (or newer) than the tolerance, and for a replayed signature with a new t', () => {
    expect(receiverAccepts(secret, delivery.body, header(), sentAt + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, delivery.body, header(), sentAt + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, delivery.body, header(), sentAt - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, delivery.body, header(), sentAt + 3600, 7200)).toBe(true);
    // An attacker who moves t forward cannot keep the old v1.
    const replay = header().replace(`t=${sentAt}`, `t=${sentAt + 1000}`);
    expect(receiverAccepts(secret, delivery.body, replay, sentAt + 1000)).toBe(false);
    expect(verifyWebhookSignature(secret, delivery.body, replay, sentAt + 1000)).toBe(false);
  });

  it('fails with the wrong secret', () => {
    const other = newWebhookSecret();
    expect(receiverAccepts(other, delivery.body, header(), sentAt)).toBe(false);
    expect(verifyWebhookSignature(other, delivery.body, header(), sentAt)).toBe(false);
    expect(verifyWebhookSignature(secret.slice(0, -1), delivery.body, header(), sentAt)).toBe(false);
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"id":"evt_1"}';
  const t = 1_800_000_000;

  it('refuses missing and malformed headers without throwing', () => {
    const v1 = signPayload(secret, body, t).split('v1=')[1]!;
    for (const bad of [undefined, null, '', 'garbage', `t=${t}`, `v1=${v1}`, `t=abc,v1=${v1}`, `t=${t},v1=${v1.slice(2)}`, `t=${t},v1=${'z'.repeat(64)}`, `t=${t},v0=${v1}`]) {
      expect(verifyWebhookSignature(secret, body, bad, t), String(bad)).toBe(false);
    }
  });

  it('accepts a header carrying several v1 values when one of them matches (secret rotation)', () => {
    const good = signPayload(secret, body, t);
    const stale = signPayload(newWebhookSecret(), body, t).split(',')[1]!;
    expect(verifyWebhookSignature(secret, body, `${good},${stale}`, t)).toBe(true);
    expect(verifyWebhookSignature(secret, body, `t=${t},${stale},${good.split(',')[1]}`, t)).toBe(true);
    expect(verifyWebhookSignature(secret, body, `t=${t},${stale}`, t)).toBe(false);
  });

  it('signs the same bytes the same whether given as a string or as bytes', () => {
    expect(signPayload(secret, 'café', t)).toBe(signPayload(secret, Buffer.from('café', 'utf8'), t));
    expect(verifyWebhookSignature(secret, new TextEncoder().encode('café'), signPayload(secret, 'café', t), t)).toBe(true);
  });
});

describe('newWebhookSecret', () => {
  it('is whsec_ and 32 random bytes, base64url', () => {
    const secrets = Array.from({ length: 200 }, newWebhookSecret);
    for (const s of secrets) {
      expect(s).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(s.slice('whsec_'.length), 'base64url')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });
});

describe('checkWebhookUrl', () => {
  const production = { allowLocalHttp: false };
  const development = { allowLocalHttp: true };

  it('takes public https URLs', () => {
    expect(checkWebhookUrl('https://hooks.example.com/doorstep?key=1', production)).toBe('https://hooks.example.com/doorstep?key=1');
    expect(checkWebhookUrl('https://EXAMPLE.com', production)).toBe('https://example.com/');
  });

  it.each([
    ['http://hooks.example.com/x', 'must be https'],
    ['http://localhost:3000/x', 'must be https'],
    ['ftp://example.com/x', 'must be https'],
    ['not a url', 'absolute URL'],
    ['https://user:pass@example.com/x', 'user name or password'],
    ['https://example.com/x#frag', 'fragment'],
    ['https://localhost/x', 'public address'],
    ['https://api.localhost/x', 'public address'],
    ['https://127.0.0.1/x', 'public address'],
    ['https://2130706433/x', 'public address'],
    ['https://10.1.2.3/x', 'public address'],
    ['https://172.20.0.1/x', 'public address'],
    ['https://192.168.1.10/x', 'public address'],
    ['https://169.254.169.254/latest/meta-data', 'public address'],
    ['https://[::1]/x', 'public address'],
    ['https://[fd00::1]/x', 'public address'],
    ['https://[::ffff:127.0.0.1]/x', 'public address'],
  ])('refuses %s in production (%s)', (url, why) => {
    expect(() => checkWebhookUrl(url, production)).toThrow(why);
    try {
      checkWebhookUrl(url, production);
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'invalid_body' });
    }
  });

  it('in development also takes http to localhost, 127.0.0.1 and [::1], but no other http', () => {
    for (const url of ['http://localhost:4000/hooks', 'http://127.0.0.1:4000/hooks', 'http://[::1]:4000/hooks', 'https://localhost/x']) {
      expect(checkWebhookUrl(url, development)).toBe(url);
    }
    expect(() => checkWebhookUrl('http://hooks.example.com/x', development)).toThrow('http only to localhost');
    expect(() => checkWebhookUrl('http://192.168.1.10/x', development)).toThrow('http only to localhost');
  });
});
