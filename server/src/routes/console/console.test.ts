// The admin console's server side: staff sign-in (SPEC §4.7) with its cookie and Origin checks,
// the staff cookie on the admin API, API keys, the overview and bulk invitation jobs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, sampleLineItems, type Harness } from '../../../test/harness';
import { freshIp, signIn } from '../../../test/sign-in';
import { CONSOLE_ORIGIN, exchangeStaffToken, signInStaff, staffLinkToken } from '../../../test/staff';
import { createPaymentsHarness, payingCustomer, portal, submitCheckout } from '../../../test/stripe';
import { createApp } from '../../app';
import { sha256 } from '../../lib/crypto';
import { runBulkJob } from '../../services/bulk-invitations';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  h.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: CONSOLE_ORIGIN, 'X-Forwarded-For': freshIp(), ...headers },
    body: JSON.stringify(body),
  });

describe('staff sign-in', () => {
  it('answers 202 with the same body for staff, customers and strangers; only staff get a link to /admin#staff-token=…', async () => {
    await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Cora', email: 'cora@example.com' }), 201);
    const answers = [];
    for (const email of ['owner@acme.test', 'cora@example.com', 'nobody@example.com']) {
      const res = await post('/admin/api/login-links', { email });
      answers.push({ status: res.status, body: await res.text(), type: res.headers.get('Content-Type') });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.status).toBe(202);
    const mail = (await h.store.listOutbox('acme')).filter((m) => m.kind === 'staff_login_link');
    expect(mail.map((m) => m.to)).toEqual(['owner@acme.test']);
    expect(mail[0]!.text).toMatch(/https:\/\/portal\.test\/admin#staff-token=[\w-]{43}\b/);
    expect(mail[0]!.subject).toContain('Acme Plumbing');
  });

  it('limits links per email (1 a minute, silently) and per IP (5 a minute, 429 + Retry-After)', async () => {
    await staffLinkToken(h, 'acme', 'owner@acme.test');
    const again = await post('/admin/api/login-links', { email: 'owner@acme.test' });
    expect(again.status).toBe(202);
    expect((await h.store.listOutbox('acme')).filter((m) => m.kind === 'staff_login_link')).toHaveLength(1);

    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await post('/admin/api/login-links', { email: `x${i}@example.com` }, { 'X-Forwarded-For': ip })).status).toBe(202);
    const limited = await post('/admin/api/login-links', { email: 'x9@example.com' }, { 'X-Forwarded-For': ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
  });

  it('exchanges a link once for an HttpOnly, SameSite=Lax, Secure cookie whose token is stored only hashed', async () => {
    const token = await staffLinkToken(h, 'acme', 'owner@acme.test');
    const res = await exchangeStaffToken(h, token);
    const body = await expectJson(res, 201);
    expect(body.staff.email).toBe('owner@acme.test');
    expect(body.business).toMatchObject({ id: 'acme', name: 'Acme Plumbing' });
    const cookie = res.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^doorstep_staff=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain(`Max-Age=${30 * 24 * 60 * 60}`);
    const value = /doorstep_staff=([\w-]+)/.exec(cookie)![1]!;
    expect(await h.query('select token_hash from staff_sessions')).toEqual([{ token_hash: sha256(value) }]);
    expect(JSON.stringify(await h.query('select * from staff_link_tokens'))).not.toContain(token);

    const reused = await exchangeStaffToken(h, token);
    expect(reused.status).toBe(410);
    expect((await reused.json()).error.code).toBe('link_expired');
    expect(reused.headers.get('Set-Cookie')).toBeNull();
    expect((await exchangeStaffToken(h, 'A'.repeat(43))).status).toBe(401);
  });

  it('has no Secure flag when PUBLIC_URL is plain http (local development)', async () => {
    const app = createApp({ ...h.deps, publicUrl: 'http://localhost:8787' }, { distDir: join(h.dir, 'dist') });
    const token = await staffLinkToken(h, 'acme', 'owner@acme.test');
    const res = await app.request('/admin/api/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:8787', 'X-Forwarded-For': freshIp() },
      body: JSON.stringify({ token }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('Set-Cookie')).not.toContain('Secure');
    expect(res.headers.get('Set-Cookie')).toContain('HttpOnly');
  });

  it('links last 15 minutes', async () => {
    const early = await staffLinkToken(h, 'acme', 'owner@acme.test');
    h.clock.advance(15 * MINUTE - 1000);
    expect((await exchangeStaffToken(h, early)).status).toBe(201);
    h.clock.advance(MINUTE);
    const late = await staffLinkToken(h, 'acme', 'owner@acme.test');
    h.clock.advance(15 * MINUTE + 1000);
    expect((await exchangeStaffToken(h, late)).status).toBe(410);
  });

  it('a newer link supersedes an older unused one', async () => {
    const first = await staffLinkToken(h, 'acme', 'owner@acme.test');
    h.clock.advance(MINUTE);
    const second = await staffLinkToken(h, 'acme', 'owner@acme.test');
    expect((await exchangeStaffToken(h, first)).status).toBe(410);
    expect((await exchangeStaffToken(h, second)).status).toBe(201);
  });

  it('GET /admin/api/me names the staff member and business; sign-out ends the session at once', async () => {
    const staff = await signInStaff(h, 'acme', 'owner@acme.test');
    const me = await expectJson(staff.request('GET', '/admin/api/me'), 200);
    expect(me).toMatchObject({ staff: { email: 'owner@acme.test', role: 'owner' }, business: { id: 'acme', name: 'Acme Plumbing' } });
    expect((await h.app.request('/admin/api/me')).status).toBe(401);

    const out = await staff.request('DELETE', '/admin/api/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('Set-Cookie')).toMatch(/doorstep_staff=;.*Max-Age=0/);
    expect((await staff.request('GET', '/admin/api/me')).status).toBe(401);
    expect((await staff.request('GET', '/v1/admin/customers')).status).toBe(401);
  });

  it('sessions end after 7 idle days, and after 30 days however active', async () => {
    const idle = await signInStaff(h, 'acme', 'owner@acme.test');
    h.clock.advance(7 * DAY - 1000);
    expect((await idle.request('GET', '/admin/api/me')).status).toBe(200);
    h.clock.advance(6 * DAY);
    expect((await idle.request('GET', '/admin/api/me')).status).toBe(200); // slid forward by the last use
    h.clock.advance(7 * DAY + 1000);
    expect((await idle.request('GET', '/admin/api/me')).status).toBe(401);

    const busy = await signInStaff(h, 'acme', 'owner@acme.test');
    for (let day = 0; day < 29; day++) {
      h.clock.advance(DAY);
      expect((await busy.request('GET', '/v1/admin/settings')).status).toBe(200);
    }
    h.clock.advance(DAY);
    expect((await busy.request('GET', '/v1/admin/settings')).status).toBe(401);
  });

  it('refuses sign-in writes from another origin (login CSRF)', async () => {
    const token = await staffLinkToken(h, 'acme', 'owner@acme.test');
    expect((await post('/admin/api/sessions', { token }, { Origin: 'https://evil.test' })).status).toBe(403);
    expect((await post('/admin/api/login-links', { email: 'owner@acme.test' }, { Origin: 'https://evil.test' })).status).toBe(403);
    // The refused exchange did not consume the link.
    expect((await exchangeStaffToken(h, token)).status).toBe(201);
  });
});

describe('the staff cookie on the admin API', () => {
  it('reads and writes the business of the session; writes need the console\'s own Origin', async () => {
    const staff = await signInStaff(h, 'acme', 'owner@acme.test');
    expect((await expectJson(staff.request('GET', '/v1/admin/settings'), 200)).name).toBe('Acme Plumbing');

    const body = { name: 'Written from the console' };
    const none = await staff.request('POST', '/v1/admin/customers', body, null);
    const foreign = await staff.request('POST', '/v1/admin/customers', body, 'https://evil.test');
    const lookalike = await staff.request('PATCH', '/v1/admin/settings', { name: 'x' }, 'https://portal.test.evil.test');
    for (const res of [none, foreign, lookalike]) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('origin_not_allowed');
    }
    expect((await expectJson(h.admin('GET', '/v1/admin/customers'), 200)).data).toEqual([]);
    await expectJson(staff.request('POST', '/v1/admin/customers', body), 201);

    // A Bearer key is not ambient: it needs no Origin, and a cookie riding along changes nothing.
    await expectJson(h.admin('GET', '/v1/admin/customers'), 200);
    const withBoth = await h.app.request('/v1/admin/settings', { headers: { Authorization: 'Bearer nope', Cookie: `doorstep_staff=${staff.cookie}` } });
    expect(withBoth.status).toBe(401);
  });

  it('a staff member of business B sees only B', async () => {
    const bravo = await signInStaff(h, 'bravo', 'owner@bravo.test');
    const acmeCustomer = await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Only Acme' }), 201);
    expect((await bravo.request('GET', `/v1/admin/customers/${acmeCustomer.id}`)).status).toBe(404);
    expect((await expectJson(bravo.request('GET', '/v1/admin/customers'), 200)).data).toEqual([]);
  });
});

describe('API keys', () => {
  it('an owner in the console creates a key shown once, lists keys without secrets, records use, revokes at once', async () => {
    const owner = await signInStaff(h, 'acme', 'owner@acme.test');
    const created = await expectJson(owner.request('POST', '/v1/admin/api-keys', { name: 'Zapier' }), 201);
    expect(created.key).toMatch(/^dsk_[0-9a-f]{12}_[\w-]{43}$/);
    expect(created).toMatchObject({ name: 'Zapier', prefix: created.key.split('_').slice(0, 2).join('_'), lastUsedAt: null, revokedAt: null });

    h.clock.advance(5 * MINUTE);
    await expectJson(h.admin('GET', '/v1/admin/customers', undefined, created.key), 200);
    // Any credential of the business reads the list.
    const list = await expectJson(h.admin('GET', '/v1/admin/api-keys'), 200);
    const text = JSON.stringify(list);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(sha256(created.key));
    const listed = list.data.find((k: { prefix: string }) => k.prefix === created.prefix);
    expect(listed).toEqual({ prefix: created.prefix, name: 'Zapier', createdAt: created.createdAt, lastUsedAt: new Date(h.clock.now()).toISOString(), revokedAt: null });
    expect(list.data).toHaveLength(2);

    expect((await owner.request('DELETE', `/v1/admin/api-keys/${created.prefix}`)).status).toBe(204);
    expect((await h.admin('GET', '/v1/admin/customers', undefined, created.key)).status).toBe(401);
    expect((await expectJson(owner.request('GET', '/v1/admin/api-keys'), 200)).data.find((k: { prefix: string }) => k.prefix === created.prefix).revokedAt).not.toBeNull();
    // Revoking again, or another business's key, is a 404.
    expect((await owner.request('DELETE', `/v1/admin/api-keys/${created.prefix}`)).status).toBe(404);
    const bravoKey = h.keyB.split('_').slice(0, 2).join('_');
    expect((await owner.request('DELETE', `/v1/admin/api-keys/${bravoKey}`)).status).toBe(404);
    await expectJson(h.admin('GET', '/v1/admin/customers', undefined, h.keyB), 200);
  });

  it('a request made with an API key cannot create or revoke keys (403): a leaked key cannot make itself permanent', async () => {
    const prefixA = h.keyA.split('_').slice(0, 2).join('_');
    const keysBefore = await h.query('select id, revoked_at from api_keys order by id');
    for (const res of [
      await h.admin('POST', '/v1/admin/api-keys', { name: 'Backdoor' }),
      await h.admin('POST', '/v1/admin/api-keys', {}),
      await h.admin('DELETE', `/v1/admin/api-keys/${prefixA}`),
      // Not even with an owner's cookie riding along: a request that names a key is judged by the key.
      await h.app.request('/v1/admin/api-keys', {
        method: 'POST',
        headers: { Authorization: `Bearer ${h.keyA}`, 'Content-Type': 'application/json', Origin: CONSOLE_ORIGIN, Cookie: `doorstep_staff=${(await signInStaff(h, 'acme', 'owner@acme.test')).cookie}` },
        body: '{}',
      }),
    ]) {
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: { code: 'api_key_not_allowed', message: 'An API key cannot manage API keys. An owner does this signed in to the admin console (or the operator with the command line).' },
      });
    }
    expect(await h.query('select id, revoked_at from api_keys order by id')).toEqual(keysBefore);
    await expectJson(h.admin('GET', '/v1/admin/customers'), 200);
  });

  it('staff without the owner role see the keys but cannot create or revoke them', async () => {
    const owner = await signInStaff(h, 'acme', 'owner@acme.test');
    await expectJson(owner.request('POST', '/v1/admin/staff', { email: 'office@acme.test', role: 'staff' }), 201);
    const office = await signInStaff(h, 'acme', 'office@acme.test');
    expect((await expectJson(office.request('GET', '/v1/admin/api-keys'), 200)).data).toHaveLength(1);
    const create = await expectJson(office.request('POST', '/v1/admin/api-keys', { name: 'Mine' }), 403);
    expect(create).toEqual({ error: { code: 'owner_only', message: 'Only an owner of the business can manage API keys.' } });
    expect((await office.request('DELETE', `/v1/admin/api-keys/${h.keyA.split('_').slice(0, 2).join('_')}`)).status).toBe(403);
    expect(await h.query('select revoked_at from api_keys where business_id = ?', 'acme')).toEqual([{ revoked_at: null }]);
  });
});

