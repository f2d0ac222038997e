/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { API, FakeApi, replies } from '../internal/test-fixtures.js';
import { ApiClient, ApiError, isApiError } from './client.js';
import { PortalClient } from './portal-client.js';

describe('ApiClient', () => {
  let api: FakeApi;
  beforeEach(() => {
    api = new FakeApi();
  });

  const client = (token?: string, onUnauthorized?: (token: string) => void) =>
    new PortalClient({ base: API, business: 'acme plumbing', token: () => token, fetch: api.fetch, onUnauthorized });

  it('calls /v1/b/:business/… with the session as a Bearer token, no cookies, no Referer', async () => {
    api.sessions.add('s3cret');
    await client('s3cret').summary();
    const [request] = api.requests;
    expect(request!.url).to.equal(`${API}/v1/b/acme%20plumbing/summary`);
    expect(request!.authorization).to.equal('Bearer s3cret');
    expect(request!.init.credentials).to.equal('omit');
    expect(request!.init.referrerPolicy).to.equal('no-referrer');
  });

  it('sends JSON bodies, and leaves the token out of the public calls', async () => {
    await client('s3cret').requestLoginLink('dana@example.com');
    await client('s3cret').business();
    await client('s3cret').createSession('good-token');
    for (const request of api.requests) expect(request.authorization).to.equal(null);
    expect(api.requests[0]!.headers.get('Content-Type')).to.equal('application/json');
    expect(api.requests[0]!.body).to.deep.equal({ email: 'dana@example.com' });
    expect(api.requests[1]!.headers.get('Content-Type')).to.equal(null);
  });

  it('builds queries from what is set', async () => {
    api.sessions.add('t');
    await client('t').appointments('past', { cursor: 'abc', limit: 5 });
    await client('t').appointments('upcoming', { cursor: null });
    expect(api.requests.map((r) => r.url.replace(`${API}/v1/b/acme%20plumbing`, ''))).to.deep.equal([
      '/appointments?when=past&cursor=abc&limit=5',
      '/appointments?when=upcoming',
    ]);
  });

  it('resolves with the body, or undefined for 204', async () => {
    api.sessions.add('t');
    expect(await client('t').summary()).to.deep.equal(api.summary);
    expect(await client('t').signOut()).to.equal(undefined);
  });

  it('rejects with an ApiError carrying the server’s code, message, details and Retry-After', async () => {
    api.on('POST /login-links', replies.apiError(429, 'rate_limited', 'Too many attempts. Try again in 12 seconds.', { retryAfter: 12 }, { 'Retry-After': '12' }));
    api.expired.set('old', { maskedEmail: 'd•••@example.com', resent: true });
    const limited = await client().requestLoginLink('a@b.co').catch((e: unknown) => e);
    expect(limited).to.be.instanceOf(ApiError);
    expect(isApiError(limited)).to.equal(true);
    expect(limited).to.include({ status: 429, code: 'rate_limited', message: 'Too many attempts. Try again in 12 seconds.', retryAfter: 12 });

    const expired = (await client().createSession('old').catch((e: unknown) => e)) as ApiError;
    expect(expired.code).to.equal('link_expired');
    expect(expired.details).to.deep.equal({ maskedEmail: 'd•••@example.com', resent: true });
    expect(expired.retryAfter).to.equal(null);
  });

  it('takes Retry-After from the body when the header is not exposed', async () => {
    api.on('POST /login-links', replies.apiError(429, 'rate_limited', 'Slow down.', { retryAfter: 7 }));
    expect(((await client().requestLoginLink('a@b.co').catch((e: unknown) => e)) as ApiError).retryAfter).to.equal(7);
  });

  it('an unreachable server, or an answer that is not ours, is network_error', async () => {
    api.on('GET ', 'network-error');
    const offline = (await client().business().catch((e: unknown) => e)) as ApiError;
    expect(offline).to.include({ status: 0, code: 'network_error' });

    const proxy = new ApiClient({ base: API, business: 'acme', fetch: async () => new Response('<html>Bad gateway</html>', { status: 502 }) });
    expect(((await proxy.business().catch((e: unknown) => e)) as ApiError).code).to.equal('network_error');
  });

  it('an aborted call rejects with the AbortError, not a network error', async () => {
    api.on('GET ', () => new Promise(() => {}));
    const controller = new AbortController();
    const call = client().business(controller.signal).catch((e: unknown) => e);
    controller.abort();
    expect(((await call) as Error).name).to.equal('AbortError');
  });

  it('reports a 401 to onUnauthorized only for calls made with a session', async () => {
    const ended: string[] = [];
    await client('gone', (token) => ended.push(token)).summary().catch(() => undefined);
    await client(undefined, (token) => ended.push(token)).createSession('unknown').catch(() => undefined);
    expect(ended).to.deep.equal(['gone']);
  });
});
