// Invitations to the portal (SPEC §4.2, §9): single with an editable address, history, bulk with a
// dry run, and automatic invitations when a job is scheduled. What is observed: HTTP answers, the
// customer's emails, and the emails queued in the outbox.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEmail } from '../../store/types';
import { createHarness, expectJson, type Harness } from '../../../test/harness';

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
const DAY = 24 * HOUR;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let h: Harness;
let seen: Set<string>;
/** Dana has a primary and a second email; Nora has none; Dex is disabled; Zoe is bravo's. */
let dana: string;
let nora: string;
let dex: string;
let zoe: string;

const createCustomer = async (body: object, key?: string) => (await expectJson(h.admin('POST', '/v1/admin/customers', body, key), 201)).id as string;

beforeEach(async () => {
  h = await createHarness();
  seen = new Set();
  dana = await createCustomer({ name: 'Dana Rivera', emails: [{ address: 'dana@example.com', primary: true }, { address: 'dana.work@example.com' }] });
  nora = await createCustomer({ name: 'Nora Quinn', phone: '+1 555 0111' });
  dex = await createCustomer({ name: 'Dex Moran', email: 'dex@example.com', disabled: true });
  zoe = await createCustomer({ name: 'Zoe Park', email: 'zoe@example.net' }, h.keyB);
});
afterEach(() => h.close());

/** Emails queued (any business) since the last call. */
async function newMail(): Promise<OutboxEmail[]> {
  const all = [...(await h.store.listOutbox('acme')), ...(await h.store.listOutbox('bravo')), ...(await h.store.listOutbox(null))];
  const fresh = all.filter((m) => !seen.has(m.id));
  for (const m of fresh) seen.add(m.id);
  return fresh;
}

async function oneNewMailTo(to: string): Promise<OutboxEmail> {
  const fresh = await newMail();
  expect(fresh.map((m) => m.to)).toEqual([to]);
  return fresh[0]!;
}

function tokenIn(mail: OutboxEmail, base = 'https://acme.test/portal'): string {
  const match = /(\S+)#portal-token=([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/.exec(mail.text ?? '');
  expect(match, 'a sign-in link in the email').not.toBeNull();
  expect(match![1]!.endsWith(base)).toBe(true);
  expect(mail.html).toContain(`href="${base}#portal-token=${match![2]}"`);
  return match![2]!;
}

const invite = (customerId: string, body: object = {}, key?: string) => h.admin('POST', `/v1/admin/customers/${customerId}/invitations`, body, key);
const getCustomer = (id: string) => expectJson(h.admin('GET', `/v1/admin/customers/${id}`), 200);
const history = async (id: string) => (await expectJson(h.admin('GET', `/v1/admin/customers/${id}/invitations`), 200)).data as any[];

let ipSeq = 0;
async function exchange(token: string) {
  ipSeq = (ipSeq + 1) % 250;
  return h.app.request('/v1/b/acme/sessions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${ipSeq}` },
    body: JSON.stringify({ token }),
  });
}

