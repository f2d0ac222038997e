// The business's messages inbox (SPEC §4.6, §9): customers' messages newest first with who sent
// them, a filter by customer, one message, and staff replies that show in the customer's portal
// and are emailed to the customer's primary address. Another business's message is a missing one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, type Harness } from '../../../test/harness';
import { signIn, type SignedInCustomer } from '../../../test/sign-in';

const MINUTE = 60_000;

let h: Harness;
let dana: SignedInCustomer;
let eli: SignedInCustomer;
let zoe: SignedInCustomer;
let job: string;

beforeEach(async () => {
  h = await createHarness();
  await expectJson(
    h.admin('POST', '/v1/admin/customers', {
      name: 'Dana Rivera',
      // The primary address is not the first one listed: replies go to the primary.
      emails: [{ address: 'dana.work@example.com' }, { address: 'dana@example.com', primary: true }],
    }),
    201,
  );
  await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Eli Stone', email: 'eli@example.com' }), 201);
  await expectJson(h.admin('POST', '/v1/admin/customers', { name: 'Zoe Park', email: 'zoe@example.net' }, h.keyB), 201);
  await expectJson(h.admin('PATCH', '/v1/admin/settings', { messagingEnabled: true }), 200);
  await expectJson(h.admin('PATCH', '/v1/admin/settings', { messagingEnabled: true }, h.keyB), 200);
  dana = await signIn(h, 'acme', 'dana@example.com');
  eli = await signIn(h, 'acme', 'eli@example.com');
  zoe = await signIn(h, 'bravo', 'zoe@example.net');
  job = (await expectJson(h.admin('POST', '/v1/admin/appointments', { customerId: dana.customer.id, startsAt: '2026-01-20T15:00:00Z', description: 'Furnace tune-up' }), 201)).id;
});
afterEach(() => h.close());

