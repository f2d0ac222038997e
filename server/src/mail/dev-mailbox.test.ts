// Without a Resend key mail lands in the dev mailbox: stored (the outbox keeps the body, SECURITY
// L1's one exception), announced on the console with its links, and browsable at /dev/mail.
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, queueTestEmail, type TestDatabase } from '../../test/database';
import { ManualClock } from '../lib/clock';
import { devMailRoutes } from '../routes/dev-mail';
import type { Store } from '../store/types';
import { createDevMailboxTransport, findUrls } from './dev-mailbox';
import { OutboxWorker } from './worker';

let database: TestDatabase;
let store: Store;
let clock: ManualClock;
let logged: string[];
let worker: OutboxWorker;
let app: Hono;

beforeEach(async () => {
  database = await createTestDatabase();
  store = database.store;
  clock = new ManualClock();
  logged = [];
  const transport = createDevMailboxTransport(store, clock, { log: (line) => logged.push(line) });
  worker = new OutboxWorker({ store, transport, clock, from: 'Doorstep <portal@localhost>' }, { log: () => {} });
  app = new Hono().route('/', devMailRoutes(store));
});

afterEach(() => database.close());

async function enqueue(id: string, subject: string, text: string, html = `<p>${text}</p>`) {
  await queueTestEmail(database, { id, to: 'dana@example.com', subject, html, text, at: clock.now() });
}

const loginText = 'Hi Dana,\n\nSign in: https://portal.test/p/acme#login=tok123.\nOr pay at https://portal.test/p/acme/invoices/inv_1, thanks.';

describe('dev mailbox transport', () => {
  it('stores the message through the worker, keeps the body in the outbox, and logs the links', async () => {
    await enqueue('eml_1', 'Your sign-in link', loginText);
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });

    const [mail] = await store.listDevMail(10);
    expect(mail).toMatchObject({ outboxId: 'eml_1', to: 'dana@example.com', subject: 'Your sign-in link', text: loginText, html: `<p>${loginText}</p>`, createdAt: clock.now() });
    expect(mail!.id).toMatch(/^dml_/);

    const [outbox] = await store.listOutbox(null);
    expect(outbox).toMatchObject({ status: 'sent', text: loginText, html: `<p>${loginText}</p>`, providerMessageId: mail!.id });

    expect(logged).toEqual(['[dev mail] to dana@example.com: "Your sign-in link" https://portal.test/p/acme#login=tok123 https://portal.test/p/acme/invoices/inv_1']);
  });

  it('finds every URL in a text body, without trailing punctuation, once each', () => {
    expect(findUrls('a http://x.test/a, b (https://y.test/b?c=1&d=2). http://x.test/a')).toEqual(['http://x.test/a', 'https://y.test/b?c=1&d=2']);
    expect(findUrls('no links here')).toEqual([]);
  });
});

describe('GET /dev/mail', () => {
  it('lists messages newest first as JSON', async () => {
    await enqueue('eml_old', 'Older', 'first https://portal.test/one');
    await worker.runOnce();
    clock.advance(60_000);
    await enqueue('eml_new', 'Newer', 'second');
    await worker.runOnce();

    const res = await app.request('/dev/mail/messages');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const { data } = (await res.json()) as { data: Record<string, unknown>[] };
    expect(data).toHaveLength(2);
    expect(data[0]).toEqual({ id: expect.stringMatching(/^dml_/), to: 'dana@example.com', subject: 'Newer', text: 'second', html: '<p>second</p>', createdAt: new Date(clock.now()).toISOString() });
    expect(data[1]).toMatchObject({ subject: 'Older', text: 'first https://portal.test/one', createdAt: new Date(clock.now() - 60_000).toISOString() });
  });

  it('serves a self-contained page with everything escaped, links clickable, bodies sandboxed', async () => {
    const subject = 'Invoice <script>alert("x")</script> & more';
    await enqueue('eml_1', subject, 'Pay here: https://portal.test/p/acme?a=1&b=2 <b>now</b>', '<p onclick="x()">"quoted" & <script>alert(1)</script></p>');
    await worker.runOnce();
    clock.advance(1000);
    await enqueue('eml_2', 'Second message', 'hello');
    await worker.runOnce();

    const res = await app.request('/dev/mail');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
    const page = await res.text();

    expect(page).not.toContain('<script');
    expect(page).toContain('Invoice &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(page).toContain('<a href="https://portal.test/p/acme?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">https://portal.test/p/acme?a=1&amp;b=2</a> &lt;b&gt;now&lt;/b&gt;');
    expect(page).toContain('<iframe sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(page).toContain('srcdoc="&lt;p onclick=&quot;x()&quot;&gt;&quot;quoted&quot; &amp; &lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;"');
    expect(page).toContain('dana@example.com');
    expect(page).toContain('2026-01-15 12:00:00 UTC');
    // Newest first, and nothing loaded from elsewhere.
    expect(page.indexOf('Second message')).toBeLessThan(page.indexOf('Invoice &lt;script'));
    expect(page).not.toMatch(/<(link|img)\b|\bsrc=/);
  });

  it('says so when the mailbox is empty', async () => {
    const page = await (await app.request('/dev/mail')).text();
    expect(page).toContain('No mail yet');
    expect(await (await app.request('/dev/mail/messages')).json()).toEqual({ data: [] });
  });
});
