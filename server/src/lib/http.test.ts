import { mkdirSync, writeFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, expectJson, type Harness } from '../../test/harness';
import { saveCustomer } from '../services/customers';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('HTTP behaviour every route shares', () => {
  it('serves /health with security headers and no caching', async () => {
    const res = await h.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers unknown routes with the error shape', async () => {
    const body = await expectJson(h.app.request('/v1/nothing-here'), 404);
    expect(body).toEqual({ error: { code: 'not_found', message: 'No route for GET /v1/nothing-here.' } });
  });

  it('refuses bodies over 100 KB, non-JSON bodies and malformed JSON', async () => {
    const headers = { Authorization: `Bearer ${h.keyA}`, 'Content-Type': 'application/json' };
    const huge = JSON.stringify({ name: 'x'.repeat(100 * 1024) });
    expect((await expectJson(h.app.request('/v1/admin/customers', { method: 'POST', headers, body: huge }), 413)).error.code).toBe('payload_too_large');
    const plain = { ...headers, 'Content-Type': 'text/plain' };
    expect((await expectJson(h.app.request('/v1/admin/customers', { method: 'POST', headers: plain, body: 'name=x' }), 415)).error.code).toBe(
      'unsupported_media_type',
    );
    expect((await expectJson(h.app.request('/v1/admin/customers', { method: 'POST', headers, body: '{"name":' }), 400)).error.code).toBe('invalid_json');
    expect((await expectJson(h.admin('GET', '/v1/admin/customers'), 200)).data).toEqual([]);
  });

  it('serves portal.js to any website, or says how to build it', async () => {
    const missing = await expectJson(h.app.request('/portal.js'), 503);
    expect(missing.error.code).toBe('widget_not_built');
    mkdirSync(join(h.dir, 'dist'), { recursive: true });
    writeFileSync(join(h.dir, 'dist', 'portal.js'), 'console.log("portal")');
    const res = await h.app.request('/portal.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe('console.log("portal")');
  });

  it('serves portal-app.js, the chunk <customer-portal> imports, as a CORS-open JavaScript module', async () => {
    expect((await expectJson(h.app.request('/portal-app.js'), 503)).error.code).toBe('widget_not_built');
    mkdirSync(join(h.dir, 'dist'), { recursive: true });
    writeFileSync(join(h.dir, 'dist', 'portal-app.js'), 'export const portal = 1;');
    // As portal.js asks for it: from another origin, with its version in the query.
    const res = await h.app.request('/portal-app.js?v=0.1.0', { headers: { Origin: 'https://www.acme.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('export const portal = 1;');
  });

  it('answers only once the writes its reads saw are committed', async () => {
    const other = await h.openStore(); // another connection: it sees only what is committed
    await h.admin('GET', '/v1/admin/customers'); // records the key's use now, so the next request only reads
    // A write of this turn, not yet committed (SQLite commits the writes of a turn together)…
    const write = saveCustomer(h.deps, 'acme', { name: 'Ada Lovelace', email: 'ada@example.test' });
    // …that a request of the same turn reads.
    const answered = h.admin('GET', '/v1/admin/customers').then((res) => ({
      res,
      // Read the moment the answer arrives, before its body is.
      onDisk: other.listCustomers('acme', { limit: 50 }),
    }));
    const { value: created } = await write;
    const { res, onDisk } = await answered;
    expect(res.status).toBe(200);
    const listed = ((await res.json()).data as { id: string }[]).map((c) => c.id);
    if (h.dialect === 'sqlite') expect(listed).toEqual([created.id]);
    // Whatever the answer showed was already committed when it arrived.
    expect((await onDisk).data.map((c) => c.id)).toEqual(expect.arrayContaining(listed));
  });

  it('sends the same headers over HTTP from Node as from the app in process', async () => {
    mkdirSync(join(h.dir, 'dist'), { recursive: true });
    writeFileSync(join(h.dir, 'dist', 'portal.js'), 'console.log("portal")');
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((listening) => server.once('listening', () => listening()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const origin = { Origin: 'https://acme.test' };
      const requests: [string, RequestInit?][] = [
        ['/health'],
        ['/v1/nothing-here'],
        ['/v1/b/acme'],
        ['/v1/b/acme', { headers: origin }],
        ['/v1/b/acme/summary', { headers: origin }], // 401 without a session
        ['/v1/b/acme/login-links', { method: 'OPTIONS', headers: { ...origin, 'Access-Control-Request-Method': 'POST' } }],
        ['/v1/b/acme', { headers: { Origin: 'https://evil.test' } }], // 403
        ['/v1/admin/customers', { headers: { Authorization: `Bearer ${h.keyA}` } }],
        ['/portal.js'],
        ['/p/acme'], // a page: CSP and X-Frame-Options
      ];
      const shown = (res: Response) =>
        [...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)).sort();
      for (const [path, init] of requests) {
        const viaNode = await fetch(`${base}${path}`, init);
        const inProcess = await h.app.request(path, init);
        expect([path, viaNode.status], path).toEqual([path, inProcess.status]);
        expect(shown(viaNode), path).toEqual(shown(inProcess));
        expect(await viaNode.text(), path).toBe(await inProcess.text());
      }
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });
});
