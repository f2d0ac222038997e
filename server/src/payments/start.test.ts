// Payments at start-up: which Stripe the environment selects, and `npm start`'s server (a real
// process) paying an invoice through its in-process Stripe emulator over real HTTP, end to end.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv, type Env } from '../env';
import { ManualClock } from '../lib/clock';
import { createBusiness } from '../services/businesses';
import { SqliteStore } from '../store/sqlite';
import { sampleLineItems, tempDir } from '../../test/harness';
import { startPayments } from './start';

const root = resolve(import.meta.dirname, '../../..');

function env(vars: Record<string, string>): Env {
  const parsed = parseEnv(vars);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.env;
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

describe('configuration', () => {
  it('validates the emulator variables', () => {
    expect(env({}).STRIPE_EMULATOR_PORT).toBe(12111);
    const problems = (vars: Record<string, string>) => {
      const parsed = parseEnv(vars);
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ STRIPE_EMULATOR_PORT: 'x' })).toEqual(['STRIPE_EMULATOR_PORT must be a port number']);
    expect(problems({ STRIPE_EMULATOR_PORT: '8787' })).toEqual(['STRIPE_EMULATOR_PORT must differ from PORT']);
    expect(problems({ STRIPE_EMULATOR_URL: 'ftp://x' })[0]).toMatch(/^STRIPE_EMULATOR_URL must be an http\(s\) URL/);
    expect(problems({ NODE_ENV: 'production', PUBLIC_URL: 'https://p.example.com', STRIPE_EMULATOR_URL: 'http://127.0.0.1:12111' })[0]).toMatch(
      /^STRIPE_EMULATOR_URL is for development without STRIPE_SECRET_KEY only/,
    );
  });

  it('selects Stripe with a key, nothing in production without one, the emulator in development', async () => {
    const real = await startPayments(env({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }));
    expect(real.payments?.provider).toBe('stripe');
    expect(real.payments?.webhookSecret).toBe('whsec_abc');
    expect(real.payments?.connectWebhookSecret).toBeUndefined();
    const connect = await startPayments(env({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect' }));
    expect(connect.payments?.connectWebhookSecret).toBe('whsec_connect');

    const off = await startPayments(env({ NODE_ENV: 'production', PUBLIC_URL: 'https://p.example.com' }));
    expect(off.payments).toBeUndefined();

    const port = await freePort();
    const dev = await startPayments(env({ STRIPE_EMULATOR_PORT: String(port) }));
    try {
      expect(dev.payments?.provider).toBe('emulator');
      expect(dev.payments?.webhookSecret).toMatch(/^whsec_[\w-]{32}$/);
      // The in-process emulator signs connected accounts' events with a Connect secret of its own.
      expect(dev.payments?.connectWebhookSecret).toMatch(/^whsec_[\w-]{32}$/);
      expect(dev.payments?.connectWebhookSecret).not.toBe(dev.payments?.webhookSecret);
      const customer = await dev.payments!.stripe.customers.create({ name: 'Via the emulator' });
      expect(customer.id).toMatch(/^cus_/);
      // The port is taken now: a second server's emulator takes another one.
      const second = await startPayments(env({ STRIPE_EMULATOR_PORT: String(port), PORT: '8000' }));
      expect(second.description).not.toContain(`:${port} `);
      await second.stop();
    } finally {
      await dev.stop();
    }
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

describe('npm start with no STRIPE_SECRET_KEY', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  });

  it('serves the emulator, whose checkout and webhook pay an invoice over real HTTP; SIGTERM stops both', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'doorstep.db');
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const api = `http://127.0.0.1:${port}`;

    // The business, its API key and payments on, as the operator's CLI and the console would.
    const clock = new ManualClock(Date.now());
    const store = SqliteStore.open(dbPath);
    const created = await createBusiness({ store, clock, publicUrl: api, paymentsConfigured: true }, { id: 'acme', name: 'Acme Plumbing', portalUrl: 'https://acme.test/portal', ownerEmail: 'owner@acme.test' });
    await store.updateBusinessSettings('acme', { paymentsEnabled: true }, clock.now());

    const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DOORSTEP_DEMO: '0', PORT: String(port), PUBLIC_URL: api, DATABASE_PATH: dbPath, STRIPE_EMULATOR_PORT: String(emulatorPort) };
    for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_CONNECT_WEBHOOK_SECRET', 'STRIPE_EMULATOR_URL', 'RESEND_API_KEY', 'DATABASE_URL']) delete childEnv[name];
    const server = spawn(resolve(root, 'node_modules/.bin/tsx'), ['server/src/index.ts'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.push(server);
    let output = '';
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const deadline = Date.now() + 30_000;
    while (!/Doorstep listening/.test(output)) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toContain(`Payments: local Stripe emulator at http://127.0.0.1:${emulatorPort}`);

    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${api}${path}`, { method, headers: { Authorization: `Bearer ${created.apiKey.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    const customer = await admin('POST', '/v1/admin/customers', { name: 'Dana Rivera', email: 'dana@example.com' });
    const invoice = await admin('POST', '/v1/admin/invoices', { customerId: customer.id, number: 'INV-1', currency: 'usd', lineItems: sampleLineItems, status: 'open' });

    await fetch(`${api}/v1/b/acme/login-links`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'dana@example.com' }) });
    const token = /#portal-token=([\w-]{43})/.exec((await store.listOutbox('acme')).find((m) => m.kind === 'login_link')?.text ?? '')?.[1];
    const session = await (await fetch(`${api}/v1/b/acme/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) })).json();
    if (!session.session) throw new Error(`sign-in failed: ${JSON.stringify(session)} ${JSON.stringify(await store.listOutbox('acme'))}`);
    const bearer = { Authorization: `Bearer ${session.session.token}` };

    const { url } = await (await fetch(`${api}/v1/b/acme/invoices/${invoice.id}/checkout`, { method: 'POST', headers: bearer })).json();
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${emulatorPort}/checkout/cs_test_`));
    const page = await (await fetch(url)).text();
    expect(page).toContain('Pay $1,487.50');
    const paid = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'card_number=4242+4242+4242+4242&expiry=12+%2F+34&cvc=123', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://acme.test/portal#portal-checkout=success&invoice=${invoice.id}`);

    const after = await (await fetch(`${api}/v1/b/acme/invoices/${invoice.id}`, { headers: bearer })).json();
    expect(after).toMatchObject({ status: 'paid', amountDue: 0 });
    const kinds = (await store.listOutbox('acme')).map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['notify_invoice_paid', 'payment_receipt']));
    store.close();

    server.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => server.once('exit', (c) => done(c)));
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${emulatorPort}/`)).rejects.toThrow();
  });
});
