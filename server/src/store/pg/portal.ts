// What a signed-in customer reads and does, in the PostgreSQL store: the twin of
// store/sqlite/portal.ts. Every query is scoped by business and customer; canceled estimates, draft
// and void invoices are never returned.
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client';
import * as s from '../../db/pg/schema';
import { AppError } from '../../lib/errors';
import type { CustomerAppointment, CustomerSummary, Estimate, EstimateDecision, Invoice, MessageThread, NewMessage, NewReply, Page, PageRequest, SideEffects } from '../types';
import { customerAppointmentColumns } from '../columns';
import { afterCursor, decodeCursor, toPage } from '../paging';
import type { PgTx } from './tx';
import { insertWebhookEvents } from './webhooks';

type Reader = PgDb | PgTx;

/**
 * Where an appointment stops being upcoming: its end, else the end of its arrival window, else its
 * start. The minutes are multiplied as bigint: an integer product would overflow past 35,791 minutes.
 */
const appointmentEnd = sql<number>`coalesce(${s.appointments.endsAt}, ${s.appointments.startsAt} + coalesce(${s.appointments.arrivalWindowMinutes}, 0)::bigint * 60000)`;

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
 * The summary badges and the appointment list as named prepared statements: each connection of the
 * pool parses and plans them once. PostgreSQL's count is bigint and its sum of bigint is numeric,
 * both sent as strings, hence `mapWith(Number)`.
 */
