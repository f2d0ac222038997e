import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, type Harness } from '../../test/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('hosted portal page /p/:business', () => {
  it('serves a branded page carrying the portal, locked down', async () => {
    await expectJson(h.admin('PATCH', '/v1/admin/settings', { name: 'Acme <Plumbing>', language: 'es' }), 200);
    const res = await h.app.request('/p/acme');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<title>Acme &lt;Plumbing&gt; — Customer portal</title>');
    expect(html).toContain('<script src="/portal.js" async></script>');
    expect(html).toContain('<customer-portal business="acme" lang="es"></customer-portal>');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('says plainly when no business has that address', async () => {
    const res = await h.app.request('/p/nobody');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Portal not found');
  });
});
