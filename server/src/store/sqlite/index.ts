// The SQLite store: better-sqlite3 through drizzle. Every write is one synchronous transaction,
// committed with the others of the same turn of the event loop (group-commit.ts): a resolved
// promise means the change is committed.
import { and, asc, desc, eq, exists, getTableColumns, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { openDatabase, type Db } from '../../db/client';
import * as s from '../../db/schema';
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
import { compileSelect } from './compiled';
import { GroupCommit } from './group-commit';
import { LIMIT_ONE } from './limit';
import * as payments from './payments';
import * as consoleStore from './console';
import * as portal from './portal';
import type { Tx } from './tx';
import * as webhooks from './webhooks';

/** Thrown inside a transaction to roll it back when a consumed link turns out to be unusable. */
class UnknownLink extends Error {}


/** Tables of work done for a customer: scoped by business, synced by external id. */
type WorkTable = typeof s.appointments | typeof s.invoices | typeof s.estimates;

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const likeEscaped = (column: SQLiteColumn, pattern: string): SQL => sql`${column} like ${pattern} escape '\\'`;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class SqliteStore implements Store {
  private readonly apiKeyLookup;
  private readonly sessionLookup;
  private readonly customerByEmailLookup;
  // Hot queries compiled once: building and preparing SQL per request cost more than running it.
  private readonly businessLookup;
  private readonly customerLookup;
  private readonly customerEmailsLookup;
  private readonly rateLimit;
  private readonly portalReads;
  private readonly commits;

  constructor(readonly db: Db) {
    // The hot path of every admin request.
    this.apiKeyLookup = db
      .select({ id: s.apiKeys.id, businessId: s.apiKeys.businessId, lastUsedAt: s.apiKeys.lastUsedAt })
      .from(s.apiKeys)
      .where(and(eq(s.apiKeys.hash, sql.placeholder('hash')), isNull(s.apiKeys.revokedAt)))
      .prepare();
    this.sessionLookup = compileSelect(db, getTableColumns(s.sessions), (f) =>
      db
        .select(f)
        .from(s.sessions)
        .where(and(eq(s.sessions.businessId, sql.placeholder('businessId')), eq(s.sessions.tokenHash, sql.placeholder('tokenHash')))),
    );
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
      .limit(LIMIT_ONE)
      .prepare();
    this.businessLookup = compileSelect(db, getTableColumns(s.businesses), (f) => db.select(f).from(s.businesses).where(eq(s.businesses.id, sql.placeholder('id'))));
    this.customerLookup = db
      .select()
      .from(s.customers)
      .where(and(eq(s.customers.businessId, sql.placeholder('businessId')), eq(s.customers.id, sql.placeholder('id'))))
      .prepare();
    const e = s.customerEmails;
    this.customerEmailsLookup = db
      .select({ address: e.address, primary: e.isPrimary })
      .from(e)
      .where(eq(e.customerId, sql.placeholder('customerId')))
      .orderBy(desc(e.isPrimary), asc(e.createdAt), asc(e.id))
      .prepare();
    const r = s.rateLimits;
    this.rateLimit = {
      prune: db.delete(r).where(and(eq(r.key, sql.placeholder('key')), lte(r.windowStart, sql.placeholder('since')))).prepare(),
      window: db
        .select({ hits: sql<number>`coalesce(sum(${r.count}), 0)`, oldest: sql<number | null>`min(${r.windowStart})` })
        .from(r)
        .where(eq(r.key, sql.placeholder('key')))
        .prepare(),
      hit: db
        .insert(r)
        .values({ key: sql.placeholder('key'), windowStart: sql.placeholder('now'), count: 1 })
        .onConflictDoUpdate({ target: [r.key, r.windowStart], set: { count: sql`${r.count} + 1` } })
        .prepare(),
    };
    this.portalReads = portal.preparePortalReads(db);
    this.commits = new GroupCommit(db.$client);
  }

  static open(path: string): SqliteStore {
    return new SqliteStore(openDatabase(path));
  }

  private write<T>(fn: (tx: Tx) => T): Promise<T> {
    return this.commits.run(() => this.db.transaction(fn, { behavior: 'immediate' }));
  }

  settled() {
    return this.commits.settled();
  }

  // ---- Businesses, staff, keys ----

  createBusiness(input: NewBusiness, now: number) {
    return this.write((tx) => {
      if (tx.select({ id: s.businesses.id }).from(s.businesses).where(eq(s.businesses.id, input.id)).get()) {
        throw new AppError(409, 'business_exists', `A business with id "${input.id}" already exists.`);
      }
      const business = tx
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
        .returning()
        .get();
      if (input.ownerEmail) {
        tx.insert(s.staff)
          .values({ id: newId('stf'), businessId: input.id, email: input.ownerEmail, role: 'owner', createdAt: now })
          .run();
      }
      tx.insert(s.apiKeys).values({ ...input.apiKey, businessId: input.id, name: 'Created with the business', createdAt: now }).run();
      return business;
    });
  }

  async getBusiness(id: string) {
    return this.businessLookup.get({ id });
  }

  updateBusinessSettings(id: string, patch: Partial<BusinessSettings>, now: number) {
    return this.write((tx) =>
      tx
        .update(s.businesses)
        .set({ ...patch, updatedAt: now })
        .where(eq(s.businesses.id, id))
        .returning()
        .get(),
    );
  }

  addStaff(businessId: string, email: string, role: 'owner' | 'staff', now: number, welcome?: NewOutboxEmail) {
    return this.write((tx) => {
      try {
        const staff = tx.insert(s.staff).values({ id: newId('stf'), businessId, email, role, createdAt: now }).returning().get();
        if (welcome) tx.insert(s.emailOutbox).values({ ...welcome, nextAttemptAt: now, createdAt: now }).run();
        return staff;
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError(409, 'staff_exists', `${email} is already staff of this business.`);
        throw error;
      }
    });
  }

  createApiKey(businessId: string, key: { id: string; prefix: string; hash: string; name?: string | undefined }, now: number) {
    return this.write((tx) => {
      const { hash: _hash, ...row } = tx
        .insert(s.apiKeys)
        .values({ ...key, name: key.name ?? null, businessId, createdAt: now })
        .returning()
        .get();
      return row;
    });
  }

  revokeApiKey(prefix: string, now: number) {
    return this.write((tx) => {
      const row = tx
        .update(s.apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(s.apiKeys.prefix, prefix), isNull(s.apiKeys.revokedAt)))
        .returning()
        .get();
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
    const rows = this.db
      .select()
      .from(c)
      .where(and(...conditions))
      .orderBy(asc(c.searchName), asc(c.id))
      .limit(query.limit + 1)
      .all();
    const page = toPage(rows, query.limit, (row) => row.searchName);
    return { data: this.withEmails(this.db, page.data), nextCursor: page.nextCursor };
  }

  async getCustomer(businessId: string, id: string) {
    return this.readCustomer(this.db, businessId, id);
  }

  async getCustomers(businessId: string, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = this.db
      .select()
      .from(s.customers)
      .where(and(eq(s.customers.businessId, businessId), inArray(s.customers.id, ids)))
      .all();
    return this.withEmails(this.db, rows);
  }

  saveCustomer(businessId: string, id: string, fields: CustomerFields, now: number): Promise<Upserted<Customer>> {
    return this.write((tx) => {
      const existing = this.byExternalId(tx, s.customers, businessId, fields.externalId);
      if (existing) return { value: this.writeCustomer(tx, businessId, existing.id, fields, now, false)!, created: false };
      return { value: this.writeCustomer(tx, businessId, id, fields, now, true)!, created: true };
    });
  }

  updateCustomer(businessId: string, id: string, fields: CustomerFields, now: number) {
    return this.write((tx) => this.writeCustomer(tx, businessId, id, fields, now, false));
  }

  deleteCustomer(businessId: string, id: string) {
    return this.write((tx) => tx.delete(s.customers).where(and(eq(s.customers.businessId, businessId), eq(s.customers.id, id))).run().changes > 0);
  }

  private writeCustomer(tx: Tx, businessId: string, id: string, fields: CustomerFields, now: number, insert: boolean): Customer | undefined {
    const { emails, ...columns } = fields;
    const values = { ...columns, searchName: fields.name.toLowerCase() };
    if (insert) {
      this.guardUnique(() => tx.insert(s.customers).values({ ...values, id, businessId, createdAt: now, updatedAt: now }).run(), 'external_id');
    } else {
      const before = this.readCustomerRow(tx, businessId, id);
      if (!before) return undefined;
      this.guardUnique(
        () => tx.update(s.customers).set({ ...values, updatedAt: now }).where(and(eq(s.customers.businessId, businessId), eq(s.customers.id, id))).run(),
        'external_id',
      );
      tx.delete(s.customerEmails).where(eq(s.customerEmails.customerId, id)).run();
      if (fields.disabled && !before.disabled) {
        // A disabled customer is signed out everywhere and holds no usable link.
        tx.delete(s.sessions).where(eq(s.sessions.customerId, id)).run();
        tx.update(s.linkTokens).set({ usedAt: now }).where(and(eq(s.linkTokens.customerId, id), isNull(s.linkTokens.usedAt))).run();
      }
    }
    for (const email of emails) {
      tx.insert(s.customerEmails)
        .values({ id: newId('cem'), businessId, customerId: id, address: email.address, isPrimary: email.primary, createdAt: now })
        .run();
    }
    return this.readCustomer(tx, businessId, id);
  }

  private readCustomerRow(db: Db | Tx, businessId: string, id: string): CustomerRow | undefined {
    return db.select().from(s.customers).where(and(eq(s.customers.businessId, businessId), eq(s.customers.id, id))).get();
  }

  /** One customer and their emails; inside a write the prepared statements run in its transaction (one connection). */
  private readCustomer(_db: Db | Tx, businessId: string, id: string): Customer | undefined {
    const row = this.customerLookup.get({ businessId, id });
    if (!row) return undefined;
    const { searchName: _searchName, ...customer } = row;
    return { ...customer, emails: this.customerEmailsLookup.all({ customerId: id }) };
  }

  private withEmails(db: Db | Tx, rows: CustomerRow[]): Customer[] {
    if (rows.length === 0) return [];
    const e = s.customerEmails;
    const emails = db
      .select({ customerId: e.customerId, address: e.address, primary: e.isPrimary })
      .from(e)
      .where(inArray(
        e.customerId,
        rows.map((r) => r.id),
      ))
      .orderBy(desc(e.isPrimary), asc(e.createdAt), asc(e.id))
      .all();
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
    return this.write((tx) => {
      const saved = this.saveWorkIn(tx, s.appointments, businessId, id, fields, now);
      if (saved.created && invite && !this.hasLiveInvitation(tx, businessId, fields.customerId, now)) {
        this.insertInvitation(tx, businessId, invite, now);
      }
      return saved;
    });
  }
  updateAppointment(businessId: string, id: string, fields: AppointmentFields, now: number) {
    return this.updateWork(s.appointments, businessId, id, fields, now);
  }
  deleteAppointment(businessId: string, id: string) {
    return this.write((tx) => tx.delete(s.appointments).where(this.scoped(s.appointments, businessId, id)).run().changes > 0);
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
    return this.write((tx) => {
      const invoice = tx
        .update(s.invoices)
        .set({ status: sql`case when ${s.invoices.status} = 'draft' then 'open' else ${s.invoices.status} end`, sentAt: now, updatedAt: now })
        .where(and(this.scoped(s.invoices, businessId, id), inArray(s.invoices.status, ['draft', 'open'])))
        .returning()
        .get();
      if (!invoice) return undefined;
      tx.insert(s.linkTokens).values({ ...link, businessId, customerId: invoice.customerId, createdAt: now }).run();
      tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now }).run();
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
    return this.write((tx) =>
      tx
        .update(s.estimates)
        .set({ status: 'canceled', updatedAt: now })
        .where(and(this.scoped(s.estimates, businessId, id), inArray(s.estimates.status, ['open', 'expired', 'canceled'])))
        .returning()
        .get(),
    );
  }

  private scoped(table: WorkTable, businessId: string, id: string): SQL {
    return and(eq(table.businessId, businessId), eq(table.id, id))!;
  }

  private getWork<T extends WorkTable>(table: T, businessId: string, id: string): T['$inferSelect'] | undefined {
    return this.db.select().from(table as WorkTable).where(this.scoped(table, businessId, id)).get() as T['$inferSelect'] | undefined;
  }

  /** Newest first by the table's sort column. */
  private listWork<T extends WorkTable>(
    table: T,
    sortColumn: SQLiteColumn,
    sortValue: (row: T['$inferSelect']) => number,
    businessId: string,
    query: WorkQuery,
  ) {
    const rows = this.db
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
      .limit(query.limit + 1)
      .all() as T['$inferSelect'][];
    return toPage(rows, query.limit, sortValue);
  }

  private saveWork<T extends WorkTable>(table: T, businessId: string, id: string, fields: object, now: number): Promise<Upserted<T['$inferSelect']>> {
    return this.write((tx) => this.saveWorkIn(tx, table, businessId, id, fields, now));
  }

  private saveWorkIn<T extends WorkTable>(tx: Tx, table: T, businessId: string, id: string, fields: object, now: number): Upserted<T['$inferSelect']> {
    {
      const externalId = (fields as { externalId?: string | null }).externalId ?? null;
      const existing = this.byExternalId(tx, table, businessId, externalId);
      if (existing) {
        return { value: this.updateWorkIn(tx, table, businessId, existing.id, fields, now)!, created: false };
      }
      const row = this.guardUnique(
        () => tx.insert(table as WorkTable).values({ ...fields, id, businessId, createdAt: now, updatedAt: now } as never).returning().get(),
        'number',
      );
      return { value: row as T['$inferSelect'], created: true };
    }
  }

  private updateWork<T extends WorkTable>(table: T, businessId: string, id: string, fields: object, now: number): Promise<T['$inferSelect'] | undefined> {
    return this.write((tx) => this.updateWorkIn(tx, table, businessId, id, fields, now));
  }

  private updateWorkIn<T extends WorkTable>(tx: Tx, table: T, businessId: string, id: string, fields: object, now: number): T['$inferSelect'] | undefined {
    return this.guardUnique(
      () =>
        tx
          .update(table as WorkTable)
          .set({ ...fields, updatedAt: now } as never)
          .where(this.scoped(table, businessId, id))
          .returning()
          .get() as T['$inferSelect'] | undefined,
      'number',
    );
  }

  private byExternalId(tx: Tx, table: WorkTable | typeof s.customers, businessId: string, externalId: string | null) {
    if (externalId === null) return undefined;
    return tx
      .select({ id: table.id })
      .from(table as typeof s.customers)
      .where(and(eq(table.businessId, businessId), eq(table.externalId, externalId)))
      .get();
  }

  /** Runs a write, turning a unique-constraint failure into a 409 the caller can act on. */
  private guardUnique<T>(fn: () => T, field: string): T {
    try {
      return fn();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const message = String((error as Error).message);
      const which = message.includes('external_id') ? 'externalId' : field;
      throw new AppError(409, `duplicate_${which === 'externalId' ? 'external_id' : which}`, `${which}: another record of this business already uses this value.`);
    }
  }

  // ---- Outbox ----

  async listOutbox(businessId: string | null) {
    return this.db
      .select()
      .from(s.emailOutbox)
      .where(businessId === null ? isNull(s.emailOutbox.businessId) : eq(s.emailOutbox.businessId, businessId))
      .orderBy(desc(s.emailOutbox.createdAt), desc(s.emailOutbox.id))
      .all();
  }

  claimOutboxBatch(now: number, limit: number, lockMs: number) {
    return this.write((tx) => {
      const o = s.emailOutbox;
      const due = tx
        .select({ id: o.id })
        .from(o)
        .where(and(eq(o.status, 'pending'), lte(o.nextAttemptAt, now), or(isNull(o.lockedUntil), lte(o.lockedUntil, now))))
        .orderBy(asc(o.nextAttemptAt), asc(o.id))
        .limit(limit)
        .all();
      if (due.length === 0) return [];
      return tx
        .update(o)
        .set({ lockedUntil: now + lockMs, attempts: sql`${o.attempts} + 1` })
        .where(inArray(o.id, due.map((row) => row.id)))
        .returning()
        .all();
    });
  }

  async purgeErased() {
    await this.commits.outsideTransactions(() => this.db.$client.pragma('wal_checkpoint(TRUNCATE)'));
  }

  markEmailSent(id: string, result: { providerMessageId: string | null; eraseBody: boolean }, now: number) {
    return this.write((tx) => {
      tx.update(s.emailOutbox)
        .set({
          status: 'sent',
          sentAt: now,
          lockedUntil: null,
          lastError: null,
          providerMessageId: result.providerMessageId,
          ...(result.eraseBody ? { html: null, text: null } : {}),
        })
        .where(and(eq(s.emailOutbox.id, id), eq(s.emailOutbox.status, 'pending')))
        .run();
    });
  }

  markEmailFailed(id: string, error: string, retryAt: number | null, _now: number) {
    return this.write((tx) => {
      tx.update(s.emailOutbox)
        .set(
          retryAt === null
            ? { status: 'failed', lockedUntil: null, lastError: error.slice(0, 1000) }
            : { nextAttemptAt: retryAt, lockedUntil: null, lastError: error.slice(0, 1000) },
        )
        .where(and(eq(s.emailOutbox.id, id), eq(s.emailOutbox.status, 'pending')))
        .run();
    });
  }

  saveDevMail(mail: DevMail) {
    return this.write((tx) => {
      // The outbox id is the idempotency key here too: a retried send is stored once.
      if (tx.select({ id: s.devMailbox.id }).from(s.devMailbox).where(eq(s.devMailbox.outboxId, mail.outboxId)).get()) return;
      tx.insert(s.devMailbox).values(mail).run();
    });
  }

  async listDevMail(limit: number) {
    return this.db.select().from(s.devMailbox).orderBy(desc(s.devMailbox.createdAt), desc(s.devMailbox.id)).limit(limit).all();
  }

  // ---- Outgoing webhooks (store/sqlite/webhooks.ts) ----

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
    return this.write((tx) => webhooks.claimWebhookBatch(tx, now, limit, lockMs));
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
    const row = this.customerByEmailLookup.get({ businessId, address: email });
    return row ? this.readCustomer(this.db, businessId, row.customerId) : undefined;
  }

  hitRateLimit(key: string, windowMs: number, limit: number, now: number): Promise<RateLimitResult> {
    return this.write(() => this.countHit({ key, windowMs, limit }, now));
  }

  /**
   * A sliding window: each hit is a row stamped with its time (hits in the same millisecond
   * share a row), so "1 per 60 s" holds across any 60 s, not per clock-aligned minute.
   * Call inside a write: the prepared statements run in its transaction (one connection).
   */
  private countHit({ key, windowMs, limit }: RateLimitHit, now: number): RateLimitResult {
    this.rateLimit.prune.run({ key, since: now - windowMs });
    const window = this.rateLimit.window.get({ key });
    if (window && Number(window.hits) >= limit) return { allowed: false, retryAfterMs: Number(window.oldest) + windowMs - now };
    this.rateLimit.hit.run({ key, now });
    return { allowed: true, retryAfterMs: 0 };
  }

  issueLoginLink(businessId: string, limits: RateLimitHit[], issue: LoginLinkToIssue | null, now: number): Promise<LoginLinkOutcome> {
    // The hits and the link commit together: one fsync per request instead of one per limit.
    return this.write((tx): LoginLinkOutcome => {
      for (const limit of limits) {
        const hit = this.countHit(limit, now);
        if (!hit.allowed) return { refusedBy: { key: limit.key, retryAfterMs: hit.retryAfterMs }, issued: false };
      }
      if (!issue) return { refusedBy: null, issued: false };
      const { customerId, link, email } = issue;
      const l = s.linkTokens;
      tx.update(l)
        .set({ usedAt: now })
        .where(and(eq(l.businessId, businessId), eq(l.customerId, customerId), eq(l.kind, 'login'), isNull(l.usedAt)))
        .run();
      tx.insert(l).values({ ...link, businessId, customerId, createdAt: now }).run();
      tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now }).run();
      return { refusedBy: null, issued: true };
    });
  }

  exchangeLinkToken(businessId: string, tokenHash: string, session: NewSession, now: number): Promise<ExchangeResult> {
    return this.write((tx): ExchangeResult => {
      const l = s.linkTokens;
      const consumed = tx
        .update(l)
        .set({ usedAt: now })
        .where(and(eq(l.businessId, businessId), eq(l.tokenHash, tokenHash), isNull(l.usedAt), gt(l.expiresAt, now)))
        .returning()
        .get();
      const link = consumed ?? tx.select().from(l).where(and(eq(l.businessId, businessId), eq(l.tokenHash, tokenHash))).get();
      const customer = link ? this.readCustomer(tx, businessId, link.customerId) : undefined;
      if (!link || !customer || customer.disabled) {
        // Nothing to sign in to; undo the consumption of a disabled customer's link.
        if (consumed) throw new UnknownLink();
        return { status: 'unknown' };
      }
      if (!consumed) {
        // A newer link still waiting in the customer's inbox is the one to use: sending yet another
        // would supersede it (SECURITY L10) while the customer may be about to open it.
        const live = tx
          .select({ email: l.email })
          .from(l)
          .where(and(eq(l.businessId, businessId), eq(l.customerId, customer.id), eq(l.kind, 'login'), isNull(l.usedAt), gt(l.expiresAt, now)))
          .orderBy(desc(l.createdAt))
          .get();
        return { status: 'dead', customer, email: link.email, landing: link.landing, newerLinkSentTo: live?.email ?? null };
      }
      const row = tx
        .insert(s.sessions)
        .values({ ...session, businessId, customerId: customer.id, createdAt: now, lastSeenAt: now })
        .returning()
        .get();
      // Sessions go on sign-out; this log of sign-ins stays for the console's overview.
      tx.insert(s.portalSignIns).values({ id: newId('psi'), businessId, customerId: customer.id, createdAt: now }).run();
      return { status: 'signed_in', session: row, customer, landing: link.landing };
    }).catch((error: unknown) => {
      if (error instanceof UnknownLink) return { status: 'unknown' } as const;
      throw error;
    });
  }

  async touchSession(businessId: string, tokenHash: string, now: number, idleMs: number, refreshMs: number) {
    const session = this.sessionLookup.get({ businessId, tokenHash });
    if (!session || session.idleExpiresAt <= now || session.expiresAt <= now) return undefined;
    if (now - session.lastSeenAt < refreshMs) return session;
    const idleExpiresAt = Math.min(now + idleMs, session.expiresAt);
    await this.write((tx) =>
      tx.update(s.sessions).set({ lastSeenAt: now, idleExpiresAt }).where(eq(s.sessions.id, session.id)).run(),
    );
    return { ...session, lastSeenAt: now, idleExpiresAt };
  }

  deleteSession(businessId: string, tokenHash: string) {
    return this.write(
      (tx) => tx.delete(s.sessions).where(and(eq(s.sessions.businessId, businessId), eq(s.sessions.tokenHash, tokenHash))).run().changes > 0,
    );
  }

  createInvitations(businessId: string, invitations: NewInvitation[], now: number) {
    return this.write((tx) => {
      for (const invitation of invitations) this.insertInvitation(tx, businessId, invitation, now);
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
      .orderBy(desc(i.createdAt), desc(i.id))
      .all();
  }

  private hasLiveInvitation(tx: Tx, businessId: string, customerId: string, now: number): boolean {
    const l = s.linkTokens;
    return Boolean(
      tx
        .select({ id: l.id })
        .from(l)
        .where(and(eq(l.businessId, businessId), eq(l.customerId, customerId), eq(l.kind, 'invitation'), isNull(l.usedAt), gt(l.expiresAt, now)))
        .get(),
    );
  }

  private insertInvitation(tx: Tx, businessId: string, invitation: NewInvitation, now: number) {
    const { customerId, link, email } = invitation;
    if (invitation.addEmail) {
      const hasPrimary = tx
        .select({ id: s.customerEmails.id })
        .from(s.customerEmails)
        .where(and(eq(s.customerEmails.customerId, customerId), eq(s.customerEmails.isPrimary, true)))
        .get();
      tx.insert(s.customerEmails)
        .values({ id: newId('cem'), businessId, customerId, address: link.email, isPrimary: !hasPrimary, createdAt: now })
        .onConflictDoNothing()
        .run();
    }
    tx.insert(s.linkTokens).values({ ...link, businessId, customerId, createdAt: now }).run();
    tx.insert(s.invitations)
      .values({ id: invitation.id, businessId, customerId, linkTokenId: link.id, email: link.email, source: invitation.source, createdAt: now })
      .run();
    tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now }).run();
  }

  // ---- The customer's portal ----

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
    return portal.listMessages(this.db, businessId, { limit: 1 }, undefined, id).data[0];
  }

  // ---- Payments (store/sqlite/payments.ts) ----

  setStripeCustomerId(businessId: string, customerId: string, stripeCustomerId: string, _now: number) {
    return this.write((tx) => payments.setStripeCustomerId(tx, businessId, customerId, stripeCustomerId));
  }
  async getBusinessByStripeAccount(stripeAccountId: string) {
    return payments.getBusinessByStripeAccount(this.db, stripeAccountId);
  }
  async findCustomerByStripeCustomer(businessId: string | null, stripeCustomerId: string) {
    const found = payments.findCustomerByStripeCustomer(this.db, businessId, stripeCustomerId);
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

  // ---- The admin console (store/sqlite/console.ts) ----

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
    const found = consoleStore.findStaffSession(this.db, tokenHash);
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
    const key = this.apiKeyLookup.get({ hash });
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
    return this.write((tx) => consoleStore.claimBulkJob(tx, now, lockMs));
  }
  recordBulkChunk(jobId: string, chunk: BulkChunk, lockedUntil: number, now: number) {
    return this.write((tx) => {
      const businessId = tx.select({ businessId: s.bulkInvitationJobs.businessId }).from(s.bulkInvitationJobs).where(eq(s.bulkInvitationJobs.id, jobId)).get()?.businessId;
      if (!businessId || !consoleStore.advanceBulkJob(tx, jobId, chunk, lockedUntil, now)) return false;
      for (const invitation of chunk.invitations) this.insertInvitation(tx, businessId, invitation, now);
      return true;
    });
  }
  failBulkJob(jobId: string, error: string, now: number) {
    return this.write((tx) => consoleStore.failBulkJob(tx, jobId, error, now));
  }

  async backup(file: string) {
    // Copied page by page over several turns of the event loop: no group may hold uncommitted pages meanwhile.
    await this.commits.outsideTransactions(() => this.db.$client.backup(file));
  }

  close() {
    this.commits.flush();
    this.db.$client.close();
  }
}
