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
import { startStripeEmulator, type StripeEmulator } from '../../demo/stripe-emulator/index';
import { createApp } from '../../server/src/app';
import { BulkInvitationWorker } from '../../server/src/jobs/bulk-invitations';
import { systemClock } from '../../server/src/lib/clock';
import { createDevMailboxTransport } from '../../server/src/mail/dev-mailbox';
import { OutboxWorker } from '../../server/src/mail/worker';
import { Payments } from '../../server/src/payments/gateway';
import { createBusiness } from '../../server/src/services/businesses';
import type { Deps } from '../../server/src/services/deps';
import { SqliteStore } from '../../server/src/store/sqlite';
import { WebhookWorker } from '../../server/src/webhooks/worker';
import { submitCheckout } from '../../server/test/stripe';
import { WebhookReceiver } from '../../server/test/webhook-receiver';
import { text as english } from '../src/i18n/en';
import { text as spanish } from '../src/i18n/es';

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
let webhooks: WebhookWorker;
let receiver: WebhookReceiver;
let emulator: StripeEmulator;
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
async function axeViolations(on: Page = page): Promise<string[]> {
  if (!(await on.evaluate('typeof window.axe'))?.toString().includes('object')) await on.evaluate(AXE);
  const { violations, checked } = (await on.evaluate(async () => {
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

async function expectAccessible(what: string, on: Page = page) {
  expect(await axeViolations(on), `axe-core violations on ${what}`).toEqual([]);
}

const nav = (label: string, on: Page = page) => on.locator('doorstep-admin nav').getByRole('button', { name: label, exact: true });

/** A customer of Acme signed in to the portal as the widget does it: the headers of their requests. */
async function customerSession(email: string): Promise<Record<string, string>> {
  const requested = Date.now();
  await admin('POST', '/v1/b/acme/login-links', { email }, {});
  const login = await mailTo(email, /sign-in link/i, requested);
  const token = /#portal-token=([\w-]{43})/.exec(login.text)![1];
  const session = await admin('POST', '/v1/b/acme/sessions', { token }, {});
  return { Authorization: `Bearer ${session.session.token}` };
}

// ---- English left on a Spanish page ----

const SAMPLE = '\uE000';
const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The English catalogue's words that Spanish says differently: every string that differs from its
 * Spanish entry, and the fixed parts of every sentence built around names and numbers (the
 * functions called with a marker for each argument). Each as a pattern that matches whole words.
 */
function englishPhrases(): { phrase: string; pattern: RegExp }[] {
  const phrases = new Set<string>();
  const walk = (en: unknown, es: unknown) => {
    if (typeof en === 'string') {
      if (en !== es && /\p{L}{4}/u.test(en)) phrases.add(en);
    } else if (typeof en === 'function') {
      const args = Array.from({ length: Math.max(1, en.length) }, () => SAMPLE);
      const said = String((es as (...a: unknown[]) => unknown)(...args));
      for (const part of String(en(...args)).split(SAMPLE)) {
        const fixed = part.trim();
        if (/\p{L}{2}/u.test(fixed) && fixed.length >= 5 && !said.includes(fixed)) phrases.add(fixed);
      }
    } else if (en && typeof en === 'object') {
      for (const key of Object.keys(en)) walk((en as Record<string, unknown>)[key], (es as Record<string, unknown>)[key]);
    }
  };
  walk(english, spanish);
  return [...phrases].map((phrase) => {
    const start = /^\p{L}/u.test(phrase) ? '(?<!\\p{L})' : '';
    const end = /\p{L}$/u.test(phrase) ? '(?!\\p{L})' : '';
    return { phrase, pattern: new RegExp(`${start}${escape(phrase)}${end}`, 'u') };
  });
}

const ENGLISH = englishPhrases();

/**
 * Everything the console says on the page, through its shadow roots: text, labels, placeholders,
 * titles. Not the snippets (HTML), the live widget preview (in the language of the business's
 * customers), nor what is marked translate="no" (names people gave, such as an API key's).
 */
function renderedText(on: Page): Promise<string> {
  return on.evaluate(() => {
    const out: string[] = [document.title];
    const skip = new Set(['PORTAL-LOGIN', 'PRE', 'CODE', 'SCRIPT', 'STYLE']);
    const visit = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        out.push(node.textContent ?? '');
        return;
      }
      if (node instanceof Element) {
        if (skip.has(node.tagName) || node.getAttribute('translate') === 'no') return;
        for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
          const value = node.getAttribute(name);
          if (value) out.push(value);
        }
        if (node.shadowRoot) visit(node.shadowRoot);
      }
      node.childNodes.forEach(visit);
    };
    visit(document.body);
    return out.join('\n');
  });
}

async function expectNoEnglish(what: string, on: Page) {
  const text = await renderedText(on);
  expect(text.length, `text of ${what}`).toBeGreaterThan(50);
  expect(
    ENGLISH.filter(({ pattern }) => pattern.test(text)).map(({ phrase }) => phrase),
    `English left on ${what}`,
  ).toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(join(distDir, 'admin.js')) || !existsSync(join(distDir, 'portal.js'))) {
    throw new Error('dist/admin.js or dist/portal.js is missing: run `npm run build` first (npm test does).');
  }
  dir = mkdtempSync(join(tmpdir(), 'doorstep-console-'));
  store = SqliteStore.open(join(dir, 'doorstep.db'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Payments through the local Stripe emulator, whose signed webhooks reach this server over HTTP.
  const stripeWebhookSecret = 'whsec_doorstep_console_tests';
  emulator = await startStripeEmulator({ webhookSecret: stripeWebhookSecret, webhookUrl: `${base}/v1/webhooks/stripe` });
  const payments = new Payments({ secretKey: 'sk_test_doorstep_console', webhookSecret: stripeWebhookSecret, apiUrl: emulator.url, maxNetworkRetries: 0 });
  const deps: Deps = { store, clock: systemClock, publicUrl: base, paymentsConfigured: true, payments, trustProxy: false, dev: true };
  const created = await createBusiness(deps, { id: 'acme', name: 'Acme Plumbing', ownerEmail: 'owner@acme.test' });
  key = created.apiKey.key;
  const app = createApp(deps, { distDir, devMail: true });
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  outbox = new OutboxWorker({ store, transport: createDevMailboxTransport(store, systemClock, { log: () => undefined }), clock: systemClock, from: 'Doorstep <portal@localhost>' });
  outbox.start(100);
  bulk = new BulkInvitationWorker(deps);
  bulk.start(100);
  webhooks = new WebhookWorker({ store, clock: systemClock });
  webhooks.start(100);
  receiver = new WebhookReceiver();
  await receiver.listen();

  await admin('POST', '/v1/admin/customers', { name: 'Ann Archer', email: 'ann@example.com' });
  await admin('POST', '/v1/admin/customers', { name: 'Ben Brooks', email: 'ben@example.com' });
  await admin('POST', '/v1/admin/customers', { name: 'Cal Carter', phone: '+1 555 0100' });

  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  context = await browser.newContext({ locale: 'en-US' });
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
  await Promise.all([outbox?.stop(), bulk?.stop(), webhooks?.stop(), receiver?.close(), emulator?.close()]);
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

  it('owners manage staff: add with a role (the new member is emailed), change a role, remove; the last owner stays', async () => {
    await nav('Staff').click();
    await page.getByRole('heading', { name: 'Add a staff member' }).waitFor();
    const rows = page.locator('table.staff tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('owner@acme.test (you)');
    await expectAccessible('the staff page');
    // The only owner cannot step down, and nobody can remove themselves.
    expect(await page.getByRole('button', { name: 'Remove (owner@acme.test)' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Make staff (owner@acme.test)' }).click();
    await page.getByRole('alert').getByText('A business must keep at least one owner: make another staff member an owner first.').waitFor();
    expect(await rows.first().locator('td.role').textContent()).toBe('Owner');

    const started = Date.now();
    await page.locator('ds-staff').getByLabel('Email').fill('office@acme.test');
    await page.locator('ds-staff').getByLabel('Role').selectOption('staff');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    await page.getByText('office@acme.test was added. An email tells them how to sign in.').waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    const welcome = await mailTo('office@acme.test', /^You were added to the Acme Plumbing admin console$/, started);
    expect(welcome.text).toContain(`${base}/admin`);

    await page.getByRole('button', { name: 'Make owner (office@acme.test)' }).click();
    await page.getByText('office@acme.test is now an owner.').waitFor();
    expect(await rows.filter({ hasText: 'office@acme.test' }).locator('td.role').textContent()).toBe('Owner');
    await page.getByRole('button', { name: 'Remove (office@acme.test)' }).click();
    await page.getByRole('button', { name: 'Confirm: remove (office@acme.test)' }).click();
    await page.getByText('office@acme.test was removed and can no longer sign in.').waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await store.listStaff('acme')).map((m) => [m.email, m.role])).toEqual([['owner@acme.test', 'owner']]);
    await expectAccessible('the staff page after the changes');
  }, 60_000);

  it('a request with an API key cannot create a key (403); the owner in the console can', async () => {
    const refused = await fetch(`${base}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Made with a key' }),
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('api_key_not_allowed');

    await nav('API keys').click();
    await page.getByLabel('Name').fill('Made in the console');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByRole('heading', { name: 'New key “Made in the console”' }).waitFor();
    const made = (await page.locator('code.secret').textContent())!;
    await admin('GET', '/v1/admin/settings', undefined, { Authorization: `Bearer ${made}` });
    const names = (await admin('GET', '/v1/admin/api-keys')).data.map((k: { name: string }) => k.name);
    expect(names).toContain('Made in the console');
    expect(names).not.toContain('Made with a key');
  }, 60_000);

  it('pausing a webhook endpoint holds its deliveries; resuming sends them', async () => {
    const url = receiver.url('/acme');
    await nav('Webhooks').click();
    await page.getByLabel('URL').fill(url);
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await page.getByRole('heading', { name: `Signing secret for ${url}` }).waitFor();
    const endpoint = page.locator('article.endpoint').filter({ hasText: url });
    await endpoint.getByRole('button', { name: 'Pause deliveries' }).click();
    await endpoint.locator('.badge', { hasText: 'paused' }).waitFor();
    expect(await endpoint.getByRole('button', { name: 'Send a test event' }).count()).toBe(0);
    await expectAccessible('the webhooks page with a paused endpoint');

    // A customer writes while the endpoint is paused: the event is queued for it and held.
    const ben = await customerSession('ben@example.com');
    await admin('POST', '/v1/b/acme/messages', { kind: 'other', body: 'Can the visit move to Friday?' }, ben);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // ten runs of the webhook worker
    expect(receiver.received).toEqual([]);
    await endpoint.getByRole('button', { name: 'Recent deliveries' }).click();
    await endpoint.locator('td.delivery-status', { hasText: 'waiting (paused)' }).waitFor();

    await endpoint.getByRole('button', { name: 'Resume deliveries' }).click();
    await page.getByText(`Deliveries to ${url} resumed: waiting events go out now.`).waitFor();
    await expect.poll(() => receiver.accepted('/acme').length, { timeout: 10_000 }).toBe(1);
    expect(JSON.parse(receiver.accepted('/acme')[0]!.body.toString())).toMatchObject({ type: 'message.received', businessId: 'acme' });
    await expect
      .poll(async () => {
        await endpoint.getByRole('button', { name: 'Recent deliveries' }).click();
        return endpoint.locator('td.delivery-status').first().textContent();
      })
      .toBe('delivered');
  }, 60_000);

  it('the overview counts an invoice paid through the portal, not one marked paid through the API', async () => {
    await admin('PATCH', '/v1/admin/settings', { paymentsEnabled: true });
    const pat = await admin('POST', '/v1/admin/customers', { name: 'Pat Payer', email: 'pat@example.com' });
    const line = (description: string, unitAmount: number) => [{ description, quantity: 1, unitAmount }];
    const online = await admin('POST', '/v1/admin/invoices', { customerId: pat.id, number: 'PORTAL-1', currency: 'usd', lineItems: line('Drain repair', 12_500), status: 'open' });
    const cheque = await admin('POST', '/v1/admin/invoices', { customerId: pat.id, number: 'CHEQUE-1', currency: 'usd', lineItems: line('Annual service', 40_000), status: 'open' });
    await admin('PATCH', `/v1/admin/invoices/${cheque.id}`, { status: 'paid' });
    // Pat pays the other one in the portal: Stripe Checkout, confirmed by Stripe's webhook.
    const session = await customerSession('pat@example.com');
    const { url } = await admin('POST', `/v1/b/acme/invoices/${online.id}/checkout`, {}, session);
    expect((await submitCheckout(url)).status).toBe(303);
    await expect.poll(async () => (await admin('GET', `/v1/admin/invoices/${online.id}`)).status).toBe('paid');

    await nav('Customers').click();
    await nav('Overview').click();
    const paid = page.locator('#paid-through-portal dd');
    await paid.waitFor();
    expect((await paid.textContent())!.replace(/\s+/g, ' ').trim()).toBe('1 of 2 paid in all');
    expect((await page.locator('#collected dd').textContent())!.trim()).toBe('$125.00');
    await page.getByText('Invoices paid through the portal this month').waitFor();
    await expectAccessible('the overview with payments');
  }, 60_000);

  it('in Spanish (the browser\'s language), 360 px wide, every main page has zero axe violations and no English; the EN/ES switch is remembered', async () => {
    // On a phone's width too (360 px): the longer Spanish wording must not push the page sideways.
    const spanishContext = await browser.newContext({ locale: 'es-ES', viewport: { width: 360, height: 740 } });
    try {
      const es = await spanishContext.newPage();
      const check = async (what: string) => {
        await es.waitForLoadState('networkidle');
        expect(await es.evaluate(() => document.documentElement.lang), what).toBe('es');
        expect(await es.evaluate(() => document.documentElement.scrollWidth), `${what} at 360 px`).toBeLessThanOrEqual(360);
        await expectAccessible(what, es);
        await expectNoEnglish(what, es);
      };

      await es.goto(`${base}/admin`);
      await es.getByRole('heading', { name: 'Inicia sesión en la consola de Doorstep' }).waitFor();
      expect(await es.title()).toBe('Consola de administración de Doorstep');
      await check('la página de inicio de sesión');

      await spanishContext.addCookies((await context.cookies()).filter((c) => c.name === 'doorstep_staff'));
      await es.reload();
      await es.getByRole('heading', { name: 'Acme Plumbing · Consola de Doorstep' }).waitFor();
      await es.getByRole('heading', { name: 'Últimas 12 semanas' }).waitFor();
      expect((await es.locator('#paid-through-portal dd').textContent())!.replace(/\s+/g, ' ').trim()).toBe('1 de 2 pagadas en total');
      // Money and dates in the Spanish of the browser (es-ES): decimal comma, day before month, 24-hour clock.
      expect((await es.locator('#collected dd').textContent())!.trim()).toMatch(/^125,00\s?US\$$/);
      await check('el resumen');

      await nav('Clientes', es).click();
      await es.getByRole('checkbox', { name: 'Seleccionar a Ann Archer' }).waitFor();
      await check('la lista de clientes');
      await es.getByRole('button', { name: 'Ann Archer' }).click();
      await es.getByRole('heading', { name: 'Invitaciones enviadas' }).waitFor();
      const sent = (await es.locator('tr.invitation time').first().textContent())!;
      expect(sent).not.toMatch(/AM|PM/);
      expect(sent).toMatch(/\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic)\.? \d{4},? \d{1,2}:\d{2}/);
      await check('la ficha de un cliente');
      await nav('Clientes', es).click();
      await es.getByRole('button', { name: 'Nuevo cliente' }).click();
      await es.getByRole('heading', { name: 'Nuevo cliente' }).waitFor();
      await check('el formulario de cliente nuevo');

      for (const [label, heading] of [
        ['Trabajos', 'Programar un trabajo'],
        ['Facturas', 'Crear una factura'],
        ['Presupuestos', 'Crear un presupuesto'],
        ['Mensajes', 'Otro asunto de Ann Archer'],
        ['Configuración', 'Acceso al portal'],
        ['Claves de API', 'Claves de API'],
      ] as const) {
        await nav(label, es).click();
        await es.getByRole('heading', { name: heading, exact: true }).waitFor();
        await check(`la página ${label}`);
      }
      await nav('Facturas', es).click();
      await es.getByRole('cell', { name: 'pagada', exact: true }).first().waitFor();

      await nav('Webhooks', es).click();
      const endpoint = es.locator('article.endpoint').filter({ hasText: receiver.url('/acme') });
      await endpoint.getByRole('button', { name: 'Envíos recientes' }).click();
      await endpoint.locator('td.delivery-status', { hasText: 'entregado' }).first().waitFor();
      await check('la página de webhooks con sus envíos');

      // The server's refusal, said in Spanish.
      await nav('Personal', es).click();
      await es.getByRole('button', { name: 'Pasar a personal (owner@acme.test)' }).click();
      await es.getByRole('alert').getByText('Un negocio debe tener al menos un propietario: haz propietario a otra persona primero.').waitFor();
      await check('la página de personal con un error');

      // The switch: English at once, still English after a reload (remembered), and back.
      await es.getByRole('button', { name: 'EN (English)' }).click();
      await es.getByRole('heading', { name: 'Add a staff member' }).waitFor();
      expect(await es.evaluate(() => document.documentElement.lang)).toBe('en');
      await es.reload();
      await es.getByRole('heading', { name: 'Acme Plumbing · Doorstep console' }).waitFor();
      expect(await es.getByRole('button', { name: 'EN (English)' }).getAttribute('aria-pressed')).toBe('true');
      await es.getByRole('button', { name: 'ES (Español)' }).click();
      await es.getByRole('heading', { name: 'Acme Plumbing · Consola de Doorstep' }).waitFor();
      await check('el resumen, de nuevo en español');
    } finally {
      await spanishContext.close();
    }
  }, 120_000);
});