describe('overview', () => {
  it('counts invited and signed-in customers, this month\'s paid invoices and approvals, and 12 weeks', async () => {
    await h.store.updateBusinessSettings('acme', { messagingEnabled: true }, h.clock.now());
    const dana = await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Dana', email: 'dana@example.com' }), 201);
    const eli = await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Eli', email: 'eli@example.com' }), 201);
    await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: [dana.id, eli.id] }), 201);
    const session = await signIn(h, 'acme', 'dana@example.com');
    const invoice = await expectJson(h.admin('POST', '/v1/admin/invoices', { customerId: dana.id, number: 'INV-1', currency: 'usd', lineItems: sampleLineItems }), 201);
    await expectJson(h.admin('PATCH', `/v1/admin/invoices/${invoice.id}`, { status: 'paid' }), 200);
    const estimate = await expectJson(
      h.admin('POST', '/v1/admin/estimates', { customerId: dana.id, number: 'EST-1', currency: 'usd', options: [{ name: 'Only', lineItems: sampleLineItems }] }),
      201,
    );
    await expectJson(h.app.request(`/v1/b/acme/estimates/${estimate.id}/approve`, { method: 'POST', headers: { ...session.headers, 'Content-Type': 'application/json' }, body: '{}' }), 200);

    const o = await expectJson(h.admin('GET', '/v1/admin/overview'), 200);
    // The invoice was marked paid by the business, not paid through the portal: nothing was collected.
    expect(o).toMatchObject({
      customers: 2,
      customersInvited: 2,
      customersSignedIn: 1,
      month: { start: '2026-01-01T00:00:00.000Z', invitationsSent: 2, signIns: 1, invoicesPaid: 1, invoicesPaidThroughPortal: 0, amountCollected: [], estimatesApproved: 1 },
    });
    expect(o.weeks).toHaveLength(12);
    expect(o.weeks.at(-1)).toMatchObject({ invitations: 2, signIns: 1, invoicesPaid: 1, invoicesPaidThroughPortal: 0 });
    expect(o.weeks.slice(0, -1).every((w: { invitations: number; signIns: number }) => w.invitations === 0 && w.signIns === 0)).toBe(true);
    // Signing out keeps the count; another business sees none of it.
    await h.app.request('/v1/b/acme/session', { method: 'DELETE', headers: session.headers });
    expect((await expectJson(h.admin('GET', '/v1/admin/overview'), 200)).customersSignedIn).toBe(1);
    expect(await expectJson(h.admin('GET', '/v1/admin/overview', undefined, h.keyB), 200)).toMatchObject({ customers: 0, customersInvited: 0, customersSignedIn: 0 });
    // Next month starts from zero.
    h.clock.set('2026-02-02T00:00:00Z');
    expect((await expectJson(h.admin('GET', '/v1/admin/overview'), 200)).month).toMatchObject({ invitationsSent: 0, invoicesPaid: 0, amountCollected: [] });
  });

  it('collected this month counts invoices the customer paid through the portal (Stripe Checkout), not ones marked paid by the business', async () => {
    const p = await createPaymentsHarness();
    try {
      const marked = await payingCustomer(p);
      await expectJson(p.admin('PATCH', `/v1/admin/invoices/${marked.invoiceId}`, { status: 'paid' }), 200);
      const payer = await payingCustomer(p);
      const { url } = await expectJson<{ url: string }>(portal(p, payer, 'POST', `/invoices/${payer.invoiceId}/checkout`), 200);
      expect((await submitCheckout(url)).status).toBe(303);

      expect(await p.store.getInvoice('acme', payer.invoiceId)).toMatchObject({ status: 'paid', paidThroughPortal: true });
      expect(await p.store.getInvoice('acme', marked.invoiceId)).toMatchObject({ status: 'paid', paidThroughPortal: false });
      const o = await expectJson(p.admin('GET', '/v1/admin/overview'), 200);
      expect(o.month).toMatchObject({ invoicesPaid: 2, invoicesPaidThroughPortal: 1, amountCollected: [{ currency: 'usd', amount: payer.due }] });
      expect(o.weeks.at(-1)).toMatchObject({ invoicesPaid: 2, invoicesPaidThroughPortal: 1 });
      // The admin API says how each invoice was paid.
      expect((await expectJson(p.admin('GET', `/v1/admin/invoices/${payer.invoiceId}`), 200)).paidThroughPortal).toBe(true);
      expect((await expectJson(p.admin('GET', `/v1/admin/invoices/${marked.invoiceId}`), 200)).paidThroughPortal).toBe(false);
      // Another business collected nothing.
      expect((await expectJson(p.admin('GET', '/v1/admin/overview', undefined, p.keyB), 200)).month).toMatchObject({ invoicesPaidThroughPortal: 0, amountCollected: [] });
    } finally {
      await p.closeAll();
    }
  });
});