async function errorCode(res: Response | Promise<Response>, status: number): Promise<string> {
  const body = await expectJson(res, status);
  expect(body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  return body.error.code;
}

describe('single invitation', () => {
  it('goes to the primary email when none is given', async () => {
    const now = h.clock.now();
    const invitation = await expectJson(invite(dana), 201);
    expect(invitation).toEqual({
      id: expect.any(String),
      customerId: dana,
      email: 'dana@example.com',
      source: 'single',
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 7 * DAY).toISOString(),
      usedAt: null,
    });
    const mail = await oneNewMailTo('dana@example.com');
    expect(mail.kind).toBe('invitation');
    tokenIn(mail);
  });

  it('may go to another of the customer’s emails, which stay as they were', async () => {
    const before = await getCustomer(dana);
    expect((await expectJson(invite(dana, { email: 'DANA.WORK@example.com' }), 201)).email).toBe('dana.work@example.com');
    tokenIn(await oneNewMailTo('dana.work@example.com'));
    expect((await getCustomer(dana)).emails).toEqual(before.emails);
  });

  it('a new address is added to the customer, not as primary when they have one', async () => {
    h.clock.advance(SECOND); // so the new address sorts after the existing ones
    expect((await expectJson(invite(dana, { email: 'rivera@example.org' }), 201)).email).toBe('rivera@example.org');
    const token = tokenIn(await oneNewMailTo('rivera@example.org'));
    const customer = await getCustomer(dana);
    expect(customer.email).toBe('dana@example.com');
    expect(customer.emails).toEqual([
      { address: 'dana@example.com', primary: true },
      { address: 'dana.work@example.com', primary: false },
      { address: 'rivera@example.org', primary: false },
    ]);
    // The new address is the customer's now: the invitation signs them in.
    const signedIn = await expectJson(exchange(token), 201);
    expect(signedIn.customer.id).toBe(dana);
  });

  it('a new address becomes primary for a customer who had none', async () => {
    await expectJson(invite(nora, { email: 'nora@example.org' }), 201);
    await oneNewMailTo('nora@example.org');
    const customer = await getCustomer(nora);
    expect(customer.email).toBe('nora@example.org');
    expect(customer.emails).toEqual([{ address: 'nora@example.org', primary: true }]);
  });

  it('an invalid address is a 400 and nothing is queued or added', async () => {
    for (const email of ['not-an-email', '', 'nora@', `${'a'.repeat(250)}@example.com`]) {
      expect(await errorCode(invite(nora, { email }), 400)).toBe('invalid_body');
    }
    expect(await errorCode(invite(dana, { email: 'dana@example.com', source: 'bulk' }), 400)).toBe('invalid_body');
    expect(await newMail()).toEqual([]);
    expect((await getCustomer(nora)).emails).toEqual([]);
    expect(await history(dana)).toEqual([]);
  });

  it('a customer without email and no address given is a 409 customer_has_no_email', async () => {
    expect(await errorCode(invite(nora), 409)).toBe('customer_has_no_email');
    expect(await newMail()).toEqual([]);
  });

  it('a disabled customer is a 409, with or without an address', async () => {
    expect(await errorCode(invite(dex), 409)).toBe('customer_disabled');
    expect(await errorCode(invite(dex, { email: 'dex.new@example.com' }), 409)).toBe('customer_disabled');
    expect(await newMail()).toEqual([]);
    expect((await getCustomer(dex)).emails).toEqual([{ address: 'dex@example.com', primary: true }]);
  });

  it('another business’s customer and a missing one are the same 404', async () => {
    const other = await invite(zoe);
    const missing = await invite('cus_missing');
    expect(other.status).toBe(404);
    expect(await other.text()).toBe(await missing.text());
    expect(await newMail()).toEqual([]);
  });

  it('the email is branded with the business’s name, phone, email and address', async () => {
    await expectJson(
      h.admin('PATCH', '/v1/admin/settings', {
        phone: '+1 555 0199',
        address: '1 Main St, Springfield',
        email: 'office@acme.test',
        logoUrl: 'https://acme.test/logo.png',
        brandColor: '#1d4ed8',
      }),
      200,
    );
    await expectJson(invite(dana), 201);
    const mail = await oneNewMailTo('dana@example.com');
    expect(mail.subject).toBe('Acme Plumbing invited you to your customer portal');
    for (const part of [mail.text!, mail.html!]) {
      expect(part).toContain('Acme Plumbing');
      expect(part).toContain('Login to Customer Portal');
      expect(part).toContain('+1 555 0199');
      expect(part).toContain('1 Main St, Springfield');
      expect(part).toContain('office@acme.test');
      expect(part).toContain('Dana Rivera');
      expect(part).toMatch(/7 days/);
    }
    expect(mail.html).toContain('<img src="https://acme.test/logo.png"');
    expect(mail.html).toContain('#1d4ed8');
    const token = tokenIn(mail);
    expect(mail.html).toMatch(new RegExp(`<a href="https://acme\\.test/portal#portal-token=${token}"[^>]*>Login to Customer Portal</a>`));
  });

  it('leaves out contact details the business has not set', async () => {
    await expectJson(invite(dana), 201);
    const mail = await oneNewMailTo('dana@example.com');
    expect(mail.text!.split('--').at(-1)!.trim()).toBe('Acme Plumbing');
  });

  it('is in Spanish for a business whose language is es', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { language: 'es', inviteLinkTtlDays: 3 }), 200);
    const invitation = await expectJson(invite(dana), 201);
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(3 * DAY);
    const mail = await oneNewMailTo('dana@example.com');
    expect(mail.subject).toBe('Acme Plumbing le invita a su portal de cliente');
    expect(mail.html).toContain('<html lang="es">');
    expect(mail.html).toContain('Entrar al portal de cliente');
    expect(mail.text).toContain('Hola Dana Rivera:');
    expect(mail.text).toContain('3 días');
    expect(mail.text).not.toContain('Login to Customer Portal');
    tokenIn(mail);
  });

  it('escapes business and customer data in the HTML', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { name: 'Acme <b>& Sons</b>' }), 200);
    const evil = await createCustomer({ name: '<img src=x onerror=alert(1)>', email: 'evil@example.com' });
    await expectJson(invite(evil), 201);
    const mail = await oneNewMailTo('evil@example.com');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).not.toContain('<b>&');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('invitation history', () => {
  it('lists every invitation with its times, address and source; usedAt once the customer signs in', async () => {
    const t0 = h.clock.now();
    await expectJson(invite(dana), 201);
    const first = tokenIn(await oneNewMailTo('dana@example.com'));
    h.clock.advance(HOUR);
    await expectJson(invite(dana, { email: 'dana.work@example.com' }), 201);
    await oneNewMailTo('dana.work@example.com');
    h.clock.advance(HOUR);
    await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: [dana] }), 201);
    await oneNewMailTo('dana@example.com');

    let list = await history(dana);
    expect(list).toHaveLength(3);
    for (const item of list) {
      expect(item).toEqual({
        id: expect.any(String),
        customerId: dana,
        email: expect.any(String),
        source: expect.any(String),
        createdAt: expect.stringMatching(ISO),
        expiresAt: expect.stringMatching(ISO),
        usedAt: null,
      });
      expect(Date.parse(item.expiresAt) - Date.parse(item.createdAt)).toBe(7 * DAY);
    }
    // Newest first.
    expect(list.map((i) => [i.createdAt, i.email, i.source])).toEqual([
      [new Date(t0 + 2 * HOUR).toISOString(), 'dana@example.com', 'bulk'],
      [new Date(t0 + HOUR).toISOString(), 'dana.work@example.com', 'single'],
      [new Date(t0).toISOString(), 'dana@example.com', 'single'],
    ]);

    h.clock.advance(HOUR);
    expect((await exchange(first)).status).toBe(201);
    list = await history(dana);
    expect(list.map((i) => i.usedAt)).toEqual([null, null, new Date(t0 + 3 * HOUR).toISOString()]);

    expect(await history(nora)).toEqual([]);
  });

  it('another business’s customer is a 404', async () => {
    expect((await h.admin('GET', `/v1/admin/customers/${zoe}/invitations`)).status).toBe(404);
    expect((await h.admin('GET', `/v1/admin/customers/${dana}/invitations`, undefined, h.keyB)).status).toBe(404);
  });
});

