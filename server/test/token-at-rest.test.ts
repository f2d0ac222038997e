// SECURITY L1: once the Resend transport has delivered a sign-in email, the raw token is nowhere
// on disk: not in the database file, not in its write-ahead log.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createResendTransport } from '../src/mail/resend';
import { OutboxWorker } from '../src/mail/worker';
import { FakeResend } from './fake-resend';
import { createHarness, expectJson, sampleCustomer, type Harness } from './harness';

const fake = new FakeResend();
let baseUrl: string;
let h: Harness;
beforeAll(async () => {
  baseUrl = await fake.listen();
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
  await fake.close();
});

const onDisk = (token: string) =>
  [h.dbPath!, `${h.dbPath}-wal`].filter(existsSync).some((file) => readFileSync(file).includes(Buffer.from(token)));

it('erases every sign-in link from disk once Resend has it', async () => {
  await expectJson(h.admin('POST', '/v1/admin/customers', sampleCustomer), 201);
  for (let i = 0; i < 3; i++) {
    await expectJson(h.app.request('/v1/b/acme/login-links', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.0.0.${i}` }, body: JSON.stringify({ email: 'dana@example.com' }) }), 202);
    h.clock.advance(61_000);
  }
  const tokens = (await h.store.listOutbox('acme')).map((row) => /portal-token=([\w-]{43})/.exec(row.text!)![1]!);
  expect(tokens).toHaveLength(3);
  expect(tokens.some(onDisk)).toBe(true); // the check can see a token while it is queued

  const worker = new OutboxWorker({ store: h.store, transport: createResendTransport({ apiKey: 're_test_key', baseUrl }), clock: h.clock, from: 'Acme <portal@acme.test>' });
  expect(await worker.runOnce()).toEqual({ sent: 3, failed: 0 });

  expect(fake.delivered.size).toBe(3);
  for (const token of tokens) {
    expect([...fake.delivered.values()].some((mail) => mail.body.includes(token))).toBe(true);
    expect(onDisk(token)).toBe(false);
  }
});
