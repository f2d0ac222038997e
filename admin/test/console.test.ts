// The admin console end to end, in Debian's Chromium driven by playwright-core: a real Doorstep
// server (in this process, on a free port, a temp database, the dev mailbox and the queue workers
// running) serving the built dist/admin.js. What is checked is what staff and customers observe:
// the pages, the dev mailbox (GET /dev/mail/messages), the customer's portal API, and axe-core.
import { serve, type ServerType } from '@hono/node-server';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { BulkInvitationWorker } from '../../server/src/jobs/bulk-invitations';
import { systemClock } from '../../server/src/lib/clock';
import { createDevMailboxTransport } from '../../server/src/mail/dev-mailbox';
import { OutboxWorker } from '../../server/src/mail/worker';
import { createBusiness } from '../../server/src/services/businesses';
import type { Deps } from '../../server/src/services/deps';
import { SqliteStore } from '../../server/src/store/sqlite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const distDir = join(root, 'dist');
const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

interface Mail {
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

let dir: string;
let store: SqliteStore;
let server: ServerType;
let base: string;
let key: string;
let outbox: OutboxWorker;
let bulk: BulkInvitationWorker;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function admin(method: string, path: string, body?: unknown, headers: Record<string, string> = { Authorization: `Bearer ${key}` }) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Waits for a message in the dev mailbox to `to` whose subject matches. */
async function mailTo(to: string, subject: RegExp, after = 0): Promise<Mail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { data } = (await (await fetch(`${base}/dev/mail/messages`)).json()) as { data: Mail[] };
    const found = data.find((m) => m.to === to && subject.test(m.subject) && Date.parse(m.createdAt) >= after);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}; mailbox: ${data.map((m) => `${m.to}: ${m.subject}`).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function mailboxTo(to: string): Promise<Mail[]> {
  const { data } = (await (await fetch(`${base}/dev/mail/messages`)).json()) as { data: Mail[] };
  return data.filter((m) => m.to === to);
}

/** Runs axe-core in the page (evaluated over CDP: the console's CSP allows no injected script) and returns the violations. */
async function axeViolations(): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe'))?.toString().includes('object')) await page.evaluate(AXE);
  const { violations, checked } = (await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return {
      violations: result.violations.map((v: any) => `${v.id}: ${v.help} — ${v.nodes.map((n: any) => JSON.stringify(n.target)).join(', ')}`),
      // Rules that found something to check inside the console's shadow roots (so the run is not vacuous).
      checked: result.passes.filter((r: any) => r.nodes.some((n: any) => Array.isArray(n.target[0]))).length,
    };
  })) as { violations: string[]; checked: number };
  expect(checked, 'axe-core checked elements inside the console').toBeGreaterThan(3);
  return violations;
}

async function expectAccessible(what: string) {
  expect(await axeViolations(), `axe-core violations on ${what}`).toEqual([]);
}

const nav = (label: string) => page.locator('doorstep-admin nav').getByRole('button', { name: label, exact: true });

