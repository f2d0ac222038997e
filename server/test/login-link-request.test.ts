// A login-link request is one transaction: its rate-limit hits and the link it issues (or the
// refusal) commit together, once. Here the store's issueLoginLink on its own (both stores: the
// PostgreSQL run checks its port), and on SQLite the commits a request writes to the WAL.
// Behaviour over HTTP (202 alike for everyone, 429 per IP, 1 per minute and 5 per hour per email)
// is server/src/routes/b/auth.test.ts.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock';
import { createBusiness } from '../src/services/businesses';
import { prepareSignIn, requestLoginLink } from '../src/services/auth';
import { saveCustomer } from '../src/services/customers';
import type { Deps } from '../src/services/deps';
import type { Business, Customer, RateLimitHit } from '../src/store/types';
import { createTestDatabase, testDialect, type TestDatabase } from './database';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let database: TestDatabase;
let deps: Deps;
let clock: ManualClock;
let business: Business;
let customer: Customer;

beforeEach(async () => {
  database = await createTestDatabase();
  clock = new ManualClock();
  deps = { store: database.store, clock, publicUrl: 'http://127.0.0.1:1', paymentsConfigured: false, trustProxy: true };
  await createBusiness(deps, { id: 'acme', name: 'Acme Plumbing', portalUrl: 'https://acme.test/portal' });
  business = (await database.store.getBusiness('acme'))!;
  customer = (await saveCustomer(deps, 'acme', { name: 'Dana Rivera', email: 'dana@example.com' })).value;
});

afterEach(() => database.close());

const hits = async (key: string) => Number((await database.query<{ n: number }>('select coalesce(sum(count), 0) as n from rate_limits where key = ?', key))[0]!.n);
const loginLinks = () => database.query<{ id: string; used_at: number | null }>(`select id, used_at from link_tokens where kind = 'login' order by created_at, id`);
const outbox = () => database.query<{ to_address: string; kind: string }>('select to_address, kind from email_outbox');
const link = () => ({ customerId: customer.id, ...prepareSignIn(deps, business, customer, 'dana@example.com', 'login') });

describe('issueLoginLink: the hits and the link in one transaction', () => {
  const ip: RateLimitHit = { key: 'test:ip', windowMs: MINUTE, limit: 2 };
  const email: RateLimitHit = { key: 'test:email', windowMs: HOUR, limit: 5 };

  it('counts every limit and queues the link when none refuses, superseding the older login link', async () => {
    const first = await database.store.issueLoginLink('acme', [ip, email], link(), clock.now());
    expect(first).toEqual({ refusedBy: null, issued: true });
    clock.advance(1000);
    expect(await database.store.issueLoginLink('acme', [ip, email], link(), clock.now())).toEqual({ refusedBy: null, issued: true });
    expect(await hits('test:ip')).toBe(2);
    expect(await hits('test:email')).toBe(2);
    const [older, newer] = await loginLinks();
    expect(older!.used_at).toBe(clock.now()); // superseded when the newer one was issued
    expect(newer!.used_at).toBeNull();
    expect(await outbox()).toEqual([
      { to_address: 'dana@example.com', kind: 'login_link' },
      { to_address: 'dana@example.com', kind: 'login_link' },
    ]);
  });

  it('stops at the first limit that refuses: the later ones are not counted and nothing is queued', async () => {
    await database.store.issueLoginLink('acme', [ip, email], null, clock.now());
    clock.advance(1000);
    await database.store.issueLoginLink('acme', [ip, email], null, clock.now());
    clock.advance(1000);
    const refused = await database.store.issueLoginLink('acme', [ip, email], link(), clock.now());
    // The oldest hit in the window is 2 s old: the window frees up 58 s from now.
    expect(refused).toEqual({ refusedBy: { key: 'test:ip', retryAfterMs: MINUTE - 2000 }, issued: false });
    expect(await hits('test:ip')).toBe(2);
    expect(await hits('test:email')).toBe(2);
    expect(await loginLinks()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('a refusal by a later limit keeps the hits counted before it', async () => {
    const once: RateLimitHit = { key: 'test:once', windowMs: MINUTE, limit: 1 };
    await database.store.issueLoginLink('acme', [email, once], null, clock.now());
    const refused = await database.store.issueLoginLink('acme', [email, once], link(), clock.now() + 10);
    expect(refused.refusedBy?.key).toBe('test:once');
    expect(refused.issued).toBe(false);
    expect(await hits('test:email')).toBe(2);
    expect(await hits('test:once')).toBe(1);
    expect(await loginLinks()).toEqual([]);
  });

  it('an address that is no customer’s counts its hits and queues nothing', async () => {
    expect(await database.store.issueLoginLink('acme', [ip, email], null, clock.now())).toEqual({ refusedBy: null, issued: false });
    expect(await hits('test:ip')).toBe(1);
    expect(await hits('test:email')).toBe(1);
    expect(await loginLinks()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });
});

/** The commits in the SQLite file's write-ahead log: frames whose header gives the database size. */
function walCommits(dbPath: string): number {
  const wal = readFileSync(`${dbPath}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    // Frames left over from before the last checkpoint carry older salts.
    if (wal.readUInt32BE(at + 8) !== salt[0] || wal.readUInt32BE(at + 12) !== salt[1]) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

describe.runIf(testDialect === 'sqlite')('on SQLite, one commit per request', () => {
  /** The commits a request writes, and what it threw. */
  async function commitsOf(request: () => Promise<unknown>): Promise<{ commits: number; error?: unknown }> {
    const other = new Database(database.dbPath!);
    try {
      other.pragma('wal_checkpoint(TRUNCATE)');
      const error = await request().then(
        () => undefined,
        (e: unknown) => e,
      );
      return { commits: walCommits(database.dbPath!), ...(error ? { error } : {}) };
    } finally {
      other.close();
    }
  }

  it('a customer’s request and a stranger’s each commit once; a refused one changes nothing', async () => {
    expect(await commitsOf(() => requestLoginLink(deps, business, 'dana@example.com', '10.0.0.1'))).toEqual({ commits: 1 });
    expect(await loginLinks()).toHaveLength(1);
    expect(await commitsOf(() => requestLoginLink(deps, business, 'stranger@example.com', '10.0.0.2'))).toEqual({ commits: 1 });

    for (let i = 0; i < 5; i++) await requestLoginLink(deps, business, `someone-${i}@example.com`, '10.0.0.3');
    const refused = await commitsOf(() => requestLoginLink(deps, business, 'dana@example.com', '10.0.0.3'));
    expect(refused.error).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(refused.commits).toBe(0);
    expect(await hits('login:email:acme:dana@example.com:m')).toBe(1); // the first request's only
    expect(await loginLinks()).toHaveLength(1);
  });
});