async function send(who: SignedInCustomer, business: string, body: Record<string, unknown>): Promise<any> {
  h.clock.advance(MINUTE);
  return expectJson(
    h.app.request(`/v1/b/${business}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${who.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
    201,
  );
}

const portalMessages = async (who: SignedInCustomer, business = 'acme') =>
  expectJson(h.app.request(`/v1/b/${business}/messages`, { headers: { Authorization: `Bearer ${who.token}` } }), 200);

const ids = (list: { data: { id: string }[] }) => list.data.map((m) => m.id);

describe('the inbox', () => {
  it('lists every customer message newest first with the customer name, kind, appointment, preferred times and replies', async () => {
    const first = await send(dana, 'acme', { kind: 'new_appointment', body: 'AC check please', preferredTimes: ['Mon morning'] });
    const second = await send(eli, 'acme', { kind: 'other', body: 'Do you do tankless?' });
    const third = await send(dana, 'acme', { kind: 'reschedule', body: 'Move it?', appointmentId: job, preferredTimes: ['Thu', 'Fri'] });
    await send(zoe, 'bravo', { kind: 'other', body: 'Bravo only' });

    const inbox = await expectJson(h.admin('GET', '/v1/admin/messages'), 200);
    expect(ids(inbox)).toEqual([third.id, second.id, first.id]);
    expect(inbox.nextCursor).toBeNull();
    expect(inbox.data[0]).toEqual({
      id: third.id,
      customerId: dana.customer.id,
      customerName: 'Dana Rivera',
      kind: 'reschedule',
      body: 'Move it?',
      appointmentId: job,
      preferredTimes: ['Thu', 'Fri'],
      createdAt: new Date(h.clock.now() - MINUTE).toISOString(),
      replies: [],
    });
    expect(inbox.data[1]).toMatchObject({ customerName: 'Eli Stone', kind: 'other', appointmentId: null, preferredTimes: [] });
    expect(inbox.data[2]).toMatchObject({ customerName: 'Dana Rivera', kind: 'new_appointment', preferredTimes: ['Mon morning'] });
    expect(JSON.stringify(inbox)).not.toContain('Bravo only');

    // Pages walk the same order.
    const page1 = await expectJson(h.admin('GET', '/v1/admin/messages?limit=2'), 200);
    expect(ids(page1)).toEqual([third.id, second.id]);
    expect(ids(await expectJson(h.admin('GET', `/v1/admin/messages?limit=2&cursor=${page1.nextCursor}`), 200))).toEqual([first.id]);

    // Bravo's inbox has only Bravo's message.
    const bravo = await expectJson(h.admin('GET', '/v1/admin/messages', undefined, h.keyB), 200);
    expect(bravo.data.map((m: any) => m.body)).toEqual(['Bravo only']);
  });

  it('filters by customer', async () => {
    const a = await send(dana, 'acme', { kind: 'other', body: 'one' });
    await send(eli, 'acme', { kind: 'other', body: 'two' });
    const c = await send(dana, 'acme', { kind: 'other', body: 'three' });
    expect(ids(await expectJson(h.admin('GET', `/v1/admin/messages?customerId=${dana.customer.id}`), 200))).toEqual([c.id, a.id]);
    expect((await expectJson(h.admin('GET', `/v1/admin/messages?customerId=${eli.customer.id}`), 200)).data.map((m: any) => m.body)).toEqual(['two']);
    // Another business's customer id filters to nothing rather than leaking.
    await send(zoe, 'bravo', { kind: 'other', body: 'zoe' });
    expect((await expectJson(h.admin('GET', `/v1/admin/messages?customerId=${zoe.customer.id}`), 200)).data).toEqual([]);
    expect((await expectJson(h.admin('GET', '/v1/admin/messages?customerId=cus_nobody'), 200)).data).toEqual([]);
  });

  it('shows one message with its replies', async () => {
    const m = await send(dana, 'acme', { kind: 'cancel', body: 'Cancel please', appointmentId: job });
    const one = await expectJson(h.admin('GET', `/v1/admin/messages/${m.id}`), 200);
    expect(one).toMatchObject({ id: m.id, customerId: dana.customer.id, customerName: 'Dana Rivera', kind: 'cancel', appointmentId: job, replies: [] });
    h.clock.advance(MINUTE);
    await expectJson(h.admin('POST', `/v1/admin/messages/${m.id}/replies`, { body: 'Done.' }), 201);
    expect((await expectJson(h.admin('GET', `/v1/admin/messages/${m.id}`), 200)).replies).toEqual([
      { id: expect.stringMatching(/^rpl_/), body: 'Done.', createdAt: new Date(h.clock.now()).toISOString() },
    ]);
  });
});

describe('replies', () => {
  it("answers 201, shows the reply in the customer's portal and emails the customer's primary address", async () => {
    const m = await send(dana, 'acme', { kind: 'other', body: 'Is Tuesday OK?' });
    await send(eli, 'acme', { kind: 'other', body: 'Unrelated' });
    const before = new Set((await h.store.listOutbox('acme')).map((e) => e.id));

    h.clock.advance(MINUTE);
    const replied = await expectJson(h.admin('POST', `/v1/admin/messages/${m.id}/replies`, { body: '  Tuesday works, see you at 9.  ' }), 201);
    expect(replied).toMatchObject({ id: m.id, customerName: 'Dana Rivera' });
    expect(replied.replies).toEqual([{ id: expect.stringMatching(/^rpl_/), body: 'Tuesday works, see you at 9.', createdAt: new Date(h.clock.now()).toISOString() }]);

    const portal = await portalMessages(dana);
    expect(portal.data.find((x: any) => x.id === m.id).replies).toEqual(replied.replies);
    expect((await portalMessages(eli)).data[0].replies).toEqual([]);

    const mail = (await h.store.listOutbox('acme')).filter((e) => !before.has(e.id));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ kind: 'message_reply', to: 'dana@example.com', subject: 'Acme Plumbing replied to your message' });
    expect(mail[0]!.text).toContain('Tuesday works, see you at 9.');
    expect(mail[0]!.text).toContain('https://acme.test/portal');

    h.clock.advance(MINUTE);
    await expectJson(h.admin('POST', `/v1/admin/messages/${m.id}/replies`, { body: 'Second reply' }), 201);
    expect((await portalMessages(dana)).data.find((x: any) => x.id === m.id).replies.map((r: any) => r.body)).toEqual(['Tuesday works, see you at 9.', 'Second reply']);
  });

  it('refuses an empty reply and stores nothing', async () => {
    const m = await send(dana, 'acme', { kind: 'other', body: 'Hello' });
    const before = (await h.store.listOutbox('acme')).length;
    for (const body of [{ body: '' }, { body: '   ' }, {}, { body: 'x'.repeat(4001) }, { body: 'ok', staffId: 'stf_x' }]) {
      expect((await expectJson(h.admin('POST', `/v1/admin/messages/${m.id}/replies`, body), 400)).error.code).toBe('invalid_body');
    }
    expect((await expectJson(h.admin('GET', `/v1/admin/messages/${m.id}`), 200)).replies).toEqual([]);
    expect((await h.store.listOutbox('acme')).length).toBe(before);
  });

  it("answers 404 for another business's message exactly like a missing one, and changes nothing", async () => {
    const theirs = await send(zoe, 'bravo', { kind: 'other', body: 'Bravo question' });
    const missingGet = await h.admin('GET', '/v1/admin/messages/msg_doesnotexist');
    const missingReply = await h.admin('POST', '/v1/admin/messages/msg_doesnotexist/replies', { body: 'Hi' });
    expect(missingGet.status).toBe(404);
    expect(missingReply.status).toBe(404);
    const missingGetBody = await missingGet.text();
    const missingReplyBody = await missingReply.text();
    expect(JSON.parse(missingGetBody).error.code).toBe('not_found');

    const get = await h.admin('GET', `/v1/admin/messages/${theirs.id}`);
    expect(get.status).toBe(404);
    expect(await get.text()).toBe(missingGetBody);
    const reply = await h.admin('POST', `/v1/admin/messages/${theirs.id}/replies`, { body: 'Hi from Acme' });
    expect(reply.status).toBe(404);
    expect(await reply.text()).toBe(missingReplyBody);

    expect((await portalMessages(zoe, 'bravo')).data[0].replies).toEqual([]);
    expect((await h.store.listOutbox('acme')).some((e) => e.kind === 'message_reply')).toBe(false);
    expect((await h.store.listOutbox('bravo')).some((e) => e.kind === 'message_reply')).toBe(false);
  });
});