beforeAll(async () => {
  if (!existsSync(join(distDir, 'admin.js')) || !existsSync(join(distDir, 'portal.js'))) {
    throw new Error('dist/admin.js or dist/portal.js is missing: run `npm run build` first (npm test does).');
  }
  dir = mkdtempSync(join(tmpdir(), 'doorstep-console-'));
  store = SqliteStore.open(join(dir, 'doorstep.db'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const deps: Deps = { store, clock: systemClock, publicUrl: base, paymentsConfigured: false, trustProxy: false, dev: true };
  const created = await createBusiness(deps, { id: 'acme', name: 'Acme Plumbing', ownerEmail: 'owner@acme.test' });
  key = created.apiKey.key;
  const app = createApp(deps, { distDir, devMail: true });
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  outbox = new OutboxWorker({ store, transport: createDevMailboxTransport(store, systemClock, { log: () => undefined }), clock: systemClock, from: 'Doorstep <portal@localhost>' });
  outbox.start(100);
  bulk = new BulkInvitationWorker(deps);
  bulk.start(100);

  await admin('POST', '/v1/admin/customers', { name: 'Ann Archer', email: 'ann@example.com' });
  await admin('POST', '/v1/admin/customers', { name: 'Ben Brooks', email: 'ben@example.com' });
  await admin('POST', '/v1/admin/customers', { name: 'Cal Carter', phone: '+1 555 0100' });

  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = await openPage();
}, 60_000);

async function openPage(): Promise<Page> {
  const opened = await context.newPage();
  opened.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return opened;
}

afterAll(async () => {
  await browser?.close();
  await Promise.all([outbox?.stop(), bulk?.stop()]);
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the admin console in Chromium', () => {
  it('signs staff in from the emailed link: the token leaves the address bar and is exchanged on Continue', async () => {
    await page.goto(`${base}/admin`);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to the Doorstep console' }).count()).toBe(1);
    await expectAccessible('the sign-in page');
    await page.getByLabel('Email').fill('owner@acme.test');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const mail = await mailTo('owner@acme.test', /admin console/);
    const link = /(http:\/\/\S+\/admin#staff-token=[\w-]{43})/.exec(mail.text)![1]!;
    // As from the email: the link opens in a new tab.
    await page.close();
    page = await openPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Continue' }).waitFor();
    expect(page.url()).toBe(`${base}/admin`);
    await expectAccessible('the Continue step');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Acme Plumbing · Doorstep console' }).waitFor();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('Customers invited').waitFor();
    await expectAccessible('the overview');
    const cookie = (await context.cookies()).find((c) => c.name === 'doorstep_staff')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  }, 60_000);

  it('bulk-invites three customers: the preview names the one without email, the other two get invitations', async () => {
    const started = Date.now();
    await nav('Customers').click();
    await page.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
    await page.getByRole('checkbox', { name: 'Select Ann Archer' }).waitFor();
    await expectAccessible('the customer list');
    for (const name of ['Ann Archer', 'Ben Brooks', 'Cal Carter']) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByLabel('Bulk actions').selectOption('invite');
    await page.getByRole('button', { name: 'Apply to 3 selected' }).click();
    await page.getByRole('heading', { name: 'Invite 2 customers to the portal' }).waitFor();
    expect(await page.locator('ul.skipped-no-email li').allTextContents()).toEqual(['Cal Carter']);
    await expectAccessible('the bulk invitation preview');
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.getByText('Sent 2 invitations. Skipped for having no email: Cal Carter.').waitFor();

    const ann = await mailTo('ann@example.com', /invited you/, started);
    await mailTo('ben@example.com', /invited you/, started);
    expect(await mailboxTo('cal@example.com')).toEqual([]);
    expect(ann.text).toMatch(/#portal-token=[\w-]{43}/);

    // Ann's profile shows when the invitation went out.
    await page.getByRole('button', { name: 'Ann Archer' }).click();
    await page.getByRole('heading', { name: 'Invitations sent' }).waitFor();
    const sent = page.locator('tr.invitation time');
    await sent.first().waitFor();
    const history = await admin('GET', `/v1/admin/customers/${(await admin('GET', '/v1/admin/customers?q=ann')).data[0].id}/invitations`);
    expect(await sent.first().getAttribute('datetime')).toBe(history.data[0].createdAt);
    expect(await sent.first().textContent()).toMatch(/\d{1,2}:\d{2}\s?(AM|PM)/);
    await expectAccessible('a customer profile');
  }, 60_000);

  it('invites one customer at an address typed into the pre-filled field', async () => {
    const started = Date.now();
    await nav('Customers').click();
    await page.getByRole('button', { name: 'Cal Carter' }).click();
    const field = page.getByLabel('Send the invitation to');
    await field.waitFor();
    expect(await field.inputValue()).toBe('');
    await field.fill('cal@example.net');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByText(/Invitation sent to cal@example\.net/).waitFor();
    await mailTo('cal@example.net', /invited you/, started);
    await page.locator('tr.invitation').first().waitFor();

    // And Ann's field is pre-filled with her primary email.
    await nav('Customers').click();
    await page.getByRole('button', { name: 'Ann Archer' }).click();
    await expect.poll(() => page.getByLabel('Send the invitation to').inputValue()).toBe('ann@example.com');
  }, 60_000);

  it('with auto-invite switched on, scheduling a job invites the customer', async () => {
    await admin('POST', '/v1/admin/customers', { name: 'Dee Dawson', email: 'dee@example.com' });
    await nav('Settings').click();
    const toggle = page.getByLabel('Invite customers automatically when a job is scheduled');
    await toggle.waitFor();
    await expectAccessible('the settings page');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect((await admin('GET', '/v1/admin/settings')).autoInvite).toBe(true);

    const started = Date.now();
    await nav('Jobs').click();
    await page.getByRole('heading', { name: 'Schedule a job' }).waitFor();
    await expect.poll(() => page.locator('#customerId option').count()).toBeGreaterThan(4);
    await expectAccessible('the jobs page');
    await page.getByLabel('Customer').selectOption({ label: 'Dee Dawson' });
    await page.getByLabel('Starts').fill('2026-12-01T09:00');
    await page.getByLabel('Description').fill('Water heater inspection');
    await page.getByRole('button', { name: 'Schedule job' }).click();
    await page.getByText(/Job scheduled for/).waitFor();
    await mailTo('dee@example.com', /invited you/, started);
  }, 60_000);

  it('copies the exact login-button snippet to the clipboard and previews the live <portal-login>', async () => {
    await nav('Settings').click();
    await page.getByRole('button', { name: 'Copy login button snippet' }).click();
    await page.getByText('Login button snippet copied to the clipboard.').waitFor();
    const snippet = await admin('GET', '/v1/admin/snippet');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet.loginButton);
    expect(snippet.loginButton).toBe(`<script src="${base}/portal.js" async></script>\n<portal-login business="acme"></portal-login>`);
    await expect.poll(() => page.evaluate(() => Boolean(customElements.get('portal-login')))).toBe(true);
    await expect.poll(() => page.locator('portal-login').evaluate((el) => Boolean(el.shadowRoot?.childElementCount))).toBe(true);
    await expectAccessible('the settings page with the live preview');
  }, 60_000);

  it('a reply written in the inbox appears in the customer\'s messages', async () => {
    await admin('PATCH', '/v1/admin/settings', { messagingEnabled: true });
    // Ann signs in to the portal the way the widget does, and writes to the business.
    const requested = Date.now();
    await admin('POST', '/v1/b/acme/login-links', { email: 'ann@example.com' }, {});
    const login = await mailTo('ann@example.com', /sign-in link/i, requested);
    const token = /#portal-token=([\w-]{43})/.exec(login.text)![1];
    const session = await admin('POST', '/v1/b/acme/sessions', { token }, {});
    const customer = { Authorization: `Bearer ${session.session.token}` };
    await admin('POST', '/v1/b/acme/messages', { kind: 'other', body: 'Could the technician come before noon?', preferredTimes: ['Mornings'] }, customer);

    await nav('Messages').click();
    await page.getByRole('heading', { name: 'Other from Ann Archer' }).waitFor();
    await page.getByText('Mornings').waitFor();
    await expectAccessible('the messages inbox');
    await page.getByLabel('Reply to Ann Archer').fill('Yes, we will be there at 10.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Reply sent to Ann Archer.').waitFor();
    const mine = await admin('GET', '/v1/b/acme/messages', undefined, customer);
    expect(mine.data[0].replies.map((r: { body: string }) => r.body)).toEqual(['Yes, we will be there at 10.']);
  }, 60_000);

  it('has no axe-core violations on the other pages, and the console\'s CSP was never violated', async () => {
    for (const [label, heading] of [
      ['Invoices', 'Create an invoice'],
      ['Estimates', 'Create an estimate'],
      ['API keys', 'API keys'],
      ['Webhooks', 'Register an endpoint'],
      ['Overview', 'Last 12 weeks'],
    ] as const) {
      await nav(label).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await expectAccessible(`the ${label} page`);
    }
    await nav('API keys').click();
    await page.getByLabel('Name').fill('Browser test');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const shown = await page.locator('code.secret').textContent();
    expect(shown).toMatch(/^dsk_[0-9a-f]{12}_[\w-]{43}$/);
    await expectAccessible('the API keys page with a new key');
    await nav('Customers').click();
    await page.getByRole('button', { name: 'New customer' }).click();
    await page.getByRole('heading', { name: 'New customer' }).waitFor();
    await expectAccessible('the new customer form');
    expect(cspViolations).toEqual([]);
  }, 90_000);
});
