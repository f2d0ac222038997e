// What a signed-in customer reads and does, in the SQLite store. Every query is scoped by business
// and customer; canceled estimates, draft and void invoices are never returned.
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import * as s from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { CustomerAppointment, CustomerSummary, Estimate, EstimateDecision, Invoice, MessageThread, NewMessage, NewReply, Page, PageRequest, SideEffects } from '../types';
import { customerAppointmentColumns } from '../columns';
import { afterCursor, decodeCursor, toPage } from '../paging';
import { compileSelect } from './compiled';
import { LIMIT_ONE } from './limit';
import type { Tx } from './tx';
import { insertWebhookEvents } from './webhooks';
import type { Db } from '../../db/client';

type Reader = Db | Tx;

/** Where an appointment stops being upcoming: its end, else the end of its arrival window, else its start. */
const appointmentEnd = sql<number>`coalesce(${s.appointments.endsAt}, ${s.appointments.startsAt} + coalesce(${s.appointments.arrivalWindowMinutes}, 0) * 60000)`;

function upcoming(now: number | Placeholder): SQL {
  return and(sql`${appointmentEnd} >= ${now}`, ne(s.appointments.status, 'completed'))!;
}

type CustomerOwned = typeof s.appointments | typeof s.invoices | typeof s.estimates;

const mine = (table: CustomerOwned, businessId: string, customerId: string) =>
  and(eq(table.businessId, businessId), eq(table.customerId, customerId));

/** Invoices a customer can see: sent (open) or paid. */
const visibleInvoice = inArray(s.invoices.status, ['open', 'paid']);

function summaryOf(
  totals: { currency: string; count: number; amount: number }[],
  open: { count: number } | undefined,
  next: CustomerAppointment | undefined,
): CustomerSummary {
  return {
    unpaidInvoices: {
      count: totals.reduce((n, t) => n + Number(t.count), 0),
      totals: totals.map((t) => ({ currency: t.currency, amount: Number(t.amount) })),
    },
    openEstimates: Number(open?.count ?? 0),
    nextAppointment: next ?? null,
  };
}

/**
 * The summary badges and the appointment list, compiled once per connection (compiled.ts): building
 * and preparing these queries on every request cost several times more than running them, and
 * drizzle's row mapping more than the query on the list (bench/api.ts).
 */
