// The path a customer takes from an invitation, over real HTTP against a started server: the
// business invites, the dev mailbox delivers, the link's token is exchanged, `me` answers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database';
import { freePort, startServer, type RunningServer } from './server-process';

let database: TestDatabase;
let server: RunningServer;
let apiKey: string;

beforeAll(async () => {
  const [port, sitePort, stripePort] = await Promise.all([freePort(), freePort(), freePort()]);
  database = await createTestDatabase();
  server = await startServer({
    port,
    timeoutMs: 60_000,
    env: { ...database.serverEnv, DOORSTEP_DEMO: '1', DEMO_SITE_PORT: String(sitePort), STRIPE_EMULATOR_PORT: String(stripePort) },
  });
  apiKey = /Admin API key:\s+(dsk_\S+)/.exec(server.output())?.[1] ?? '';
}, 90_000);
afterAll(async () => {
  await server?.kill();
  await database?.close();
});

it('invitation → dev mailbox → exchange → me', async () => {
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${server.base}${path}`, { ...init, headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' } });
  const created = await admin('/v1/admin/customers', { method: 'POST', body: JSON.stringify({ name: 'Ivy Invitee', email: 'ivy@example.com' }) });
  expect(created.status).toBe(201);
  const customer = (await created.json()) as { id: string };
  expect((await admin(`/v1/admin/customers/${customer.id}/invitations`, { method: 'POST', body: '{}' })).status).toBe(201);

  let text = '';
  for (let i = 0; i < 100 && !text; i++) {
    const { data } = (await (await fetch(`${server.base}/dev/mail/messages`)).json()) as { data: { to: string; subject: string; text: string }[] };
    const mail = data.find((m) => m.to === 'ivy@example.com');
    if (mail) {
      expect(mail.subject).toBe('Rivera Plumbing & Heating invited you to your customer portal');
      text = mail.text;
    } else await new Promise((r) => setTimeout(r, 100));
  }
  const token = /#portal-token=([\w-]{43})/.exec(text)?.[1];
  expect(token, 'the invitation carries a sign-in link').toBeDefined();

  const exchanged = await fetch(`${server.base}/v1/b/rivera-plumbing/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(exchanged.status).toBe(201);
  expect(exchanged.headers.get('set-cookie')).toBeNull();
  const { session } = (await exchanged.json()) as { session: { token: string } };
  const me = await fetch(`${server.base}/v1/b/rivera-plumbing/me`, { headers: { Authorization: `Bearer ${session.token}` } });
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ id: customer.id, name: 'Ivy Invitee', email: 'ivy@example.com' });
}, 60_000);