describe('bulk invitations in the background', () => {
  async function customers(n: number, withoutEmail: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const body = i < withoutEmail ? { name: `No Email ${i}` } : { name: `Bulk ${i}`, email: `bulk${i}@example.com` };
      ids.push((await expectJson(h.admin('POST', '/v1/admin/customers', body), 201)).id);
    }
    return ids;
  }
  const invitationMail = async () => (await h.store.listOutbox('acme')).filter((m) => m.kind === 'invitation');

  it('over 100 customers: 202 with a job, sent in chunks by the worker, progress and skips on the job', async () => {
    const ids = await customers(130, 4);
    const started = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: [...ids, 'cus_gone', ids[5]!] }), 202);
    expect(started).toMatchObject({ status: 'queued', total: 131, processed: 0, invited: 0 });
    expect(await invitationMail()).toHaveLength(0);

    await runBulkJob(h.deps, { chunkSize: 50 });
    const job = await expectJson(h.admin('GET', `/v1/admin/invitations/bulk/${started.jobId}`), 200);
    expect(job).toMatchObject({ status: 'done', total: 131, processed: 131, invited: 126, notFound: ['cus_gone'], skippedDisabled: [] });
    expect(job.skippedNoEmail.map((s: { name: string }) => s.name)).toEqual(['No Email 0', 'No Email 1', 'No Email 2', 'No Email 3']);
    expect(job.finishedAt).not.toBeNull();
    const mail = await invitationMail();
    expect(mail).toHaveLength(126);
    expect(new Set(mail.map((m) => m.to)).size).toBe(126);
    const history = await expectJson(h.admin('GET', `/v1/admin/customers/${ids[10]}/invitations`), 200);
    expect(history.data).toMatchObject([{ source: 'bulk', email: 'bulk10@example.com' }]);
    // Another business cannot see the job.
    expect((await h.admin('GET', `/v1/admin/invitations/bulk/${started.jobId}`, undefined, h.keyB)).status).toBe(404);
  });

  it('a worker stopped mid-job leaves it resumable; after the claim lapses another finishes it, inviting nobody twice', async () => {
    const ids = await customers(60, 0);
    const { jobId } = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: ids, background: true }), 202);
    let chunks = 0;
    await runBulkJob(h.deps, { chunkSize: 25, pause: async () => void chunks++, stopping: () => chunks >= 1 });
    expect(await expectJson(h.admin('GET', `/v1/admin/invitations/bulk/${jobId}`), 200)).toMatchObject({ status: 'running', processed: 25, invited: 25 });
    // The claim still holds: nobody else takes the job yet.
    expect(await runBulkJob(h.deps, { chunkSize: 25 })).toEqual({ found: false });
    h.clock.advance(31_000);
    await runBulkJob(h.deps, { chunkSize: 25 });
    expect(await expectJson(h.admin('GET', `/v1/admin/invitations/bulk/${jobId}`), 200)).toMatchObject({ status: 'done', processed: 60, invited: 60 });
    expect(await invitationMail()).toHaveLength(60);
  });

  it('a stale worker\'s chunk is refused and sends nothing', async () => {
    const ids = await customers(3, 0);
    const { jobId } = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: ids, background: true }), 202);
    const claimed = (await h.store.claimBulkJob(h.clock.now(), 1000))!;
    expect(claimed.id).toBe(jobId);
    await runBulkJob(h.deps, {}); // lock held: nothing
    h.clock.advance(2000);
    await runBulkJob(h.deps, {}); // takes over and finishes
    const stale = await h.store.recordBulkChunk(jobId, { from: 0, count: 3, invitations: [], skippedNoEmail: [], skippedDisabled: [], notFound: [] }, h.clock.now() + 1000, h.clock.now());
    expect(stale).toBe(false);
    expect(await invitationMail()).toHaveLength(3);
  });

  it('a dry run of a large selection still answers at once with who would be skipped', async () => {
    const ids = await customers(105, 2);
    const preview = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: ids, dryRun: true }), 200);
    expect(preview.invited).toHaveLength(103);
    expect(preview.skippedNoEmail.map((s: { name: string }) => s.name)).toEqual(['No Email 0', 'No Email 1']);
  });
});

describe('the console page', () => {
  it('serves /admin under a strict CSP with no inline script, and /admin.js from dist', async () => {
    const page = await h.app.request('/admin');
    expect(page.status).toBe(200);
    const csp = page.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/admin.js"></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<style|style=/);

    expect((await h.app.request('/admin.js')).status).toBe(503);
    mkdirSync(join(h.dir, 'dist'), { recursive: true });
    writeFileSync(join(h.dir, 'dist', 'admin.js'), 'export {};');
    const js = await h.app.request('/admin.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toContain('javascript');
  });
});
