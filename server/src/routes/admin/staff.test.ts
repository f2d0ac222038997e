// /v1/admin/staff: owners signed in to the console list, add, re-role and remove the business's
// staff; a business always keeps an owner; staff without the owner role and API keys only read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, type Harness } from '../../../test/harness';
import { signInStaff, staffLinkToken, type SignedInStaff } from '../../../test/staff';

let h: Harness;
let owner: SignedInStaff;
beforeEach(async () => {
  h = await createHarness();
  owner = await signInStaff(h, 'acme', 'owner@acme.test');
});
afterEach(() => h.close());

const staffOf = async (who: SignedInStaff | string = owner) =>
  (await expectJson(typeof who === 'string' ? h.admin('GET', '/v1/admin/staff', undefined, who) : who.request('GET', '/v1/admin/staff'), 200)).data as {
    id: string;
    email: string;
    role: string;
  }[];

const idOf = async (email: string) => (await staffOf()).find((s) => s.email === email)!.id;

async function expectError(response: Promise<Response>, status: number, code: string) {
  const body = await expectJson(response, status);
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  return body.error.message as string;
}

describe('staff of a business', () => {
  it('an owner adds staff by email: listed, told by email in the business language, and able to sign in', async () => {
    expect(await staffOf()).toEqual([{ id: expect.stringMatching(/^stf_/), email: 'owner@acme.test', name: null, role: 'owner', createdAt: expect.any(String) }]);

    const added = await expectJson(owner.request('POST', '/v1/admin/staff', { email: ' Office@Acme.TEST ' }), 201);
    expect(added).toMatchObject({ email: 'office@acme.test', role: 'staff' });
    await expectJson(owner.request('POST', '/v1/admin/staff', { email: 'partner@acme.test', role: 'owner' }), 201);
    expect((await staffOf()).map((s) => [s.email, s.role])).toEqual([
      ['owner@acme.test', 'owner'],
      ['partner@acme.test', 'owner'],
      ['office@acme.test', 'staff'],
    ]);

    const welcome = (await h.store.listOutbox('acme')).filter((m) => m.kind === 'staff_added');
    expect(welcome.map((m) => m.to).sort()).toEqual(['office@acme.test', 'partner@acme.test']);
    const office = welcome.find((m) => m.to === 'office@acme.test')!;
    expect(office.subject).toBe('You were added to the Acme Plumbing admin console');
    expect(office.text).toContain('https://portal.test/admin');
    expect(office.text).toContain('with the staff role');
    // No sign-in token travels in it: they ask for a link on the console.
    expect(office.text).not.toMatch(/staff-token/);
    await staffLinkToken(h, 'acme', 'office@acme.test');

    await h.store.updateBusinessSettings('acme', { language: 'es' }, h.clock.now());
    await expectJson(owner.request('POST', '/v1/admin/staff', { email: 'oficina@acme.test' }), 201);
    const spanish = (await h.store.listOutbox('acme')).find((m) => m.to === 'oficina@acme.test')!;
    expect(spanish.subject).toBe('Te añadieron a la consola de administración de Acme Plumbing');
    expect(spanish.html).toContain('<html lang="es">');
  });

  it('refuses a duplicate, a bad email or an unknown role with a clear 4xx, adding nobody', async () => {
    await expectError(owner.request('POST', '/v1/admin/staff', { email: 'OWNER@acme.test' }), 409, 'staff_exists');
    expect(await expectError(owner.request('POST', '/v1/admin/staff', { email: 'not an email' }), 400, 'invalid_body')).toMatch(/^email: /);
    expect(await expectError(owner.request('POST', '/v1/admin/staff', { email: 'a@acme.test', role: 'admin' }), 400, 'invalid_body')).toBe('role: must be owner or staff');
    await expectError(owner.request('POST', '/v1/admin/staff', { email: 'a@acme.test', name: 'A' }), 400, 'invalid_body');
    expect(await staffOf()).toHaveLength(1);
    expect((await h.store.listOutbox('acme')).filter((m) => m.kind === 'staff_added')).toEqual([]);
  });

  it('changes roles but never leaves the business without an owner', async () => {
    const ownerId = await idOf('owner@acme.test');
    expect(await expectError(owner.request('PATCH', `/v1/admin/staff/${ownerId}`, { role: 'staff' }), 409, 'last_owner')).toMatch(/at least one owner/);
    expect((await staffOf())[0]!.role).toBe('owner');

    const office = await expectJson(owner.request('POST', '/v1/admin/staff', { email: 'office@acme.test' }), 201);
    expect(await expectJson(owner.request('PATCH', `/v1/admin/staff/${office.id}`, { role: 'owner' }), 200)).toMatchObject({ email: 'office@acme.test', role: 'owner' });
    // Two owners: either may step down, the other stays.
    await expectJson(owner.request('PATCH', `/v1/admin/staff/${ownerId}`, { role: 'staff' }), 200);
    // The role is read on every request: the former owner is now refused at once.
    expect(await expectError(owner.request('POST', '/v1/admin/staff', { email: 'x@acme.test' }), 403, 'owner_only')).toBe('Only an owner of the business can manage staff.');
    const officeSession = await signInStaff(h, 'acme', 'office@acme.test');
    await expectError(officeSession.request('PATCH', `/v1/admin/staff/${office.id}`, { role: 'staff' }), 409, 'last_owner');
    expect((await staffOf()).map((s) => [s.email, s.role])).toEqual([
      ['office@acme.test', 'owner'],
      ['owner@acme.test', 'staff'],
    ]);
    await expectError(officeSession.request('PATCH', `/v1/admin/staff/${office.id}`, { role: 'boss' }), 400, 'invalid_body');
  });

  it('removes staff (their session ends at once), but not yourself', async () => {
    const ownerId = await idOf('owner@acme.test');
    expect(await expectError(owner.request('DELETE', `/v1/admin/staff/${ownerId}`), 409, 'cannot_remove_yourself')).toMatch(/another owner can/);

    const office = await expectJson(owner.request('POST', '/v1/admin/staff', { email: 'office@acme.test' }), 201);
    const officeSession = await signInStaff(h, 'acme', 'office@acme.test');
    await expectJson(officeSession.request('GET', '/v1/admin/settings'), 200);
    expect((await owner.request('DELETE', `/v1/admin/staff/${office.id}`)).status).toBe(204);
    expect((await officeSession.request('GET', '/v1/admin/settings')).status).toBe(401);
    expect(await h.query('select id from staff_sessions where staff_id = ?', office.id)).toEqual([]);
    expect((await staffOf()).map((s) => s.email)).toEqual(['owner@acme.test']);
    await expectError(owner.request('DELETE', `/v1/admin/staff/${office.id}`), 404, 'not_found');
  });

  it('the store refuses to remove or demote the last owner, whoever asks', async () => {
    const ownerId = await idOf('owner@acme.test');
    expect(await h.store.removeStaff('acme', ownerId)).toEqual({ status: 'last_owner' });
    expect(await h.store.changeStaffRole('acme', ownerId, 'staff')).toEqual({ status: 'last_owner' });
    expect(await h.store.removeStaff('bravo', ownerId)).toEqual({ status: 'not_found' });
    expect(await staffOf()).toHaveLength(1);
  });

  it('staff without the owner role see the list and change nothing (403 owner_only)', async () => {
    const office = await expectJson(owner.request('POST', '/v1/admin/staff', { email: 'office@acme.test' }), 201);
    const officeSession = await signInStaff(h, 'acme', 'office@acme.test');
    expect((await staffOf(officeSession)).map((s) => s.email)).toEqual(['owner@acme.test', 'office@acme.test']);
    const ownerId = await idOf('owner@acme.test');
    for (const [method, path, body] of [
      ['POST', '/v1/admin/staff', { email: 'friend@acme.test', role: 'owner' }],
      ['PATCH', `/v1/admin/staff/${office.id}`, { role: 'owner' }],
      ['PATCH', `/v1/admin/staff/${ownerId}`, { role: 'staff' }],
      ['DELETE', `/v1/admin/staff/${ownerId}`, undefined],
    ] as const) {
      await expectError(officeSession.request(method, path, body), 403, 'owner_only');
    }
    expect((await staffOf()).map((s) => [s.email, s.role])).toEqual([
      ['owner@acme.test', 'owner'],
      ['office@acme.test', 'staff'],
    ]);
  });

  it('an API key reads the staff list but cannot add, re-role or remove anyone (403 api_key_not_allowed)', async () => {
    expect((await staffOf(h.keyA)).map((s) => s.email)).toEqual(['owner@acme.test']);
    const ownerId = await idOf('owner@acme.test');
    const messages = new Set<string>();
    for (const [method, path, body] of [
      ['POST', '/v1/admin/staff', { email: 'attacker@evil.test', role: 'owner' }],
      ['PATCH', `/v1/admin/staff/${ownerId}`, { role: 'staff' }],
      ['DELETE', `/v1/admin/staff/${ownerId}`, undefined],
    ] as const) {
      messages.add(await expectError(h.admin(method, path, body), 403, 'api_key_not_allowed'));
    }
    expect([...messages]).toEqual(['An API key cannot manage staff. An owner does this signed in to the admin console (or the operator with the command line).']);
    expect(await staffOf()).toHaveLength(1);
    expect((await h.store.listOutbox('acme')).filter((m) => m.kind === 'staff_added')).toEqual([]);
  });

  it('another business\'s staff member is a 404 like a missing one, and unchanged', async () => {
    const bravoOwner = (await staffOf(h.keyB))[0]!;
    const missing = await owner.request('PATCH', '/v1/admin/staff/stf_doesnotexist', { role: 'staff' });
    const foreign = await owner.request('PATCH', `/v1/admin/staff/${bravoOwner.id}`, { role: 'staff' });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
    expect((await owner.request('DELETE', `/v1/admin/staff/${bravoOwner.id}`)).status).toBe(404);
    expect(await staffOf(h.keyB)).toEqual([bravoOwner]);
    expect((await staffOf()).map((s) => s.email)).not.toContain('owner@bravo.test');
  });
});