export function preparePortalReads(db: Db) {
  const p = {
    businessId: sql.placeholder('businessId'),
    customerId: sql.placeholder('customerId'),
    now: sql.placeholder('now'),
    limit: sql.placeholder('limit'),
    afterSort: sql.placeholder('afterSort'),
    afterId: sql.placeholder('afterId'),
  };
  const mineP = (table: CustomerOwned) => and(eq(table.businessId, p.businessId), eq(table.customerId, p.customerId));
  const i = s.invoices;
  const e = s.estimates;
  const a = s.appointments;
  const shown = customerAppointmentColumns(a);
  const totals = compileSelect(db, { currency: i.currency, count: sql<number>`count(*)`, amount: sql<number>`sum(${i.total} - ${i.amountPaid})` }, (f) =>
    db
      .select(f)
      .from(i)
      .where(and(mineP(i), eq(i.status, 'open'), gt(sql`${i.total} - ${i.amountPaid}`, 0)))
      .groupBy(i.currency),
  );
  const open = compileSelect(db, { count: sql<number>`count(*)` }, (f) =>
    db
      .select(f)
      .from(e)
      .where(and(mineP(e), eq(e.status, 'open'), or(isNull(e.expiresAt), gt(e.expiresAt, p.now)))),
  );
  const next = compileSelect(db, shown, (f) =>
    db
      .select(f)
      .from(a)
      .where(and(mineP(a), upcoming(p.now), ne(a.status, 'canceled')))
      .orderBy(asc(a.startsAt), asc(a.id))
      .limit(LIMIT_ONE),
  );
  /** Upcoming soonest first, past most recent first; the cursor condition (paging.ts afterCursor) with placeholders. */
  const list = (when: 'upcoming' | 'past', withCursor: boolean) => {
    const [order, beyond] = when === 'upcoming' ? [asc, gt] : [desc, lt];
    return compileSelect(db, shown, (f) =>
      db
        .select(f)
        .from(a)
        .where(
          and(
            mineP(a),
            when === 'upcoming' ? upcoming(p.now) : sql`not (${upcoming(p.now)})`,
            withCursor ? or(beyond(a.startsAt, p.afterSort), and(eq(a.startsAt, p.afterSort), beyond(a.id, p.afterId))) : undefined,
          ),
        )
        .orderBy(order(a.startsAt), order(a.id))
        .limit(p.limit),
    );
  };
  const lists = { upcoming: [list('upcoming', false), list('upcoming', true)], past: [list('past', false), list('past', true)] } as const;
  return {
    summary(businessId: string, customerId: string, now: number): CustomerSummary {
      const params = { businessId, customerId, now };
      return summaryOf(totals.all(params), open.get(params), next.get(params));
    },
    appointments(businessId: string, customerId: string, when: 'upcoming' | 'past', page: PageRequest, now: number): Page<CustomerAppointment> {
      const [first, after] = lists[when];
      const params = { businessId, customerId, now, limit: page.limit + 1 };
      let rows: CustomerAppointment[];
      if (page.cursor) {
        const [afterSort, afterId] = decodeCursor(page.cursor);
        rows = after.all({ ...params, afterSort, afterId });
      } else {
        rows = first.all(params);
      }
      return toPage(rows, page.limit, (row) => row.startsAt);
    },
  };
}

/** Offset cursors: a customer's invoices and estimates are few, and their order has two keys. */
function offsetOf(cursor: string | undefined): number {
  if (!cursor) return 0;
  const offset = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o:/, ''));
  if (!Number.isSafeInteger(offset) || offset < 0) throw new AppError(400, 'invalid_cursor', 'cursor: not a cursor this API returned.');
  return offset;
}

function offsetPage<T>(rows: T[], offset: number, limit: number): Page<T> {
  const more = rows.length > limit;
  return { data: more ? rows.slice(0, limit) : rows, nextCursor: more ? Buffer.from(`o:${offset + limit}`).toString('base64url') : null };
}

/** Unpaid first (oldest due first), then paid (most recent first). */
export function listCustomerInvoices(db: Reader, businessId: string, customerId: string, page: PageRequest): Page<Invoice> {
  const i = s.invoices;
  const offset = offsetOf(page.cursor);
  const rows = db
    .select()
    .from(i)
    .where(and(mine(i, businessId, customerId), visibleInvoice))
    .orderBy(
      sql`case when ${i.status} = 'open' then 0 else 1 end`,
      sql`case when ${i.status} = 'open' then coalesce(${i.dueDate}, '9999-12-31') end`,
      desc(sql`coalesce(${i.paidAt}, ${i.sentAt}, ${i.createdAt})`),
      desc(i.id),
    )
    .limit(page.limit + 1)
    .offset(offset)
    .all();
  return offsetPage(rows, offset, page.limit);
}

export function getCustomerInvoice(db: Reader, businessId: string, customerId: string, id: string): Invoice | undefined {
  return db.select().from(s.invoices).where(and(mine(s.invoices, businessId, customerId), eq(s.invoices.id, id), visibleInvoice)).get();
}

const notCanceled = ne(s.estimates.status, 'canceled');

/** Open (and unexpired) first, then past ones; newest first within each. Canceled never. */
export function listCustomerEstimates(db: Reader, businessId: string, customerId: string, page: PageRequest, now: number): Page<Estimate> {
  const e = s.estimates;
  const offset = offsetOf(page.cursor);
  const rows = db
    .select()
    .from(e)
    .where(and(mine(e, businessId, customerId), notCanceled))
    .orderBy(
      sql`case when ${e.status} = 'open' and (${e.expiresAt} is null or ${e.expiresAt} > ${now}) then 0 else 1 end`,
      desc(e.createdAt),
      desc(e.id),
    )
    .limit(page.limit + 1)
    .offset(offset)
    .all();
  return offsetPage(rows, offset, page.limit);
}

