// The PostgreSQL store itself: migrations (twice, and from several processes at once), and the
// promises SQLite keeps by writing one transaction at a time, here under concurrent callers on
// several pools, as several API processes would be: one session per link token, rate limits never
// passed, one live login link, queue rows claimed once. Unique violations and the order of the
// customer list are checked against the SQLite store. Runs when TEST_DATABASE_URL names a
// PostgreSQL server; the file creates its own databases there and drops them afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPg } from '../../db/pg/client';
import { newId } from '../../lib/crypto';
import { AppError } from '../../lib/errors';
import { SqliteStore } from '../sqlite';
import type { CustomerFields, InvoiceFields, NewInvitation, NewLinkToken, NewOutboxEmail, Store } from '../types';
import { PgStore } from '.';
import { adminQuery, databaseUrl } from '../../../test/database';

const serverUrl = process.env.TEST_DATABASE_URL;

const journal = JSON.parse(readFileSync(new URL('../../db/pg/migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 18, 12);

const urlOf = (name: string) => databaseUrl(serverUrl!, name);
const onServer = (sql: string) => adminQuery(serverUrl!, sql);

const created: string[] = [];

/**
 * A fresh, empty database. Its default collation is ICU's en-US where the server has ICU, so that
 * text ordering that would differ from SQLite's byte order shows up.
 */
async function freshDatabase(): Promise<string> {
  const name = `doorstep_t_${randomBytes(6).toString('hex')}`;
  try {
    await onServer(`create database ${name} template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`);
  } catch {
    await onServer(`create database ${name}`);
  }
  created.push(name);
  return name;
}

const customerFields = (name: string, fields: Partial<CustomerFields> = {}): CustomerFields => ({
  name,
  emails: [],
  phone: null,
  addresses: [],
  externalId: null,
  disabled: false,
  ...fields,
});

const invoiceFields = (customerId: string, number: string): InvoiceFields => ({
  customerId,
  externalId: null,
  number,
  currency: 'usd',
  lineItems: [{ description: 'Repair', quantity: 1, unitAmount: 10_000, amount: 10_000 }],
  subtotal: 10_000,
  taxAmount: 0,
  total: 10_000,
  amountPaid: 0,
  dueDate: null,
  status: 'open',
  paidAt: null,
});

const outboxEmail = (businessId: string, to: string): NewOutboxEmail => ({
  id: newId('out'),
  businessId,
  kind: 'test',
  to,
  subject: 'Hello',
  html: '<p>Hello</p>',
  text: 'Hello',
});

const loginLink = (email: string, tokenHash = newId('hash')): NewLinkToken => ({
  id: newId('lnk'),
  tokenHash,
  kind: 'login',
  email,
  landing: null,
  expiresAt: NOW + 60 * MINUTE,
});

async function seedBusiness(store: Store, id = `biz_${randomBytes(3).toString('hex')}`): Promise<string> {
  await store.createBusiness({ id, name: 'Acme Plumbing', apiKey: { id: newId('key'), prefix: `dsk_${id}`, hash: newId('hash') } }, NOW - MINUTE);
  return id;
}

async function seedCustomer(store: Store, businessId: string, email: string): Promise<string> {
  const id = newId('cus');
  await store.saveCustomer(businessId, id, customerFields('Jo Customer', { emails: [{ address: email, primary: true }] }), NOW - MINUTE);
  return id;
}

/** What a store call threw, as the API would answer it. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const { status, code, message } = error as AppError;
  return { status, code, message };
}

describe.skipIf(!serverUrl)('PostgreSQL store', () => {
  let url: string;
  /** Two stores on one database: two API processes, each with its own pool. */
  let a: PgStore;
  let b: PgStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    url = urlOf(await freshDatabase());
    a = await PgStore.connect(url);
    b = await PgStore.connect(url);
    pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {}); // connections still closing when the database is dropped (force)
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pool?.end();
    for (const name of created) await onServer(`drop database if exists ${name} with (force)`);
  });

  async function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
    return (await pool.query(sql, params)).rows as T[];
  }

  describe('migrations', () => {
    it('apply once: opening a migrated database again changes nothing', async () => {
      const before = await rows<{ hash: string }>('select hash from drizzle.__drizzle_migrations order by id');
      expect(before).toHaveLength(journal.entries.length);
      const again = await openPg(url);
      await again.$client.end();
      expect(await rows('select hash from drizzle.__drizzle_migrations order by id')).toEqual(before);
      const tables = await rows<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
      expect(tables[0]!.n).toBeGreaterThanOrEqual(20);
    });

    it('apply once when several processes start on a new database together', async () => {
      const fresh = urlOf(await freshDatabase());
      const dbs = await Promise.all(Array.from({ length: 5 }, () => openPg(fresh, { max: 1 })));
      try {
        const applied = await dbs[0]!.$client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(applied.rows[0].n).toBe(journal.entries.length);
      } finally {
        for (const db of dbs) await db.$client.end();
      }
    });
  });

  it('20 concurrent exchanges of one link token open exactly one session', async () => {
    const businessId = await seedBusiness(a);
    const customerId = await seedCustomer(a, businessId, 'jo@example.com');
    const tokenHash = newId('hash');
    const invitation: NewInvitation = {
      id: newId('inv'),
      customerId,
      source: 'single',
      link: { ...loginLink('jo@example.com', tokenHash), kind: 'invitation' },
      email: outboxEmail(businessId, 'jo@example.com'),
    };
    await a.createInvitations(businessId, [invitation], NOW);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).exchangeLinkToken(businessId, tokenHash, { id: newId('ses'), tokenHash: newId('sth'), idleExpiresAt: NOW + 60 * MINUTE, expiresAt: NOW + 600 * MINUTE }, NOW),
      ),
    );
    expect(results.filter((r) => r.status === 'signed_in')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'dead')).toHaveLength(19);
    expect(await rows('select id from sessions where customer_id = $1', customerId)).toHaveLength(1);
    expect(await rows('select id from portal_sign_ins where customer_id = $1', customerId)).toHaveLength(1);
  });

  it('concurrent rate-limit hits never pass the limit', async () => {
    const key = `login:${randomBytes(4).toString('hex')}`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hitRateLimit(key, MINUTE, 5, NOW + (i % 3))));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    for (const refused of results.filter((r) => !r.allowed)) expect(refused.retryAfterMs).toBeGreaterThan(MINUTE - 5);
    const [counted] = await rows<{ hits: number }>('select sum(count)::int as hits from rate_limits where key = $1', key);
    expect(counted!.hits).toBe(5);
  });

  it('concurrent login-link requests count their limits and leave one live link', async () => {
    const businessId = await seedBusiness(a);
    const customerId = await seedCustomer(a, businessId, 'sam@example.com');
    const key = `login:${businessId}:sam@example.com`;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).issueLoginLink(
          businessId,
          [{ key, windowMs: 60 * MINUTE, limit: 4 }],
          { customerId, link: loginLink('sam@example.com'), email: outboxEmail(businessId, 'sam@example.com') },
          NOW,
        ),
      ),
    );
    expect(outcomes.filter((o) => o.issued)).toHaveLength(4);
    expect(outcomes.filter((o) => o.refusedBy?.key === key)).toHaveLength(8);
    const links = await rows<{ used_at: string | null }>("select used_at from link_tokens where customer_id = $1 and kind = 'login'", customerId);
    expect(links).toHaveLength(4);
    // Each newer link superseded the older ones: exactly one still works.
    expect(links.filter((l) => l.used_at === null)).toHaveLength(1);
  });

  it('two concurrent outbox workers never claim the same email', async () => {
    await pool.query('delete from email_outbox');
    const businessId = await seedBusiness(a);
    const customerId = await seedCustomer(a, businessId, 'lee@example.com');
    const invitations = Array.from({ length: 60 }, (): NewInvitation => ({
      id: newId('inv'),
      customerId,
      source: 'bulk',
      link: { ...loginLink('lee@example.com'), kind: 'invitation' },
      email: outboxEmail(businessId, 'lee@example.com'),
    }));
    await a.createInvitations(businessId, invitations, NOW);

    async function worker(store: Store): Promise<string[]> {
      const claimed: string[] = [];
      for (;;) {
        const batch = await store.claimOutboxBatch(NOW, 7, MINUTE);
        if (batch.length === 0) return claimed;
        claimed.push(...batch.map((row) => row.id));
      }
    }
    const [first, second] = await Promise.all([worker(a), worker(b)]);
    const all = [...first!, ...second!];
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(invitations.map((i) => i.email.id)));
    const attempts = await rows<{ attempts: number }>('select distinct attempts from email_outbox');
    expect(attempts).toEqual([{ attempts: 1 }]);
    // A claim lapses: after the lock, the rows are due again, in queue order.
    const again = await a.claimOutboxBatch(NOW + MINUTE, 100, MINUTE);
    const queue = await rows<{ id: string }>("select id from email_outbox where status = 'pending' order by next_attempt_at, id");
    expect(again.map((row) => row.id)).toEqual(queue.map((row) => row.id));
    expect(again).toHaveLength(60);
  });

  describe('the same answers as the SQLite store', () => {
    let dir: string;
    let lite: SqliteStore;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'doorstep-pg-test-'));
      lite = SqliteStore.open(join(dir, 'doorstep.db'));
    });
    afterAll(() => {
      lite?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Runs the same steps on both stores and answers both results. */
    async function both<T>(steps: (store: Store, businessId: string) => Promise<T>): Promise<[T, T]> {
      const id = `same_${randomBytes(3).toString('hex')}`;
      await seedBusiness(a, id);
      await seedBusiness(lite, id);
      return [await steps(a, id), await steps(lite, id)];
    }

    it('unique violations become the same 409s', async () => {
      const [onPg, onLite] = await both(async (store, businessId) => {
        const customerId = newId('cus');
        await store.saveCustomer(businessId, customerId, customerFields('Ann', { externalId: 'ext-1' }), NOW);
        const otherId = newId('cus');
        await store.saveCustomer(businessId, otherId, customerFields('Bob', { externalId: 'ext-2' }), NOW);
        await store.saveInvoice(businessId, newId('inv'), invoiceFields(customerId, 'INV-1'), NOW);
        const second = newId('inv');
        await store.saveInvoice(businessId, second, invoiceFields(customerId, 'INV-2'), NOW);
        return {
          number: await refusal(store.saveInvoice(businessId, newId('inv'), invoiceFields(customerId, 'INV-1'), NOW)),
          numberOnUpdate: await refusal(store.updateInvoice(businessId, second, invoiceFields(customerId, 'INV-1'), NOW)),
          externalId: await refusal(store.updateCustomer(businessId, otherId, customerFields('Bob', { externalId: 'ext-1' }), NOW)),
          staff: await (async () => {
            await store.addStaff(businessId, 'kim@example.com', 'staff', NOW);
            return refusal(store.addStaff(businessId, 'kim@example.com', 'owner', NOW));
          })(),
          // The refused writes left nothing behind.
          invoices: (await store.listInvoices(businessId, { limit: 10 })).data.map((i) => i.number).sort(),
          staffCount: (await store.findStaffByEmail('kim@example.com')).filter((m) => m.business.id === businessId).length,
        };
      });
      expect(onPg.number).toMatchObject({ status: 409, code: 'duplicate_number' });
      expect(onPg.externalId).toMatchObject({ status: 409, code: 'duplicate_external_id' });
      expect(onPg.staff).toMatchObject({ status: 409, code: 'staff_exists' });
      expect(onPg).toEqual(onLite);
    });

    it('upserts by external id, update the same row', async () => {
      const [onPg, onLite] = await both(async (store, businessId) => {
        const first = await store.saveCustomer(businessId, newId('cus'), customerFields('Ann', { externalId: 'crm-7' }), NOW);
        const second = await store.saveCustomer(businessId, newId('cus'), customerFields('Ann B', { externalId: 'crm-7', phone: '555' }), NOW + 1);
        return { created: [first.created, second.created], sameId: first.value.id === second.value.id, name: second.value.name, phone: second.value.phone };
      });
      expect(onPg).toEqual({ created: [true, false], sameId: true, name: 'Ann B', phone: '555' });
      expect(onPg).toEqual(onLite);
    });

    it('lists customers in the same order, page by page, and finds them the same way', async () => {
      const names = ['zoe', 'Émile', "O'Brien", 'Obama', 'ann b', 'Anna', 'anne', 'Bob_Smith', 'bob smith', '100% Plumbing', 'ZED'];
      const [onPg, onLite] = await both(async (store, businessId) => {
        for (const name of names) await store.saveCustomer(businessId, newId('cus'), customerFields(name, { phone: name === 'ZED' ? '555-0100 EXT' : null }), NOW);
        const order: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listCustomers(businessId, { limit: 3, cursor });
          order.push(...page.data.map((c) => c.name));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const search = async (q: string) => (await store.listCustomers(businessId, { limit: 50, q })).data.map((c) => c.name).sort();
        return { order, an: await search('AN'), percent: await search('100%'), underscore: await search('b_s'), ext: await search('ext') };
      });
      expect(onPg.order).toHaveLength(names.length);
      expect(onPg.percent).toEqual(['100% Plumbing']);
      expect(onPg.underscore).toEqual(['Bob_Smith']);
      expect(onPg).toEqual(onLite);
    });
  });

  it('answers text carrying a NUL character, which PostgreSQL cannot store, with a 400', async () => {
    const businessId = await seedBusiness(a);
    const nul = { status: 400, code: 'invalid_text', message: expect.stringContaining('U+0000') };
    expect(await refusal(a.getCustomer(businessId, 'cus_\u0000'))).toEqual(nul);
    expect(await refusal(a.saveCustomer(businessId, newId('cus'), customerFields('Jo\u0000'), NOW))).toEqual(nul);
    expect(await refusal(a.saveCustomer(businessId, newId('cus'), customerFields('Jo', { addresses: [{ line1: '1 Main\u0000' }] }), NOW))).toEqual(nul);
    expect((await a.listCustomers(businessId, { limit: 10 })).data).toEqual([]);
  });

  it('refuses a file backup, pointing to pg_dump', async () => {
    const refused = await refusal(a.backup(join(tmpdir(), 'never.db')));
    expect(refused.message).toContain('pg_dump');
  });

  it('erases delivered email bodies and vacuums the outbox', async () => {
    const businessId = await seedBusiness(a);
    const customerId = await seedCustomer(a, businessId, 'max@example.com');
    const email = { ...outboxEmail(businessId, 'max@example.com'), html: '<a href="https://x/t/SECRET">Sign in</a>', text: 'SECRET' };
    await a.issueLoginLink(businessId, [], { customerId, link: loginLink('max@example.com'), email }, NOW);
    await a.markEmailSent(email.id, { providerMessageId: 're_1', eraseBody: true }, NOW);
    const [row] = await rows<{ html: string | null; text: string | null; status: string }>('select html, text, status from email_outbox where id = $1', email.id);
    expect(row).toEqual({ html: null, text: null, status: 'sent' });
    // The row's old version, body and all, stays in the table as a dead tuple until vacuumed.
    await pool.query('create extension if not exists pgstattuple');
    const dead = async () => (await rows<{ n: number }>("select dead_tuple_count::int as n from pgstattuple('email_outbox')"))[0]!.n;
    expect(await dead()).toBeGreaterThan(0);
    await a.purgeErased();
    expect(await dead()).toBe(0);
  });
});
