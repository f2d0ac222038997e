// The PostgreSQL store: node-postgres through drizzle, behaving exactly as the SQLite store does
// (store/sqlite/index.ts explains the product rules; the comments here say what differs). Every
// write runs in one SERIALIZABLE transaction (./tx.ts), retried when PostgreSQL refuses it, so a
// returned promise means the change is committed and read-then-write logic is as safe as under
// SQLite's `BEGIN IMMEDIATE`. Queue claims run READ COMMITTED with `FOR UPDATE SKIP LOCKED`.
import { and, asc, desc, eq, exists, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { openPg, type PgDb, type PgOptions } from '../../db/pg/client';
import * as s from '../../db/pg/schema';
import { newId } from '../../lib/crypto';
import { AppError } from '../../lib/errors';
import type {
  AppointmentFields,
  BusinessSettings,
  Customer,
  CustomerFields,
  CustomerQuery,
  CustomerRow,
  DevMail,
  EstimateDecision,
  EstimateFields,
  NewMessage,
  NewReply,
  PageRequest,
  SideEffects,
  ExchangeResult,
  InvitationRecord,
  NewInvitation,
  NewOutboxEmail,
  NewSession,
  NewWebhookEndpoint,
  LoginLinkOutcome,
  LoginLinkToIssue,
  RateLimitHit,
  RateLimitResult,
  InvoiceFields,
  InvoicePayment,
  CardChange,
  CardSnapshot,
  NewBusiness,
  Store,
  Upserted,
  WorkQuery,
} from '../types';
import type { BulkChunk, NewStaffLink, OverviewQuery, StaffExchangeResult } from '../console-types';
import { afterCursor, toPage } from '../paging';
import * as payments from './payments';
import * as consoleStore from './console';
import * as portal from './portal';
import { databaseError, isUniqueViolation, sqlState, write, type Isolation, type PgTx } from './tx';
import * as webhooks from './webhooks';

/** Thrown inside a transaction to roll it back when a consumed link turns out to be unusable. */
class UnknownLink extends Error {}

type Reader = PgDb | PgTx;

/** Tables of work done for a customer: scoped by business, synced by external id. */
type WorkTable = typeof s.appointments | typeof s.invoices | typeof s.estimates;

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** `ilike`: SQLite's `like` ignores (ASCII) case, PostgreSQL's does not. */
const likeEscaped = (column: PgColumn, pattern: string): SQL => sql`${column} ilike ${pattern} escape '\\'`;

/** Holds a lock on `key` until the transaction ends: writers of one key take turns, others run on. */
async function lockKey(tx: PgTx, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

export class PgStore implements Store {
  // Hot reads as named prepared statements: each pooled connection parses and plans them once.
  // They run on the pool, never inside a transaction (a transaction has a connection of its own).
  private readonly apiKeyLookup;
  private readonly sessionLookup;
  private readonly customerByEmailLookup;
  private readonly businessLookup;
  private readonly portalReads;

  constructor(readonly db: PgDb) {
    this.apiKeyLookup = db
      .select({ id: s.apiKeys.id, businessId: s.apiKeys.businessId, lastUsedAt: s.apiKeys.lastUsedAt })
      .from(s.apiKeys)
      .where(and(eq(s.apiKeys.hash, sql.placeholder('hash')), isNull(s.apiKeys.revokedAt)))
      .prepare('store_api_key');
    this.sessionLookup = db
      .select()
      .from(s.sessions)
      .where(and(eq(s.sessions.businessId, sql.placeholder('businessId')), eq(s.sessions.tokenHash, sql.placeholder('tokenHash'))))
      .prepare('store_session');
    this.customerByEmailLookup = db
      .select({ customerId: s.customerEmails.customerId })
      .from(s.customerEmails)
      .innerJoin(s.customers, eq(s.customers.id, s.customerEmails.customerId))
      .where(
        and(
          eq(s.customerEmails.businessId, sql.placeholder('businessId')),
          eq(s.customerEmails.address, sql.placeholder('address')),
          eq(s.customers.disabled, false),
        ),
      )
      .orderBy(desc(s.customerEmails.isPrimary), desc(s.customers.updatedAt))
      .limit(1)
      .prepare('store_customer_by_email');
    this.businessLookup = db.select().from(s.businesses).where(eq(s.businesses.id, sql.placeholder('id'))).prepare('store_business');
    this.portalReads = portal.preparePortalReads(db);
  }

  /** Connects, migrating the database first (several processes may start together: see openPg). */
  static async connect(url: string, options?: PgOptions): Promise<PgStore> {
    return new PgStore(await openPg(url, options));
  }

  private write<T>(fn: (tx: PgTx) => Promise<T>, isolation?: Isolation): Promise<T> {
    return write(this.db, fn, isolation);
  }

  /** A queue claim: row locks, not serializability, keep concurrent workers apart (see ./tx.ts). */
  private claim<T>(fn: (tx: PgTx) => Promise<T>): Promise<T> {
    return write(this.db, fn, 'read committed');
  }

  // ---- Businesses, staff, keys ----

  createBusiness(input: NewBusiness, now: number) {
    return this.write(async (tx) => {
      const [taken] = await tx.select({ id: s.businesses.id }).from(s.businesses).where(eq(s.businesses.id, input.id));
      if (taken) throw new AppError(409, 'business_exists', `A business with id "${input.id}" already exists.`);
      const [business] = await tx
        .insert(s.businesses)
        .values({
          id: input.id,
          name: input.name,
          portalUrl: input.portalUrl ?? null,
          allowedOrigins: input.allowedOrigins ?? [],
          notificationEmail: input.ownerEmail ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (input.ownerEmail) {
        await tx.insert(s.staff).values({ id: newId('stf'), businessId: input.id, email: input.ownerEmail, role: 'owner', createdAt: now });
      }
      await tx.insert(s.apiKeys).values({ ...input.apiKey, businessId: input.id, name: 'Created with the business', createdAt: now });
      return business!;
    });
  }

  async getBusiness(id: string) {
    const [business] = await this.businessLookup.execute({ id });
    return business;
  }

  updateBusinessSettings(id: string, patch: Partial<BusinessSettings>, now: number) {
    return this.write(async (tx) => {
      const [business] = await tx
        .update(s.businesses)
        .set({ ...patch, updatedAt: now })
        .where(eq(s.businesses.id, id))
        .returning();
      return business;
    });
  }

  addStaff(businessId: string, email: string, role: 'owner' | 'staff', now: number, welcome?: NewOutboxEmail) {
    return this.write(async (tx) => {
      try {
        const [staff] = await tx.insert(s.staff).values({ id: newId('stf'), businessId, email, role, createdAt: now }).returning();
        if (welcome) await tx.insert(s.emailOutbox).values({ ...welcome, nextAttemptAt: now, createdAt: now });
        return staff!;
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError(409, 'staff_exists', `${email} is already staff of this business.`);
        throw error;
      }
    });
  }

  createApiKey(businessId: string, key: { id: string; prefix: string; hash: string; name?: string | undefined }, now: number) {
    return this.write(async (tx) => {
      const [inserted] = await tx
        .insert(s.apiKeys)
        .values({ ...key, name: key.name ?? null, businessId, createdAt: now })
        .returning();
      const { hash: _hash, ...row } = inserted!;
      return row;
    });
  }

  revokeApiKey(prefix: string, now: number) {
    return this.write(async (tx) => {
      const [row] = await tx
        .update(s.apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(s.apiKeys.prefix, prefix), isNull(s.apiKeys.revokedAt)))
        .returning();
      if (!row) return undefined;
      const { hash: _hash, ...key } = row;
      return key;
    });
  }

  // ---- Customers ----

  async listCustomers(businessId: string, query: CustomerQuery) {
    const c = s.customers;
    const conditions: (SQL | undefined)[] = [eq(c.businessId, businessId), afterCursor(query.cursor, c.searchName, c.id, 'asc')];
    if (query.q) {
      const pattern = likePattern(query.q);
      const e = s.customerEmails;
      conditions.push(
        or(
          likeEscaped(c.searchName, pattern),
          likeEscaped(c.phone, pattern),
          eq(c.externalId, query.q),
          exists(this.db.select({ one: sql`1` }).from(e).where(and(eq(e.customerId, c.id), likeEscaped(e.address, pattern)))),
        ),
      );
    }
    const rows = await this.db
      .select()
      .from(c)
      .where(and(...conditions))
      .orderBy(asc(c.searchName), asc(c.id))
      .limit(query.limit + 1);
    const page = toPage(rows, query.limit, (row) => row.searchName);
    return { data: await this.withEmails(this.db, page.data), nextCursor: page.nextCursor };
  }

  async getCustomer(businessId: string, id: string) {
    return this.readCustomer(this.db, businessId, id);
  }

  async getCustomers(businessId: string, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(s.customers)
      .where(and(eq(s.customers.businessId, businessId), inArray(s.customers.id, ids)));
    return this.withEmails(this.db, rows);
  }

  saveCustomer(businessId: string, id: string, fields: CustomerFields, now: number): Promise<Upserted<Customer>> {
    return this.write(async (tx) => {
      const existing = await this.byExternalId(tx, s.customers, businessId, fields.externalId);
      if (existing) return { value: (await this.writeCustomer(tx, businessId, existing.id, fields, now, false))!, created: false };
      return { value: (await this.writeCustomer(tx, businessId, id, fields, now, true))!, created: true };
    });
  }

  updateCustomer(businessId: string, id: string, fields: CustomerFields, now: number) {
    return this.write((tx) => this.writeCustomer(tx, businessId, id, fields, now, false));
  }

  deleteCustomer(businessId: string, id: string) {
    return this.write(async (tx) => {
      const deleted = await tx
        .delete(s.customers)
        .where(and(eq(s.customers.businessId, businessId), eq(s.customers.id, id)))
        .returning({ id: s.customers.id });
      return deleted.length > 0;
    });
  }

  private async writeCustomer(tx: PgTx, businessId: string, id: string, fields: CustomerFields, now: number, insert: boolean): Promise<Customer | undefined> {
    const { emails, ...columns } = fields;
    const values = { ...columns, searchName: fields.name.toLowerCase() };
    if (insert) {
      await this.guardUnique(tx.insert(s.customers).values({ ...values, id, businessId, createdAt: now, updatedAt: now }), 'external_id');
    } else {
      const before = await this.readCustomerRow(tx, businessId, id);
      if (!before) return undefined;
      await this.guardUnique(
        tx.update(s.customers).set({ ...values, updatedAt: now }).where(and(eq(s.customers.businessId, businessId), eq(s.customers.id, id))),
        'external_id',
      );
      await tx.delete(s.customerEmails).where(eq(s.customerEmails.customerId, id));
      if (fields.disabled && !before.disabled) {
        // A disabled customer is signed out everywhere and holds no usable link.
        await tx.delete(s.sessions).where(eq(s.sessions.customerId, id));
        await tx.update(s.linkTokens).set({ usedAt: now }).where(and(eq(s.linkTokens.customerId, id), isNull(s.linkTokens.usedAt)));
      }
    }
    for (const email of emails) {
      await tx
        .insert(s.customerEmails)
        .values({ id: newId('cem'), businessId, customerId: id, address: email.address, isPrimary: email.primary, createdAt: now });
    }
    return this.readCustomer(tx, businessId, id);
  }

  private async readCustomerRow(db: Reader, businessId: string, id: string): Promise<CustomerRow | undefined> {
    const [row] = await db.select().from(s.customers).where(and(eq(s.customers.businessId, businessId), eq(s.customers.id, id)));
    return row;
  }

  /** One customer and their emails, read through `db`: inside a write, its transaction. */
  private async readCustomer(db: Reader, businessId: string, id: string): Promise<Customer | undefined> {
    const row = await this.readCustomerRow(db, businessId, id);
    if (!row) return undefined;
    const [customer] = await this.withEmails(db, [row]);
    return customer;
  }

  private async withEmails(db: Reader, rows: CustomerRow[]): Promise<Customer[]> {
    if (rows.length === 0) return [];
    const e = s.customerEmails;
    const emails = await db
      .select({ customerId: e.customerId, address: e.address, primary: e.isPrimary })
      .from(e)
      .where(inArray(
        e.customerId,
        rows.map((r) => r.id),
      ))
      .orderBy(desc(e.isPrimary), asc(e.createdAt), asc(e.id));
    return rows.map(({ searchName: _searchName, ...row }) => ({
      ...row,
      emails: emails.filter((m) => m.customerId === row.id).map(({ address, primary }) => ({ address, primary })),
    }));
  }

  // ---- Appointments, invoices, estimates ----

  async listAppointments(businessId: string, query: WorkQuery) {
    return this.listWork(s.appointments, s.appointments.startsAt, (row) => row.startsAt, businessId, query);
  }
  async getAppointment(businessId: string, id: string) {
    return this.getWork(s.appointments, businessId, id);
  }
  saveAppointment(businessId: string, id: string, fields: AppointmentFields, now: number, invite?: NewInvitation) {
    return this.write(async (tx) => {
      const saved = await this.saveWorkIn(tx, s.appointments, businessId, id, fields, now);
      if (saved.created && invite && !(await this.hasLiveInvitation(tx, businessId, fields.customerId, now))) {
        await this.insertInvitation(tx, businessId, invite, now);
      }
      return saved;
    });
  }
  updateAppointment(businessId: string, id: string, fields: AppointmentFields, now: number) {
    return this.updateWork(s.appointments, businessId, id, fields, now);
  }
  deleteAppointment(businessId: string, id: string) {
    return this.write(async (tx) => {
      const deleted = await tx.delete(s.appointments).where(this.scoped(s.appointments, businessId, id)).returning({ id: s.appointments.id });
      return deleted.length > 0;
    });
  }

  async listInvoices(businessId: string, query: WorkQuery) {
    return this.listWork(s.invoices, s.invoices.createdAt, (row) => row.createdAt, businessId, query);
  }
  async getInvoice(businessId: string, id: string) {
    return this.getWork(s.invoices, businessId, id);
  }
  saveInvoice(businessId: string, id: string, fields: InvoiceFields, now: number) {
    return this.saveWork(s.invoices, businessId, id, fields, now);
  }
  updateInvoice(businessId: string, id: string, fields: InvoiceFields, now: number) {
    return this.updateWork(s.invoices, businessId, id, fields, now);
  }

  sendInvoice(businessId: string, id: string, link: Parameters<Store['sendInvoice']>[2], email: Parameters<Store['sendInvoice']>[3], now: number) {
    return this.write(async (tx) => {
      const [invoice] = await tx
        .update(s.invoices)
        .set({ status: sql`case when ${s.invoices.status} = 'draft' then 'open' else ${s.invoices.status} end`, sentAt: now, updatedAt: now })
        .where(and(this.scoped(s.invoices, businessId, id), inArray(s.invoices.status, ['draft', 'open'])))
        .returning();
      if (!invoice) return undefined;
      await tx.insert(s.linkTokens).values({ ...link, businessId, customerId: invoice.customerId, createdAt: now });
      await tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now });
      return invoice;
    });
  }

  async listEstimates(businessId: string, query: WorkQuery) {
    return this.listWork(s.estimates, s.estimates.createdAt, (row) => row.createdAt, businessId, query);
  }
  async getEstimate(businessId: string, id: string) {
    return this.getWork(s.estimates, businessId, id);
  }
  saveEstimate(businessId: string, id: string, fields: EstimateFields, now: number) {
    return this.saveWork(s.estimates, businessId, id, fields, now);
  }
  updateEstimate(businessId: string, id: string, fields: EstimateFields, now: number) {
    return this.updateWork(s.estimates, businessId, id, fields, now);
  }
  cancelEstimate(businessId: string, id: string, now: number) {
    return this.write(async (tx) => {
      const [estimate] = await tx
        .update(s.estimates)
        .set({ status: 'canceled', updatedAt: now })
        .where(and(this.scoped(s.estimates, businessId, id), inArray(s.estimates.status, ['open', 'expired', 'canceled'])))
        .returning();
      return estimate;
    });
  }

  private scoped(table: WorkTable, businessId: string, id: string): SQL {
    return and(eq(table.businessId, businessId), eq(table.id, id))!;
  }

  private async getWork<T extends WorkTable>(table: T, businessId: string, id: string): Promise<T['$inferSelect'] | undefined> {
    const [row] = await this.db.select().from(table as WorkTable).where(this.scoped(table, businessId, id));
    return row as T['$inferSelect'] | undefined;
  }

  /** Newest first by the table's sort column. */
  private async listWork<T extends WorkTable>(
    table: T,
    sortColumn: PgColumn,
    sortValue: (row: T['$inferSelect']) => number,
    businessId: string,
    query: WorkQuery,
  ) {
    const rows = (await this.db
      .select()
      .from(table as WorkTable)
      .where(
        and(
          eq(table.businessId, businessId),
          query.customerId ? eq(table.customerId, query.customerId) : undefined,
          afterCursor(query.cursor, sortColumn, table.id, 'desc'),
        ),
      )
      .orderBy(desc(sortColumn), desc(table.id))
      .limit(query.limit + 1)) as T['$inferSelect'][];
    return toPage(rows, query.limit, sortValue);
  }

  private saveWork<T extends WorkTable>(table: T, businessId: string, id: string, fields: object, now: number): Promise<Upserted<T['$inferSelect']>> {
    return this.write((tx) => this.saveWorkIn(tx, table, businessId, id, fields, now));
  }

  private async saveWorkIn<T extends WorkTable>(tx: PgTx, table: T, businessId: string, id: string, fields: object, now: number): Promise<Upserted<T['$inferSelect']>> {
    const externalId = (fields as { externalId?: string | null }).externalId ?? null;
    const existing = await this.byExternalId(tx, table, businessId, externalId);
    if (existing) {
      return { value: (await this.updateWorkIn(tx, table, businessId, existing.id, fields, now))!, created: false };
    }
    const [row] = await this.guardUnique(
      tx.insert(table as WorkTable).values({ ...fields, id, businessId, createdAt: now, updatedAt: now } as never).returning(),
      'number',
    );
    return { value: row as T['$inferSelect'], created: true };
  }

  private updateWork<T extends WorkTable>(table: T, businessId: string, id: string, fields: object, now: number): Promise<T['$inferSelect'] | undefined> {
    return this.write((tx) => this.updateWorkIn(tx, table, businessId, id, fields, now));
  }

  private async updateWorkIn<T extends WorkTable>(tx: PgTx, table: T, businessId: string, id: string, fields: object, now: number): Promise<T['$inferSelect'] | undefined> {
    const [row] = await this.guardUnique(
      tx
        .update(table as WorkTable)
        .set({ ...fields, updatedAt: now } as never)
        .where(this.scoped(table, businessId, id))
        .returning(),
      'number',
    );
    return row as T['$inferSelect'] | undefined;
  }

  private async byExternalId(tx: PgTx, table: WorkTable | typeof s.customers, businessId: string, externalId: string | null) {
    if (externalId === null) return undefined;
    const [row] = await tx
      .select({ id: table.id })
      .from(table as typeof s.customers)
      .where(and(eq(table.businessId, businessId), eq(table.externalId, externalId)));
    return row;
  }

  /**
   * Runs a write, turning a unique-constraint failure into a 409 the caller can act on. The
   * transaction is aborted by the failure either way; the 409 rolls it back like any error.
   */
  private async guardUnique<T>(query: PromiseLike<T>, field: string): Promise<T> {
    try {
      return await query;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // PostgreSQL names the violated index (e.g. `invoices_business_external`) where SQLite names its columns.
      const violated = databaseError(error) as { constraint?: string; message?: string };
      const which = `${violated.constraint ?? ''} ${violated.message ?? ''}`.includes('external') ? 'externalId' : field;
      throw new AppError(409, `duplicate_${which === 'externalId' ? 'external_id' : which}`, `${which}: another record of this business already uses this value.`);
    }
  }

  // ---- Outbox ----

  async listOutbox(businessId: string | null) {
    return this.db
      .select()
      .from(s.emailOutbox)
      .where(businessId === null ? isNull(s.emailOutbox.businessId) : eq(s.emailOutbox.businessId, businessId))
      .orderBy(desc(s.emailOutbox.createdAt), desc(s.emailOutbox.id));
  }

  claimOutboxBatch(now: number, limit: number, lockMs: number) {
    return this.claim(async (tx) => {
      const o = s.emailOutbox;
      const due = await tx
        .select({ id: o.id })
        .from(o)
        .where(and(eq(o.status, 'pending'), lte(o.nextAttemptAt, now), or(isNull(o.lockedUntil), lte(o.lockedUntil, now))))
        .orderBy(asc(o.nextAttemptAt), asc(o.id))
        .limit(limit)
        // Rows another worker is claiming right now are passed over, not waited for; a row another
        // worker claimed since this statement began is re-checked against the claim and left out.
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const claimed = await tx
        .update(o)
        .set({ lockedUntil: now + lockMs, attempts: sql`${o.attempts} + 1` })
        .where(inArray(o.id, due.map((row) => row.id)))
        .returning();
      // In queue order, as SQLite answers: PostgreSQL's RETURNING follows no order.
      const order = new Map(due.map((row, index) => [row.id, index]));
      return claimed.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    });
  }

  /**
   * PostgreSQL keeps an updated row's old version (here: an erased email body with its sign-in
   * link) in the table as a dead tuple until VACUUM removes it, so the outbox is vacuumed now rather
   * than whenever autovacuum gets round to it; VACUUM cannot run inside a transaction, hence not in
   * write(). After it, the table's files no longer hold the erased body (checked after a CHECKPOINT).
   * Unlike SQLite's truncated WAL, PostgreSQL's write-ahead log segments still hold it until they
   * are recycled and overwritten, as do WAL archives, replicas and backups taken meanwhile.
   */
  async purgeErased() {
    await this.db.execute(sql`vacuum email_outbox`);
  }

  markEmailSent(id: string, result: { providerMessageId: string | null; eraseBody: boolean }, now: number) {
    return this.write(async (tx) => {
      await tx
        .update(s.emailOutbox)
        .set({
          status: 'sent',
          sentAt: now,
          lockedUntil: null,
          lastError: null,
          providerMessageId: result.providerMessageId,
          ...(result.eraseBody ? { html: null, text: null } : {}),
        })
        .where(and(eq(s.emailOutbox.id, id), eq(s.emailOutbox.status, 'pending')));
    });
  }

  markEmailFailed(id: string, error: string, retryAt: number | null, _now: number) {
    return this.write(async (tx) => {
      await tx
        .update(s.emailOutbox)
        .set(
          retryAt === null
            ? { status: 'failed', lockedUntil: null, lastError: error.slice(0, 1000) }
            : { nextAttemptAt: retryAt, lockedUntil: null, lastError: error.slice(0, 1000) },
        )
        .where(and(eq(s.emailOutbox.id, id), eq(s.emailOutbox.status, 'pending')));
    });
  }

  saveDevMail(mail: DevMail) {
    return this.write(async (tx) => {
      // The outbox id is the idempotency key here too: a retried send is stored once.
      await tx.insert(s.devMailbox).values(mail).onConflictDoNothing({ target: s.devMailbox.outboxId });
    });
  }

  async listDevMail(limit: number) {
    return this.db.select().from(s.devMailbox).orderBy(desc(s.devMailbox.createdAt), desc(s.devMailbox.id)).limit(limit);
  }

  // ---- Outgoing webhooks (store/pg/webhooks.ts) ----

  createWebhookEndpoint(businessId: string, endpoint: NewWebhookEndpoint, now: number) {
    return this.write((tx) => webhooks.createWebhookEndpoint(tx, businessId, endpoint, now));
  }
  async listWebhookEndpoints(businessId: string) {
    return webhooks.listWebhookEndpoints(this.db, businessId);
  }
  async getWebhookEndpoint(businessId: string, id: string) {
    return webhooks.getWebhookEndpoint(this.db, businessId, id);
  }
  deleteWebhookEndpoint(businessId: string, id: string) {
    return this.write((tx) => webhooks.deleteWebhookEndpoint(tx, businessId, id));
  }
  async listWebhookDeliveries(businessId: string, endpointId: string, page: PageRequest) {
    return webhooks.listWebhookDeliveries(this.db, businessId, endpointId, page);
  }
  claimWebhookBatch(now: number, limit: number, lockMs: number) {
    return this.claim((tx) => webhooks.claimWebhookBatch(tx, now, limit, lockMs));
  }
  markWebhookDelivered(id: string, statusCode: number, now: number) {
    return this.write((tx) => webhooks.markWebhookDelivered(tx, id, statusCode, now));
  }
  markWebhookFailed(id: string, error: string, statusCode: number | null, retryAt: number | null, _now: number) {
    return this.write((tx) => webhooks.markWebhookFailed(tx, id, error, statusCode, retryAt));
  }
  queueTestWebhook(businessId: string, endpointId: string, now: number) {
    return this.write((tx) => webhooks.queueTestWebhook(tx, businessId, endpointId, now));
  }
  pauseWebhookEndpoint(businessId: string, id: string, now: number) {
    return this.write((tx) => webhooks.pauseWebhookEndpoint(tx, businessId, id, now));
  }
  resumeWebhookEndpoint(businessId: string, id: string) {
    return this.write((tx) => webhooks.resumeWebhookEndpoint(tx, businessId, id));
  }

  // ---- Sign-in ----

  async findCustomerByEmail(businessId: string, email: string) {
    const [row] = await this.customerByEmailLookup.execute({ businessId, address: email });
    return row ? this.readCustomer(this.db, businessId, row.customerId) : undefined;
  }

  hitRateLimit(key: string, windowMs: number, limit: number, now: number): Promise<RateLimitResult> {
    return this.write((tx) => this.countHit(tx, { key, windowMs, limit }, now), 'read committed');
  }

  /**
   * A sliding window: each hit is a row stamped with its time (hits in the same millisecond
   * share a row), so "1 per 60 s" holds across any 60 s, not per clock-aligned minute.
   * Concurrent hits on one key queue on a transaction-scoped advisory lock of that key, so each
   * reads the hits committed before it and the limit is never passed. That is why this runs under
   * READ COMMITTED: SERIALIZABLE's page-level read locks made hits on *different* keys conflict and
   * retry, and login links crawled under load (bench/scale.ts).
   */
  private async countHit(tx: PgTx, { key, windowMs, limit }: RateLimitHit, now: number): Promise<RateLimitResult> {
    const r = s.rateLimits;
    await lockKey(tx, `rate:${key}`);
    await tx.delete(r).where(and(eq(r.key, key), lte(r.windowStart, now - windowMs)));
    const [window] = await tx
      .select({
        hits: sql<number>`coalesce(sum(${r.count}), 0)`.mapWith(Number),
        oldest: sql<number | null>`min(${r.windowStart})`.mapWith(Number),
      })
      .from(r)
      .where(eq(r.key, key));
    if (window && window.hits >= limit) return { allowed: false, retryAfterMs: Number(window.oldest) + windowMs - now };
    await tx
      .insert(r)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({ target: [r.key, r.windowStart], set: { count: sql`${r.count} + 1` } });
    return { allowed: true, retryAfterMs: 0 };
  }

  issueLoginLink(businessId: string, limits: RateLimitHit[], issue: LoginLinkToIssue | null, now: number): Promise<LoginLinkOutcome> {
    // The hits and the link commit together: one commit per request instead of one per limit.
    // READ COMMITTED with advisory locks, as countHit explains; the customer's lock makes the
    // superseding of older links and the new link one step, so one live login link remains.
    return this.write(async (tx): Promise<LoginLinkOutcome> => {
      for (const limit of limits) {
        const hit = await this.countHit(tx, limit, now);
        if (!hit.allowed) return { refusedBy: { key: limit.key, retryAfterMs: hit.retryAfterMs }, issued: false };
      }
      if (!issue) return { refusedBy: null, issued: false };
      const { customerId, link, email } = issue;
      const l = s.linkTokens;
      await lockKey(tx, `login-link:${businessId}:${customerId}`);
      await tx
        .update(l)
        .set({ usedAt: now })
        .where(and(eq(l.businessId, businessId), eq(l.customerId, customerId), eq(l.kind, 'login'), isNull(l.usedAt)));
      await tx.insert(l).values({ ...link, businessId, customerId, createdAt: now });
      await tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now });
      return { refusedBy: null, issued: true };
    }, 'read committed');
  }

  exchangeLinkToken(businessId: string, tokenHash: string, session: NewSession, now: number): Promise<ExchangeResult> {
    return this.write(async (tx): Promise<ExchangeResult> => {
      const l = s.linkTokens;
      // Of concurrent exchanges, the first to update the row wins; the others are refused by
      // PostgreSQL (concurrent update), run again, and then find the link used.
      const [consumed] = await tx
        .update(l)
        .set({ usedAt: now })
        .where(and(eq(l.businessId, businessId), eq(l.tokenHash, tokenHash), isNull(l.usedAt), gt(l.expiresAt, now)))
        .returning();
      const link = consumed ?? (await tx.select().from(l).where(and(eq(l.businessId, businessId), eq(l.tokenHash, tokenHash))))[0];
      const customer = link ? await this.readCustomer(tx, businessId, link.customerId) : undefined;
      if (!link || !customer || customer.disabled) {
        // Nothing to sign in to; undo the consumption of a disabled customer's link.
        if (consumed) throw new UnknownLink();
        return { status: 'unknown' };
      }
      if (!consumed) {
        // A newer link still waiting in the customer's inbox is the one to use: sending yet another
        // would supersede it (SECURITY L10) while the customer may be about to open it.
        const [live] = await tx
          .select({ email: l.email })
          .from(l)
          .where(and(eq(l.businessId, businessId), eq(l.customerId, customer.id), eq(l.kind, 'login'), isNull(l.usedAt), gt(l.expiresAt, now)))
          .orderBy(desc(l.createdAt))
          .limit(1);
        return { status: 'dead', customer, email: link.email, landing: link.landing, newerLinkSentTo: live?.email ?? null };
      }
      const [row] = await tx
        .insert(s.sessions)
        .values({ ...session, businessId, customerId: customer.id, createdAt: now, lastSeenAt: now })
        .returning();
      // Sessions go on sign-out; this log of sign-ins stays for the console's overview.
      await tx.insert(s.portalSignIns).values({ id: newId('psi'), businessId, customerId: customer.id, createdAt: now });
      return { status: 'signed_in', session: row!, customer, landing: link.landing };
    }).catch((error: unknown) => {
      if (error instanceof UnknownLink) return { status: 'unknown' } as const;
      throw error;
    });
  }

  async touchSession(businessId: string, tokenHash: string, now: number, idleMs: number, refreshMs: number) {
    const [session] = await this.sessionLookup.execute({ businessId, tokenHash });
    if (!session || session.idleExpiresAt <= now || session.expiresAt <= now) return undefined;
    if (now - session.lastSeenAt < refreshMs) return session;
    const idleExpiresAt = Math.min(now + idleMs, session.expiresAt);
    await this.write((tx) => tx.update(s.sessions).set({ lastSeenAt: now, idleExpiresAt }).where(eq(s.sessions.id, session.id)));
    return { ...session, lastSeenAt: now, idleExpiresAt };
  }

  deleteSession(businessId: string, tokenHash: string) {
    return this.write(async (tx) => {
      const deleted = await tx
        .delete(s.sessions)
        .where(and(eq(s.sessions.businessId, businessId), eq(s.sessions.tokenHash, tokenHash)))
        .returning({ id: s.sessions.id });
      return deleted.length > 0;
    });
  }

  createInvitations(businessId: string, invitations: NewInvitation[], now: number) {
    return this.write(async (tx) => {
      for (const invitation of invitations) await this.insertInvitation(tx, businessId, invitation, now);
    });
  }

  async listInvitations(businessId: string, customerId: string): Promise<InvitationRecord[]> {
    const i = s.invitations;
    const l = s.linkTokens;
    return this.db
      .select({ id: i.id, customerId: i.customerId, email: i.email, source: i.source, createdAt: i.createdAt, expiresAt: l.expiresAt, usedAt: l.usedAt })
      .from(i)
      .leftJoin(l, eq(l.id, i.linkTokenId))
      .where(and(eq(i.businessId, businessId), eq(i.customerId, customerId)))
      .orderBy(desc(i.createdAt), desc(i.id));
  }

  private async hasLiveInvitation(tx: PgTx, businessId: string, customerId: string, now: number): Promise<boolean> {
    const l = s.linkTokens;
    const [live] = await tx
      .select({ id: l.id })
      .from(l)
      .where(and(eq(l.businessId, businessId), eq(l.customerId, customerId), eq(l.kind, 'invitation'), isNull(l.usedAt), gt(l.expiresAt, now)))
      .limit(1);
    return Boolean(live);
  }

  private async insertInvitation(tx: PgTx, businessId: string, invitation: NewInvitation, now: number) {
    const { customerId, link, email } = invitation;
    if (invitation.addEmail) {
      const [hasPrimary] = await tx
        .select({ id: s.customerEmails.id })
        .from(s.customerEmails)
        .where(and(eq(s.customerEmails.customerId, customerId), eq(s.customerEmails.isPrimary, true)))
        .limit(1);
      await tx
        .insert(s.customerEmails)
        .values({ id: newId('cem'), businessId, customerId, address: link.email, isPrimary: !hasPrimary, createdAt: now })
        .onConflictDoNothing();
    }
    await tx.insert(s.linkTokens).values({ ...link, businessId, customerId, createdAt: now });
    await tx
      .insert(s.invitations)
      .values({ id: invitation.id, businessId, customerId, linkTokenId: link.id, email: link.email, source: invitation.source, createdAt: now });
    await tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now });
  }

  // ---- The customer's portal (store/pg/portal.ts) ----

  async customerSummary(businessId: string, customerId: string, now: number) {
    return this.portalReads.summary(businessId, customerId, now);
  }
  async listCustomerAppointments(businessId: string, customerId: string, when: 'upcoming' | 'past', page: PageRequest, now: number) {
    return this.portalReads.appointments(businessId, customerId, when, page, now);
  }
  async listCustomerInvoices(businessId: string, customerId: string, page: PageRequest) {
    return portal.listCustomerInvoices(this.db, businessId, customerId, page);
  }
  async getCustomerInvoice(businessId: string, customerId: string, id: string) {
    return portal.getCustomerInvoice(this.db, businessId, customerId, id);
  }
  async listCustomerEstimates(businessId: string, customerId: string, page: PageRequest, now: number) {
    return portal.listCustomerEstimates(this.db, businessId, customerId, page, now);
  }
  async getCustomerEstimate(businessId: string, customerId: string, id: string) {
    return portal.getCustomerEstimate(this.db, businessId, customerId, id);
  }
  decideEstimate(businessId: string, customerId: string, id: string, decision: EstimateDecision, effects: SideEffects, now: number) {
    return this.write((tx) => portal.decideEstimate(tx, businessId, customerId, id, decision, effects, now));
  }
  createMessage(businessId: string, message: NewMessage, effects: SideEffects, now: number) {
    return this.write((tx) => portal.insertMessage(tx, businessId, message, effects, now));
  }
  addReply(businessId: string, reply: NewReply, effects: SideEffects, now: number) {
    return this.write((tx) => portal.insertReply(tx, businessId, reply, effects, now));
  }
  async listMessages(businessId: string, page: PageRequest, customerId?: string) {
    return portal.listMessages(this.db, businessId, page, customerId);
  }
  async getMessage(businessId: string, id: string) {
    return (await portal.listMessages(this.db, businessId, { limit: 1 }, undefined, id)).data[0];
  }

  // ---- Payments (store/pg/payments.ts) ----

  setStripeCustomerId(businessId: string, customerId: string, stripeCustomerId: string, _now: number) {
    return this.write((tx) => payments.setStripeCustomerId(tx, businessId, customerId, stripeCustomerId));
  }
  async getBusinessByStripeAccount(stripeAccountId: string) {
    return payments.getBusinessByStripeAccount(this.db, stripeAccountId);
  }
  async findCustomerByStripeCustomer(businessId: string | null, stripeCustomerId: string) {
    const found = await payments.findCustomerByStripeCustomer(this.db, businessId, stripeCustomerId);
    return found ? this.readCustomer(this.db, found.businessId, found.id) : undefined;
  }
  recordInvoicePayment(businessId: string, payment: InvoicePayment, effects: { paid: SideEffects; mismatch: SideEffects }, now: number) {
    return this.write((tx) => payments.recordInvoicePayment(tx, businessId, payment, effects, now));
  }
  recordCardChange(businessId: string, change: CardChange, effects: SideEffects, now: number) {
    return this.write((tx) => payments.recordCardChange(tx, businessId, change, effects, now));
  }
  async countCardChanges(businessId: string, customerId: string) {
    return payments.countCardChanges(this.db, businessId, customerId);
  }
  async listSavedCards(businessId: string, customerId: string) {
    return payments.listSavedCards(this.db, businessId, customerId);
  }
  refreshSavedCards(businessId: string, customerId: string, snapshot: CardSnapshot, now: number) {
    return this.write((tx) => payments.refreshSavedCards(tx, businessId, customerId, snapshot, now));
  }

  // ---- The admin console (store/pg/console.ts) ----

  async findStaffByEmail(email: string) {
    return consoleStore.findStaffByEmail(this.db, email);
  }
  issueStaffLink(businessId: string, staffId: string, link: NewStaffLink, email: NewOutboxEmail, now: number) {
    return this.write((tx) => consoleStore.issueStaffLink(tx, businessId, staffId, link, email, now));
  }
  exchangeStaffLink(tokenHash: string, session: NewSession, now: number): Promise<StaffExchangeResult> {
    return this.write((tx) => consoleStore.exchangeStaffLink(tx, tokenHash, session, now)).catch((error: unknown) => {
      if (consoleStore.isNothingToSignInTo(error)) return { status: 'unknown' } as const;
      throw error;
    });
  }
  async touchStaffSession(tokenHash: string, now: number, idleMs: number, refreshMs: number) {
    const found = await consoleStore.findStaffSession(this.db, tokenHash);
    if (!found || found.session.idleExpiresAt <= now || found.session.expiresAt <= now) return undefined;
    if (now - found.session.lastSeenAt < refreshMs) return found;
    const idleExpiresAt = Math.min(now + idleMs, found.session.expiresAt);
    await this.write((tx) => consoleStore.slideStaffSession(tx, found.session.id, now, idleExpiresAt));
    return { ...found, session: { ...found.session, lastSeenAt: now, idleExpiresAt } };
  }
  deleteStaffSession(tokenHash: string) {
    return this.write((tx) => consoleStore.deleteStaffSession(tx, tokenHash));
  }
  async listStaff(businessId: string) {
    return consoleStore.listStaff(this.db, businessId);
  }
  changeStaffRole(businessId: string, staffId: string, role: 'owner' | 'staff') {
    return this.write((tx) => consoleStore.changeStaffRole(tx, businessId, staffId, role));
  }
  removeStaff(businessId: string, staffId: string) {
    return this.write((tx) => consoleStore.removeStaff(tx, businessId, staffId));
  }
  async listApiKeys(businessId: string) {
    return consoleStore.listApiKeys(this.db, businessId);
  }
  revokeBusinessApiKey(businessId: string, prefix: string, now: number) {
    return this.write((tx) => consoleStore.revokeBusinessApiKey(tx, businessId, prefix, now));
  }
  async useApiKey(hash: string, now: number, refreshMs: number) {
    const [key] = await this.apiKeyLookup.execute({ hash });
    if (!key) return undefined;
    if (key.lastUsedAt === null || now - key.lastUsedAt >= refreshMs) await this.write((tx) => consoleStore.markApiKeyUsed(tx, key.id, now));
    return key.businessId;
  }
  async overview(businessId: string, query: OverviewQuery) {
    return consoleStore.overview(this.db, businessId, query);
  }
  createBulkJob(businessId: string, id: string, customerIds: string[], now: number) {
    return this.write((tx) => consoleStore.createBulkJob(tx, businessId, id, customerIds, now));
  }
  async getBulkJob(businessId: string, id: string) {
    return consoleStore.getBulkJob(this.db, businessId, id);
  }
  claimBulkJob(now: number, lockMs: number) {
    return this.claim((tx) => consoleStore.claimBulkJob(tx, now, lockMs));
  }
  recordBulkChunk(jobId: string, chunk: BulkChunk, lockedUntil: number, now: number) {
    return this.write(async (tx) => {
      const j = s.bulkInvitationJobs;
      const [job] = await tx.select({ businessId: j.businessId }).from(j).where(eq(j.id, jobId));
      if (!job || !(await consoleStore.advanceBulkJob(tx, jobId, chunk, lockedUntil, now))) return false;
      for (const invitation of chunk.invitations) await this.insertInvitation(tx, job.businessId, invitation, now);
      return true;
    });
  }
  failBulkJob(jobId: string, error: string, now: number) {
    return this.write((tx) => consoleStore.failBulkJob(tx, jobId, error, now));
  }

  /** PostgreSQL is backed up with its own tools, which copy a consistent snapshot of a live database. */
  /** Each write commits before its promise resolves, and reads see only committed data. */
  async settled(): Promise<void> {}

  async backup(_file: string): Promise<void> {
    throw new AppError(
      400,
      'backup_unsupported',
      'Online backup to a file is for SQLite. Back up PostgreSQL with pg_dump, e.g. `pg_dump --format=custom --file=doorstep.dump "$DATABASE_URL"`.',
    );
  }

  private closing: Promise<void> | undefined;

  /** Ends the pool: waits for queries in flight, then closes every connection. Closing twice is harmless, as with SQLite. */
  close(): Promise<void> {
    this.closing ??= this.db.$client.end();
    return this.closing;
  }
}

/**
 * PostgreSQL text cannot hold U+0000, which SQLite stores like any other character: PostgreSQL
 * refuses a value carrying one (a path id or a name sent with a NUL) with 22021, or 22P05 inside
 * jsonb. Every method of the store answers that as a 400 rather than an internal error.
 */
const NUL_REFUSED = new Set(['22021', '22P05']);

function refuseNul(error: unknown): never {
  const code = sqlState(error);
  if (code && NUL_REFUSED.has(code)) throw new AppError(400, 'invalid_text', 'Text must not contain the NUL character (U+0000).');
  throw error;
}

for (const name of Object.getOwnPropertyNames(PgStore.prototype)) {
  const descriptor = Object.getOwnPropertyDescriptor(PgStore.prototype, name);
  if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
  const method = descriptor.value as (...args: unknown[]) => unknown;
  Object.defineProperty(PgStore.prototype, name, {
    ...descriptor,
    value(this: PgStore, ...args: unknown[]) {
      const result = method.apply(this, args);
      return result instanceof Promise ? result.catch(refuseNul) : result;
    },
  });
}
