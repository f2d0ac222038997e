// The whole customer journey the way a customer lives it: the demo business's website on one
// origin, Doorstep on another, Debian's Chromium driven by playwright-core, mail read from the dev
// mailbox, payments through the local Stripe emulator's checkout page.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, startServer, type RunningServer } from '../../server/test/server-process';
import { DEMO_BUSINESS, DEMO_CUSTOMER_EMAIL } from '../seed';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const screenshots = join(repoRoot, '.tmp', 'screenshots');

let server: RunningServer;
let api: string;
let site: string;
let apiKey: string;
let browser: Browser;

beforeAll(async () => {
  const [port, sitePort, stripePort] = await Promise.all([freePort(), freePort(), freePort()]);
  api = `http://localhost:${port}`;
  site = `http://127.0.0.1:${sitePort}`;
  server = await startServer({
    dbPath: join(mkdtempSync(join(tmpdir(), 'doorstep-e2e-')), 'doorstep.db'),
    port,
    timeoutMs: 60_000,
    env: { PUBLIC_URL: api, DOORSTEP_DEMO: '1', DEMO_SITE_PORT: String(sitePort), STRIPE_EMULATOR_PORT: String(stripePort) },
  });
  apiKey = /Admin API key:\s+(dsk_\S+)/.exec(server.output())?.[1] ?? '';
  browser = await chromium.launch({ executablePath: process.env['CHROME_PATH'] || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(screenshots, { recursive: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.kill();
});

interface Mail {
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

const seenMail = new Set<string>();

/** The newest email to `to` not seen before (the dev mailbox plays the customer's inbox). */
async function waitForMail(to: string, timeoutMs = 15_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data } = (await (await fetch(`${api}/dev/mail/messages`)).json()) as { data: (Mail & { id: string })[] };
    const mail = data.find((m) => m.to === to && !seenMail.has(m.id));
    if (mail) seenMail.add(mail.id);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no email to ${to} arrived`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const linkIn = (mail: Mail) => /(http\S+#portal-token=[\w-]{43})/.exec(mail.text)?.[1] ?? '';

/** A page that records every request URL and Referer, and any CSP violation. */
async function openPage(context: BrowserContext): Promise<{ page: Page; requests: string[]; violations: string[] }> {
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => {
    requests.push(request.url());
    const referer = request.headers()['referer'];
    if (referer) requests.push(`referer:${referer}`);
  });
  const violations: string[] = [];
  await page.exposeFunction('__reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportViolation: (v: string) => void }).__reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, requests, violations };
}

/** Requests a link from the website's "Login to Portal" button and returns the emailed link. */
async function requestLinkFromWebsite(page: Page, email: string): Promise<string> {
  await page.goto(`${site}/`);
  await page.getByRole('button', { name: 'Login to Portal' }).click();
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect.poll(() => page.getByText('Check your email').isVisible(), { timeout: 10_000 }).toBe(true);
  return linkIn(await waitForMail(email));
}

async function continueFromLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('a customer on the business website', () => {
  it('signs in from the emailed link, sees appointments and the unpaid banner, pays, approves, asks to reschedule, keeps a card; the token never leaks', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, requests } = await openPage(context);
    const link = await requestLinkFromWebsite(page, DEMO_CUSTOMER_EMAIL);
    expect(link.startsWith(`${site}/portal.html#portal-token=`)).toBe(true);
    const token = link.split('#portal-token=')[1]!;

    await page.goto(link);
    await page.getByRole('button', { name: 'Continue' }).waitFor();
    expect(page.url()).not.toContain(token); // removed before any request
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(() => page.getByRole('heading', { name: 'Appointments' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText('Water heater replacement — 50 gal gas').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByText(/You have 1 unpaid invoice/).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: join(screenshots, 'portal-desktop.png'), fullPage: true });

    await page.setViewportSize({ width: 360, height: 780 });
    await page.screenshot({ path: join(screenshots, 'portal-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    expect(requests.filter((r) => r.includes(token))).toEqual([]);
    expect(page.url()).not.toContain(token);

    // Pay the unpaid invoice through the emulator's hosted checkout.
    const mailSeenBeforePaying = new Set(((await (await fetch(`${api}/dev/mail/messages`)).json()) as { data: { id: string }[] }).data.map((m) => m.id));
    await page.getByRole('button', { name: 'Pay invoices' }).click();
    await page.getByRole('button', { name: /INV-1042/ }).first().click();
    await page.getByRole('button', { name: 'Pay $354.40' }).click();
    await page.waitForURL(/\/checkout\//, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Pay $354.40' }).click();
    await page.waitForURL(new RegExp(`^${site}/portal.html`), { timeout: 20_000 });
    await expect.poll(() => page.getByText(/Payment received — thank you/).isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByText(/You have 1 unpaid invoice/).count(), { timeout: 10_000 }).toBe(0);
    await expect
      .poll(async () => ((await (await fetch(`${api}/dev/mail/messages`)).json()) as { data: { id: string; subject: string }[] }).data.filter((m) => !mailSeenBeforePaying.has(m.id)).map((m) => m.subject).join('\n'), { timeout: 15_000 })
      .toMatch(/Invoice INV-1042 paid by Jordan Lee/);

    // Approve the open estimate, choosing one of its three options.
    await page.getByRole('navigation').getByRole('button', { name: /Estimates/ }).click();
    await page.getByRole('button', { name: 'Approve' }).first().click();
    await page.getByRole('radio', { name: /tankless/i }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByText(/You approved estimate EST-2210/).isVisible(), { timeout: 10_000 }).toBe(true);

    // Ask to reschedule the next job; the business sees it through the admin API.
    await page.getByRole('button', { name: 'Send a message' }).first().click();
    const form = page.getByRole('dialog');
    await form.getByRole('radio', { name: 'Reschedule an appointment' }).check();
    await form.getByLabel('Which appointment?').selectOption({ index: 1 });
    await form.getByLabel('Message', { exact: true }).fill('Could the crew come on Thursday instead?');
    await form.getByLabel('First choice').fill('Thursday morning');
    await form.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.getByText(/Message sent/).first().isVisible(), { timeout: 10_000 }).toBe(true);
    const inbox = (await (await fetch(`${api}/v1/admin/messages`, { headers: { Authorization: `Bearer ${apiKey}` } })).json()) as { data: { kind: string; body: string; preferredTimes: string[]; customerName: string }[] };
    expect(inbox.data[0]).toMatchObject({ kind: 'reschedule', body: 'Could the crew come on Thursday instead?', preferredTimes: ['Thursday morning'], customerName: 'Jordan Lee' });

    // Add a card through the emulator's setup page, see it listed, remove it.
    await page.getByRole('navigation').getByRole('button', { name: 'Payment methods' }).click();
    await page.getByRole('button', { name: 'Add a card' }).click();
    await page.waitForURL(/\/checkout\//, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Save card' }).click();
    await page.waitForURL(new RegExp(`^${site}/portal.html`), { timeout: 20_000 });
    await expect.poll(() => page.getByText(/ending in 4242/).first().isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Remove' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByText('You have no cards on file.').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(async () => ((await (await fetch(`${api}/dev/mail/messages`)).json()) as { data: { subject: string }[] }).data.map((m) => m.subject).join('\n'), { timeout: 15_000 })
      .toMatch(/Jordan Lee removed a card on file/);

    // Sign out ends the session on the server and returns to the sign-in form.
    const session = await page.evaluate((business) => localStorage.getItem(`doorstep:${business}:session`), DEMO_BUSINESS);
    expect(session).toBeTruthy();
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await expect.poll(() => page.getByLabel('Email address').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.evaluate((business) => localStorage.getItem(`doorstep:${business}:session`), DEMO_BUSINESS)).toBeNull();
    await context.close();
  }, 180_000);

  it('an already used link sends a fresh one, and the old one stays dead', async () => {
    const context = await browser.newContext();
    const { page } = await openPage(context);
    const email = 'priya.n@example.com';
    const link = await requestLinkFromWebsite(page, email);
    await continueFromLink(page, link);
    await expect.poll(() => page.getByRole('heading', { name: 'Appointments' }).isVisible(), { timeout: 15_000 }).toBe(true);

    const fresh = await browser.newContext();
    const { page: again } = await openPage(fresh);
    await continueFromLink(again, link);
    await expect.poll(() => again.getByText(/That link has expired — we've sent a new one to p•••@example.com/).isVisible(), { timeout: 10_000 }).toBe(true);
    const newLink = linkIn(await waitForMail(email));
    expect(newLink).not.toBe(link);
    await continueFromLink(again, newLink);
    await expect.poll(() => again.getByRole('heading', { name: 'Appointments' }).isVisible(), { timeout: 15_000 }).toBe(true);

    // The old link stays dead: it signs nobody in, in a fresh browser.
    const third = await browser.newContext();
    const { page: late } = await openPage(third);
    await continueFromLink(late, link);
    await expect.poll(() => late.getByText(/That link has expired/).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await late.getByRole('heading', { name: 'Appointments' }).count()).toBe(0);
    await third.close();
    await context.close();
    await fresh.close();
  }, 90_000);

  it('works with third-party cookies blocked and under the strictest host CSP, with zero violations', async () => {
    const strictBrowser = await chromium.launch({
      executablePath: process.env['CHROME_PATH'] || '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--test-third-party-cookie-phaseout', '--block-third-party-cookies'],
    });
    try {
      const context = await strictBrowser.newContext();
      const { page, violations } = await openPage(context);
      await page.goto(`${site}/strict.html`);
      const portal = page.locator('customer-portal');
      await portal.getByLabel('Email address').fill('marcus.j@example.com');
      await portal.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await expect.poll(() => portal.getByText('Check your email').isVisible(), { timeout: 10_000 }).toBe(true);
      const link = linkIn(await waitForMail('marcus.j@example.com')).replace('/portal.html', '/strict.html');
      await continueFromLink(page, link);
      await expect.poll(() => page.getByRole('heading', { name: 'Appointments' }).isVisible(), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => page.getByText('Sump pump inspection').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(violations).toEqual([]);
      expect(await context.cookies()).toEqual([]);
      await context.close();
    } finally {
      await strictBrowser.close();
    }
  }, 90_000);

  it('the admin API sees what the demo seeded', async () => {
    expect(apiKey).toMatch(/^dsk_/);
    const res = await fetch(`${api}/v1/admin/customers?limit=100`, { headers: { Authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(12);
  });
});