describe('bulk invitations', () => {
  let eve: string;
  beforeEach(async () => {
    eve = await createCustomer({ name: 'Eve Stone', emails: [{ address: 'eve.other@example.com' }, { address: 'eve@example.com', primary: true }] });
  });

  const everyone = () => [dana, nora, dex, eve, zoe, 'cus_doesnotexist'];

  it('a dry run lists who would be invited and who is skipped, and sends nothing', async () => {
    const preview = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: everyone(), dryRun: true }), 200);
    expect(preview).toEqual({
      dryRun: true,
      invited: [
        { id: dana, name: 'Dana Rivera', email: 'dana@example.com' },
        { id: eve, name: 'Eve Stone', email: 'eve@example.com' },
      ],
      skippedNoEmail: [{ id: nora, name: 'Nora Quinn' }],
      skippedDisabled: [{ id: dex, name: 'Dex Moran' }],
      // Another business's customer and an id that never existed look the same.
      notFound: [zoe, 'cus_doesnotexist'],
    });
    expect(await newMail()).toEqual([]);
    for (const id of [dana, eve]) expect(await history(id)).toEqual([]);
  });

  it('the send invites each listed customer once, at their primary email, and nobody else', async () => {
    const preview = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: everyone(), dryRun: true }), 200);
    const sent = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: [...everyone(), dana] }), 201);
    expect(sent).toEqual({ ...preview, dryRun: false });

    const mail = await newMail();
    expect(mail.map((m) => m.to).sort()).toEqual(['dana@example.com', 'eve@example.com']);
    for (const m of mail) {
      expect(m.kind).toBe('invitation');
      expect(m.businessId).toBe('acme');
      tokenIn(m);
    }
    expect((await history(eve)).map((i) => [i.email, i.source])).toEqual([['eve@example.com', 'bulk']]);
    expect(await history(nora)).toEqual([]);
    expect(await history(dex)).toEqual([]);

    // Bravo's customer got nothing, and bravo cannot invite acme's customers either.
    const fromBravo = await expectJson(h.admin('POST', '/v1/admin/invitations/bulk', { customerIds: [dana, zoe] }, h.keyB), 201);
    expect(fromBravo).toMatchObject({ invited: [{ id: zoe, email: 'zoe@example.net' }], notFound: [dana] });
    const bravoMail = await newMail();
    expect(bravoMail.map((m) => [m.businessId, m.to])).toEqual([['bravo', 'zoe@example.net']]);
    tokenIn(bravoMail[0]!, 'https://portal.test/p/bravo');
  });

  it('refuses bad bodies', async () => {
    for (const body of [{}, { customerIds: [] }, { customerIds: 'x' }, { customerIds: [dana], dryRun: 'yes' }, { customerIds: [dana], extra: 1 }]) {
      expect(await errorCode(h.admin('POST', '/v1/admin/invitations/bulk', body), 400)).toBe('invalid_body');
    }
    expect(await newMail()).toEqual([]);
  });
});

