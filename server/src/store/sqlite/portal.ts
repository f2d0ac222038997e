// What a signed-in customer reads and does, in the SQLite store. Every query is scoped by business
// and customer; canceled estimates, draft and void invoices are never returned.
import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import * as s from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { Appointment, CustomerSummary, Estimate, EstimateDecision, Invoice, MessageThread, NewMessage, NewReply, Page, PageRequest, SideEffects } from '../types';
import { afterCursor, toPage } from './paging';
import type { Tx } from './tx';
import { insertWebhookEvents } from './webhooks';
import type { Db } from '../../db/client';

type Reader = Db | Tx;

/** Where an appointment stops being upcoming: its end, else the end of its arrival window, else its start. */
const appointmentEnd = sql<number>`coalesce(${s.appointments.endsAt}, ${s.appointments.startsAt} + coalesce(${s.appointments.arrivalWindowMinutes}, 0) * 60000)`;

function upcoming(now: number): SQL {
  return and(sql`${appointmentEnd} >= ${now}`, ne(s.appointments.status, 'completed'))!;
}

type CustomerOwned = typeof s.appointments | typeof s.invoices | typeof s.estimates;

const mine = (table: CustomerOwned, businessId: string, customerId: string) =>
  and(eq(table.businessId, businessId), eq(table.customerId, customerId));

/** Invoices a customer can see: sent (open) or paid. */
const visibleInvoice = inArray(s.invoices.status, ['open', 'paid']);

export function customerSummary(db: Reader, businessId: string, customerId: string, now: number): CustomerSummary {
  const i = s.invoices;
  const totals = db
    .select({ currency: i.currency, count: sql<number>`count(*)`, amount: sql<number>`sum(${i.total} - ${i.amountPaid})` })
    .from(i)
    .where(and(mine(i, businessId, customerId), eq(i.status, 'open'), gt(sql`${i.total} - ${i.amountPaid}`, 0)))
    .groupBy(i.currency)
    .all();
  const e = s.estimates;
  const open = db
    .select({ count: sql<number>`count(*)` })
    .from(e)
    .where(and(mine(e, businessId, customerId), eq(e.status, 'open'), or(isNull(e.expiresAt), gt(e.expiresAt, now))))
    .get();
  const next = db
    .select()
    .from(s.appointments)
    .where(and(mine(s.appointments, businessId, customerId), upcoming(now), ne(s.appointments.status, 'canceled')))
    .orderBy(asc(s.appointments.startsAt), asc(s.appointments.id))
    .limit(1)
    .get();
  return {
    unpaidInvoices: {
      count: totals.reduce((n, t) => n + Number(t.count), 0),
      totals: totals.map((t) => ({ currency: t.currency, amount: Number(t.amount) })),
    },
    openEstimates: Number(open?.count ?? 0),
    nextAppointment: next ?? null,
  };
}

export function listCustomerAppointments(db: Reader, businessId: string, customerId: string, when: 'upcoming' | 'past', page: PageRequest, now: number): Page<Appointment> {
  const a = s.appointments;
  const direction = when === 'upcoming' ? 'asc' : 'desc';
  const order = direction === 'asc' ? asc : desc;
  const rows = db
    .select()
    .from(a)
    .where(and(mine(a, businessId, customerId), when === 'upcoming' ? upcoming(now) : sql`not (${upcoming(now)})`, afterCursor(page.cursor, a.startsAt, a.id, direction)))
    .orderBy(order(a.startsAt), order(a.id))
    .limit(page.limit + 1)
    .all();
  return toPage(rows, page.limit, (row) => row.startsAt);
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