export function preparePortalReads(db: PgDb) {
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
  const totals = db
    .select({
      currency: i.currency,
      count: sql<number>`count(*)`.mapWith(Number),
      amount: sql<number>`sum(${i.total} - ${i.amountPaid})`.mapWith(Number),
    })
    .from(i)
    .where(and(mineP(i), eq(i.status, 'open'), gt(sql`${i.total} - ${i.amountPaid}`, 0)))
    .groupBy(i.currency)
    // SQLite's grouping happens to answer in currency order; PostgreSQL's hash grouping does not.
    .orderBy(i.currency)
    .prepare('portal_unpaid_totals');
  const open = db
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(e)
    .where(and(mineP(e), eq(e.status, 'open'), or(isNull(e.expiresAt), gt(e.expiresAt, p.now))))
    .prepare('portal_open_estimates');
  const next = db
    .select(shown)
    .from(a)
    .where(and(mineP(a), upcoming(p.now), ne(a.status, 'canceled')))
    .orderBy(asc(a.startsAt), asc(a.id))
    .limit(1)
    .prepare('portal_next_appointment');
  /** Upcoming soonest first, past most recent first; the cursor condition (paging.ts afterCursor) with placeholders. */
  const list = (when: 'upcoming' | 'past', withCursor: boolean) => {
    const [order, beyond] = when === 'upcoming' ? [asc, gt] : [desc, lt];
    return db
      .select(shown)
      .from(a)
      .where(
        and(
          mineP(a),
          when === 'upcoming' ? upcoming(p.now) : sql`not (${upcoming(p.now)})`,
          withCursor ? or(beyond(a.startsAt, p.afterSort), and(eq(a.startsAt, p.afterSort), beyond(a.id, p.afterId))) : undefined,
        ),
      )
      .orderBy(order(a.startsAt), order(a.id))
      .limit(p.limit)
      .prepare(`portal_appointments_${when}${withCursor ? '_after' : ''}`);
  };
  const lists = { upcoming: [list('upcoming', false), list('upcoming', true)], past: [list('past', false), list('past', true)] } as const;
  return {
    async summary(businessId: string, customerId: string, now: number): Promise<CustomerSummary> {
      const params = { businessId, customerId, now };
      const [sums, counts, soonest] = await Promise.all([totals.execute(params), open.execute(params), next.execute(params)]);
      return summaryOf(sums, counts[0], soonest[0]);
    },
    async appointments(businessId: string, customerId: string, when: 'upcoming' | 'past', page: PageRequest, now: number): Promise<Page<CustomerAppointment>> {
      const [first, after] = lists[when];
      const params = { businessId, customerId, now, limit: page.limit + 1 };
      let rows: CustomerAppointment[];
      if (page.cursor) {
        const [afterSort, afterId] = decodeCursor(page.cursor);
        rows = await after.execute({ ...params, afterSort, afterId });
      } else {
        rows = await first.execute(params);
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
export async function listCustomerInvoices(db: Reader, businessId: string, customerId: string, page: PageRequest): Promise<Page<Invoice>> {
  const i = s.invoices;
  const offset = offsetOf(page.cursor);
  const rows = await db
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
    .offset(offset);
  return offsetPage(rows, offset, page.limit);
}

export async function getCustomerInvoice(db: Reader, businessId: string, customerId: string, id: string): Promise<Invoice | undefined> {
  const [row] = await db.select().from(s.invoices).where(and(mine(s.invoices, businessId, customerId), eq(s.invoices.id, id), visibleInvoice));
  return row;
}

const notCanceled = ne(s.estimates.status, 'canceled');

/** Open (and unexpired) first, then past ones; newest first within each. Canceled never. */
export async function listCustomerEstimates(db: Reader, businessId: string, customerId: string, page: PageRequest, now: number): Promise<Page<Estimate>> {
  const e = s.estimates;
  const offset = offsetOf(page.cursor);
  const rows = await db
    .select()
    .from(e)
    .where(and(mine(e, businessId, customerId), notCanceled))
    .orderBy(
      sql`case when ${e.status} = 'open' and (${e.expiresAt} is null or ${e.expiresAt} > ${now}) then 0 else 1 end`,
      desc(e.createdAt),
      desc(e.id),
    )
    .limit(page.limit + 1)
    .offset(offset);
  return offsetPage(rows, offset, page.limit);
}

export async function getCustomerEstimate(db: Reader, businessId: string, customerId: string, id: string): Promise<Estimate | undefined> {
  const [row] = await db.select().from(s.estimates).where(and(mine(s.estimates, businessId, customerId), eq(s.estimates.id, id), notCanceled));
  return row;
}

/** Approves or declines an open, unexpired estimate, once; undefined when it cannot change. */
export async function decideEstimate(tx: PgTx, businessId: string, customerId: string, id: string, decision: EstimateDecision, effects: SideEffects, now: number): Promise<Estimate | undefined> {
  const e = s.estimates;
  const [decided] = await tx
    .update(e)
    .set(
      decision.status === 'approved'
        ? { status: 'approved', approvedOptionId: decision.optionId, decidedAt: now, updatedAt: now }
        : { status: 'declined', declineReason: decision.reason, decidedAt: now, updatedAt: now },
    )
    .where(and(mine(e, businessId, customerId), eq(e.id, id), eq(e.status, 'open'), or(isNull(e.expiresAt), gt(e.expiresAt, now))))
    .returning();
  if (decided) await applyEffects(tx, businessId, effects, now);
  return decided;
}

export async function applyEffects(tx: PgTx, businessId: string, effects: SideEffects, now: number): Promise<void> {
  const emails = effects.emails ?? [];
  if (emails.length) await tx.insert(s.emailOutbox).values(emails.map((email) => ({ ...email, nextAttemptAt: now, createdAt: now })));
  if (effects.events?.length) await insertWebhookEvents(tx, businessId, effects.events, now);
}

// ---- Messages ----

export async function insertMessage(tx: PgTx, businessId: string, message: NewMessage, effects: SideEffects, now: number): Promise<void> {
  await tx.insert(s.messages).values({ ...message, businessId, createdAt: now });
  await applyEffects(tx, businessId, effects, now);
}

export async function insertReply(tx: PgTx, businessId: string, reply: NewReply, effects: SideEffects, now: number): Promise<boolean> {
  const [message] = await tx
    .select({ id: s.messages.id })
    .from(s.messages)
    .where(and(eq(s.messages.businessId, businessId), eq(s.messages.id, reply.messageId)));
  if (!message) return false;
  await tx.insert(s.messageReplies).values({ ...reply, businessId, createdAt: now });
  await applyEffects(tx, businessId, effects, now);
  return true;
}

/** Messages newest first with their replies (oldest first) and who sent them. */
export async function listMessages(db: Reader, businessId: string, page: PageRequest, customerId?: string, id?: string): Promise<Page<MessageThread>> {
  const m = s.messages;
  const rows = await db
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
    .limit(page.limit + 1);
  const pageRows = toPage(
    rows.map((r) => ({ ...r, id: r.message.id })),
    page.limit,
    (r) => r.message.createdAt,
  );
  const ids = pageRows.data.map((r) => r.id);
  const replies = ids.length
    ? await db
        .select()
        .from(s.messageReplies)
        .where(and(eq(s.messageReplies.businessId, businessId), inArray(s.messageReplies.messageId, ids)))
        .orderBy(asc(s.messageReplies.createdAt), asc(s.messageReplies.id))
    : [];
  return {
    data: pageRows.data.map((r) => ({ ...r.message, customerName: r.customerName, replies: replies.filter((reply) => reply.messageId === r.id) })),
    nextCursor: pageRows.nextCursor,
  };
}