describe('automatic invitations', () => {
  const schedule = (customerId: string, extra: object = {}) =>
    h.admin('POST', '/v1/admin/appointments', { customerId, startsAt: '2026-02-01T09:00:00Z', description: 'Furnace tune-up', ...extra });

  const autoInvite = (on: boolean) => expectJson(h.admin('PATCH', '/v1/admin/settings', { autoInvite: on }), 200);

  it('scheduling a job invites the customer unless they hold a live invitation', async () => {
    await autoInvite(true);
    await expectJson(schedule(dana), 201);
    const mail = await oneNewMailTo('dana@example.com');
    expect(mail.kind).toBe('invitation');
    expect(mail.subject).toBe('Acme Plumbing invited you to your customer portal');
    tokenIn(mail);
    expect((await history(dana)).map((i) => [i.email, i.source])).toEqual([['dana@example.com', 'auto']]);

    // A second job while that invitation is unexpired and unused: none.
    h.clock.advance(7 * DAY - SECOND);
    await expectJson(schedule(dana), 201);
    expect(await newMail()).toEqual([]);

    // Once it has expired, the next job brings a new one.
    h.clock.advance(2 * SECOND);
    await expectJson(schedule(dana), 201);
    await oneNewMailTo('dana@example.com');
    expect(await history(dana)).toHaveLength(2);
  });

  it('a single invitation that is still live counts too', async () => {
    await autoInvite(true);
    await expectJson(invite(dana), 201);
    await oneNewMailTo('dana@example.com');
    await expectJson(schedule(dana), 201);
    expect(await newMail()).toEqual([]);
  });

  it('once the invitation is used, the next job invites again (only unused invitations hold it back)', async () => {
    await autoInvite(true);
    await expectJson(schedule(dana), 201);
    const token = tokenIn(await oneNewMailTo('dana@example.com'));
    expect((await exchange(token)).status).toBe(201);
    await newMail();
    await expectJson(schedule(dana), 201);
    await oneNewMailTo('dana@example.com');
  });

  it('a customer without email or a disabled one gets none', async () => {
    await autoInvite(true);
    await expectJson(schedule(nora), 201);
    await expectJson(schedule(dex), 201);
    expect(await newMail()).toEqual([]);
    expect(await history(nora)).toEqual([]);
    expect(await history(dex)).toEqual([]);
  });

  it('with the toggle off (the default) none is sent', async () => {
    await expectJson(schedule(dana), 201);
    expect(await newMail()).toEqual([]);
    await autoInvite(true);
    await autoInvite(false);
    await expectJson(schedule(dana), 201);
    expect(await newMail()).toEqual([]);
    expect(await history(dana)).toEqual([]);
  });

  it('updating a job, by PATCH or by upsert on its external id, never invites', async () => {
    const job = await expectJson(schedule(dana, { externalId: 'job-1' }), 201);
    await autoInvite(true);
    expect(
      (await expectJson(h.admin('PATCH', `/v1/admin/appointments/${job.id}`, { description: 'Furnace repair', status: 'completed' }), 200)).description,
    ).toBe('Furnace repair');
    const upserted = await expectJson(schedule(dana, { externalId: 'job-1', description: 'Furnace replacement' }), 200);
    expect(upserted.id).toBe(job.id);
    expect(await newMail()).toEqual([]);
    expect(await history(dana)).toEqual([]);

    // A new job is what invites.
    await expectJson(schedule(dana, { externalId: 'job-2' }), 201);
    await oneNewMailTo('dana@example.com');
  });

  it('another business’s auto-invite setting does not apply', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { autoInvite: true }, h.keyB), 200);
    await expectJson(schedule(dana), 201);
    expect(await newMail()).toEqual([]);
  });
});
