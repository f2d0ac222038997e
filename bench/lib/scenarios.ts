// The requests the API benchmarks send, shared by api.ts and scale.ts so both measure the same work.
import type autocannon from 'autocannon';
import { loginEmail, type Seeded } from './seed';

export type Request = Pick<autocannon.Options, 'method' | 'headers' | 'requests'> & { path: string };

/** Numbers the requests of one run, so each gets its own address and email. */
export interface Counter {
  n: number;
}

export const appointmentsPath = (s: Seeded) => `/v1/b/${s.business}/appointments?when=upcoming&limit=50`;
export const summaryPath = (s: Seeded) => `/v1/b/${s.business}/summary`;

/** A GET as the signed-in customer with 50 upcoming appointments. */
export const customerRead = (s: Seeded, path: string): Request => ({ path, method: 'GET', headers: { Authorization: `Bearer ${s.sessionToken}` } });

/** A POST of a new body on every request: `body(i)` gives the headers and body of request number i. */
function numberedPost(path: string, counter: Counter, body: (i: number) => { headers: Record<string, string>; body: string }): Request {
  return {
    path,
    requests: [{ method: 'POST', path, setupRequest: (request) => ({ ...request, ...body(counter.n++) }) }],
  };
}

/**
 * A login-link request from a new client address (TRUST_PROXY=1, X-Forwarded-For) for a new email
 * each time, half of them customers', so the rate limits never decide the answer: this measures
 * the work of a link request, not the limiter.
 */
export function loginLinks(s: Seeded, counter: Counter): Request {
  return numberedPost(`/v1/b/${s.business}/login-links`, counter, (i) => ({
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
    body: JSON.stringify({ email: i % 2 === 0 ? loginEmail((i / 2) % s.loginPool) : `stranger-${i}@bench-strangers.test` }),
  }));
}

/** A new customer per request through the admin API; `tag` keeps emails apart between runs on one database. */
export function adminCustomer(s: Seeded, counter: Counter, tag = 'admin'): Request {
  return numberedPost('/v1/admin/customers', counter, (i) => ({
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.apiKey}` },
    body: JSON.stringify({ name: `Bench customer ${i}`, email: `${tag}-${i}@bench-customers.test`, phone: '+1 555 0100' }),
  }));
}
