import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, type Harness } from '../../../test/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('settings', () => {
  it('returns the defaults of SPEC §4.1', async () => {
    const settings = await expectJson(h.admin('GET', '/v1/admin/settings'), 200);
    expect(settings).toMatchObject({
      id: 'acme',
      name: 'Acme Plumbing',
      portalUrl: 'https://acme.test/portal',
      allowedOrigins: ['https://acme.test'],
      notificationEmail: 'owner@acme.test',
      language: 'en',
      inviteLinkTtlDays: 7,
      loginLinkTtlMinutes: 60,
      autoInvite: false,
      messagingEnabled: false,
      paymentsEnabled: false,
      paymentsConfigured: true,
    });
  });

  it('round-trips every field', async () => {
    const patch = {
      name: 'Acme Plumbing & Heating',
      logoUrl: 'https://acme.test/logo.png',
      phone: '+1 555 0199',
      email: 'office@acme.test',
      address: '1 Main St, Springfield',
      brandColor: '#1D4ED8',
      portalUrl: 'https://www.acme.test/account',
      allowedOrigins: ['https://www.acme.test', 'http://localhost:8788'],
      notificationEmail: 'Office@Acme.test',
      language: 'es',
      inviteLinkTtlDays: 3,
      loginLinkTtlMinutes: 15,
      autoInvite: true,
      messagingEnabled: true,
      paymentsEnabled: true,
    };
    const updated = await expectJson(h.admin('PATCH', '/v1/admin/settings', patch), 200);
    expect(updated).toMatchObject({ ...patch, brandColor: '#1d4ed8', notificationEmail: 'office@acme.test' });
    expect(await expectJson(h.admin('GET', '/v1/admin/settings'), 200)).toEqual(updated);
  });

  it('refuses out-of-range values with a clear error and changes nothing', async () => {
    const before = await expectJson(h.admin('GET', '/v1/admin/settings'), 200);
    const cases: [unknown, string][] = [
      [{ loginLinkTtlMinutes: 10 }, 'loginLinkTtlMinutes'],
      [{ inviteLinkTtlDays: 8 }, 'inviteLinkTtlDays'],
      [{ brandColor: 'red' }, 'brandColor'],
      [{ allowedOrigins: ['https://acme.test/'] }, 'allowedOrigins'],
      [{ allowedOrigins: ['https://acme.test/path'] }, 'allowedOrigins'],
      [{ portalUrl: 'javascript:alert(1)' }, 'portalUrl'],
      [{ language: 'fr' }, 'language'],
      [{ name: '' }, 'name'],
      [{ name: 'Ok', paymentsEnabled: true, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const error = await expectJson(h.admin('PATCH', '/v1/admin/settings', body), 400);
      expect(error.error.code).toBe('invalid_body');
      expect(error.error.message).toContain(field);
    }
    expect(await expectJson(h.admin('GET', '/v1/admin/settings'), 200)).toEqual(before);
  });

  it('will not turn on payments when Stripe is not configured', async () => {
    h.close();
    h = await createHarness({ paymentsConfigured: false });
    const error = await expectJson(h.admin('PATCH', '/v1/admin/settings', { paymentsEnabled: true }), 409);
    expect(error.error.code).toBe('payments_not_configured');
    expect((await expectJson(h.admin('GET', '/v1/admin/settings'), 200)).paymentsEnabled).toBe(false);
  });

  it('gives the copy-ready snippet for the business', async () => {
    const snippet = await expectJson(h.admin('GET', '/v1/admin/snippet'), 200);
    expect(snippet.loginButton).toBe('<script src="https://portal.test/portal.js" async></script>\n<portal-login business="acme"></portal-login>');
    expect(snippet.portalPage).toBe('<script src="https://portal.test/portal.js" async></script>\n<customer-portal business="acme"></customer-portal>');
    expect(snippet.portalUrl).toBe('https://acme.test/portal');
    expect(snippet.hostedPortalUrl).toBe('https://portal.test/p/acme');
  });
});