export function getCustomerEstimate(db: Reader, businessId: string, customerId: string, id: string): Estimate | undefined {
  return db.select().from(s.estimates).where(and(mine(s.estimates, businessId, customerId), eq(s.estimates.id, id), notCanceled)).get();
}

/** Approves or declines an open, unexpired estimate, once; undefined when it cannot change. */
export function decideEstimate(tx: Tx, businessId: string, customerId: string, id: string, decision: EstimateDecision, effects: SideEffects, now: number): Estimate | undefined {
  const e = s.estimates;
  const decided = tx
    .update(e)
    .set(
      decision.status === 'approved'
        ? { status: 'approved', approvedOptionId: decision.optionId, decidedAt: now, updatedAt: now }
        : { status: 'declined', declineReason: decision.reason, decidedAt: now, updatedAt: now },
    )
    .where(and(mine(e, businessId, customerId), eq(e.id, id), eq(e.status, 'open'), or(isNull(e.expiresAt), gt(e.expiresAt, now))))
    .returning()
    .get();
  if (decided) applyEffects(tx, businessId, effects, now);
  return decided;
}

export function applyEffects(tx: Tx, businessId: string, effects: SideEffects, now: number): void {
  for (const email of effects.emails ?? []) tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now }).run();
  if (effects.events?.length) insertWebhookEvents(tx, businessId, effects.events, now);
}

// ---- Messages ----

export function insertMessage(tx: Tx, businessId: string, message: NewMessage, effects: SideEffects, now: number): void {
  tx.insert(s.messages).values({ ...message, businessId, createdAt: now }).run();
  applyEffects(tx, businessId, effects, now);
}

export function insertReply(tx: Tx, businessId: string, reply: NewReply, effects: SideEffects, now: number): boolean {
  const message = tx.select({ id: s.messages.id }).from(s.messages).where(and(eq(s.messages.businessId, businessId), eq(s.messages.id, reply.messageId))).get();
  if (!message) return false;
  tx.insert(s.messageReplies).values({ ...reply, businessId, createdAt: now }).run();
  applyEffects(tx, businessId, effects, now);
  return true;
}

/** Messages newest first with their replies (oldest first) and who sent them. */
export function listMessages(db: Reader, businessId: string, page: PageRequest, customerId?: string, id?: string): Page<MessageThread> {
  const m = s.messages;
  const rows = db
    .select({ message: m, customerName: s.customers.name })
    .from(m)
    .innerJoin(s.customers, eq(s.customers.id, m.customerId))
    .where(
      and(
        eq(m.businessId, businessId),
        customerId ? eq(m.customerId, customerId) : undefined,
        id ? eq(m.id, id) : undefined,
        afterCursor(page.cursor, m.createdAt, m.id, 'desc'),
      ),
    )
    .orderBy(desc(m.createdAt), desc(m.id))
    .limit(page.limit + 1)
    .all();
  const pageRows = toPage(
    rows.map((r) => ({ ...r, id: r.message.id })),
    page.limit,
    (r) => r.message.createdAt,
  );
  const ids = pageRows.data.map((r) => r.id);
  const replies = ids.length
    ? db.select().from(s.messageReplies).where(and(eq(s.messageReplies.businessId, businessId), inArray(s.messageReplies.messageId, ids))).orderBy(asc(s.messageReplies.createdAt), asc(s.messageReplies.id)).all()
    : [];
  return {
    data: pageRows.data.map((r) => ({ ...r.message, customerName: r.customerName, replies: replies.filter((reply) => reply.messageId === r.id) })),
    nextCursor: pageRows.nextCursor,
  };
}
