// The admin console in the PostgreSQL store (the twin of store/sqlite/console.ts): staff links and
// sessions, a business's staff and API keys, the overview's counts and bulk invitation jobs. Writes
// take the transaction the store opened.
import { and, asc, count, countDistinct, desc, eq, gt, gte, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client';
import * as s from '../../db/pg/schema';
import type {
  BulkChunk,
  BulkJob,
  NewStaffLink,
  OverviewCounts,
  OverviewQuery,
  SignedInStaff,
  StaffExchangeResult,
  StaffMembership,
  StaffRemoval,
  StaffRoleChange,
} from '../console-types';
import type { ApiKey, NewOutboxEmail, NewSession, Staff } from '../types';
import type { PgTx } from './tx';

type Reader = PgDb | PgTx;

/** Thrown inside a transaction to roll back a consumed link that has nothing to sign in to. */
class NothingToSignInTo extends Error {}

// ---- Staff sign-in ----

export async function findStaffByEmail(db: Reader, email: string): Promise<StaffMembership[]> {
  return db
    .select({ staff: s.staff, business: s.businesses })
    .from(s.staff)
    .innerJoin(s.businesses, eq(s.businesses.id, s.staff.businessId))
    .where(eq(s.staff.email, email))
    .orderBy(asc(s.businesses.name));
}

export async function issueStaffLink(tx: PgTx, businessId: string, staffId: string, link: NewStaffLink, email: NewOutboxEmail, now: number): Promise<void> {
  const l = s.staffLinkTokens;
  await tx.update(l).set({ usedAt: now }).where(and(eq(l.staffId, staffId), isNull(l.usedAt)));
  await tx.insert(l).values({ ...link, businessId, staffId, createdAt: now });
  await tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now });
}

export async function exchangeStaffLink(tx: PgTx, tokenHash: string, session: NewSession, now: number): Promise<StaffExchangeResult> {
  const l = s.staffLinkTokens;
  const [consumed] = await tx
    .update(l)
    .set({ usedAt: now })
    .where(and(eq(l.tokenHash, tokenHash), isNull(l.usedAt), gt(l.expiresAt, now)))
    .returning();
  if (!consumed) {
    const [known] = await tx.select({ id: l.id }).from(l).where(eq(l.tokenHash, tokenHash));
    return known ? { status: 'dead' } : { status: 'unknown' };
  }
  const [found] = await tx
    .select({ staff: s.staff, business: s.businesses })
    .from(s.staff)
    .innerJoin(s.businesses, eq(s.businesses.id, s.staff.businessId))
    .where(and(eq(s.staff.id, consumed.staffId), eq(s.staff.businessId, consumed.businessId)));
  if (!found) throw new NothingToSignInTo();
  const [row] = await tx
    .insert(s.staffSessions)
    .values({ ...session, businessId: consumed.businessId, staffId: consumed.staffId, createdAt: now, lastSeenAt: now })
    .returning();
  return { status: 'signed_in', session: row!, ...found };
}

export const isNothingToSignInTo = (error: unknown) => error instanceof NothingToSignInTo;

export async function findStaffSession(db: Reader, tokenHash: string): Promise<SignedInStaff | undefined> {
  const [row] = await db
    .select({ session: s.staffSessions, staff: s.staff })
    .from(s.staffSessions)
    .innerJoin(s.staff, and(eq(s.staff.id, s.staffSessions.staffId), eq(s.staff.businessId, s.staffSessions.businessId)))
    .where(eq(s.staffSessions.tokenHash, tokenHash));
  return row;
}

export async function slideStaffSession(tx: PgTx, id: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
  await tx.update(s.staffSessions).set({ lastSeenAt, idleExpiresAt }).where(eq(s.staffSessions.id, id));
}

export async function deleteStaffSession(tx: PgTx, tokenHash: string): Promise<boolean> {
  const deleted = await tx.delete(s.staffSessions).where(eq(s.staffSessions.tokenHash, tokenHash)).returning({ id: s.staffSessions.id });
  return deleted.length > 0;
}

// ---- Staff of one business ----

export async function listStaff(db: Reader, businessId: string): Promise<Staff[]> {
  // 'owner' sorts before 'staff'.
  return db.select().from(s.staff).where(eq(s.staff.businessId, businessId)).orderBy(asc(s.staff.role), asc(s.staff.email), asc(s.staff.id));
}

async function staffMember(db: Reader, businessId: string, staffId: string): Promise<Staff | undefined> {
  const [row] = await db.select().from(s.staff).where(and(eq(s.staff.businessId, businessId), eq(s.staff.id, staffId)));
  return row;
}

/**
 * Whether the business has an owner besides this staff member. Read inside the SERIALIZABLE write,
 * so two owners demoting each other at once cannot both pass: PostgreSQL refuses one of the two
 * transactions, and run again it sees the other's change.
 */
async function hasAnotherOwner(tx: PgTx, businessId: string, staffId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: s.staff.id })
    .from(s.staff)
    .where(and(eq(s.staff.businessId, businessId), eq(s.staff.role, 'owner'), ne(s.staff.id, staffId)))
    .limit(1);
  return row !== undefined;
}

export async function changeStaffRole(tx: PgTx, businessId: string, staffId: string, role: Staff['role']): Promise<StaffRoleChange> {
  const member = await staffMember(tx, businessId, staffId);
  if (!member) return { status: 'not_found' };
  if (member.role === 'owner' && role !== 'owner' && !(await hasAnotherOwner(tx, businessId, staffId))) return { status: 'last_owner' };
  const [staff] = await tx
    .update(s.staff)
    .set({ role })
    .where(and(eq(s.staff.businessId, businessId), eq(s.staff.id, staffId)))
    .returning();
  return { status: 'changed', staff: staff! };
}

/** Their sessions and sign-in links go with them (ON DELETE CASCADE). */
export async function removeStaff(tx: PgTx, businessId: string, staffId: string): Promise<StaffRemoval> {
  const member = await staffMember(tx, businessId, staffId);
  if (!member) return { status: 'not_found' };
  if (member.role === 'owner' && !(await hasAnotherOwner(tx, businessId, staffId))) return { status: 'last_owner' };
  await tx.delete(s.staff).where(and(eq(s.staff.businessId, businessId), eq(s.staff.id, staffId)));
  return { status: 'removed', staff: member };
}

// ---- API keys ----

const withoutHash = ({ hash: _hash, ...key }: typeof s.apiKeys.$inferSelect): ApiKey => key;

export async function listApiKeys(db: Reader, businessId: string): Promise<ApiKey[]> {
  const rows = await db.select().from(s.apiKeys).where(eq(s.apiKeys.businessId, businessId)).orderBy(desc(s.apiKeys.createdAt), desc(s.apiKeys.id));
  return rows.map(withoutHash);
}

export async function revokeBusinessApiKey(tx: PgTx, businessId: string, prefix: string, now: number): Promise<ApiKey | undefined> {
  const k = s.apiKeys;
  const [row] = await tx
    .update(k)
    .set({ revokedAt: now })
    .where(and(eq(k.businessId, businessId), eq(k.prefix, prefix), isNull(k.revokedAt)))
    .returning();
  return row ? withoutHash(row) : undefined;
}

export async function markApiKeyUsed(tx: PgTx, id: string, now: number): Promise<void> {
  await tx.update(s.apiKeys).set({ lastUsedAt: now }).where(eq(s.apiKeys.id, id));
}

// ---- Overview ----

/** Which of `starts` (ascending) the time falls in, by position; -1 before the first. */
function bucketOf(time: number, starts: number[]): number {
  let index = -1;
  for (let i = 0; i < starts.length && starts[i]! <= time; i++) index = i;
  return index;
}

/** The overview's reads, independent of each other: run side by side on the pool. */
export async function overview(db: Reader, businessId: string, q: OverviewQuery): Promise<OverviewCounts> {
  const i = s.invitations;
  const si = s.portalSignIns;
  const inv = s.invoices;
  const est = s.estimates;
  const earliest = Math.min(q.monthStart, q.weekStarts[0] ?? q.monthStart);

  // count() and countDistinct() map PostgreSQL's bigint counts (strings on the wire) to numbers.
  const [[customerCount], [invited], [signedIn], invitationRows, signInRows, paid, [approved]] = await Promise.all([
    db.select({ n: count() }).from(s.customers).where(eq(s.customers.businessId, businessId)),
    db.select({ n: countDistinct(i.customerId) }).from(i).where(eq(i.businessId, businessId)),
    db.select({ n: countDistinct(si.customerId) }).from(si).where(eq(si.businessId, businessId)),
    // The times of recent events, bucketed here: a few thousand rows at most for 12 weeks.
    db
      .select({ at: i.createdAt })
      .from(i)
      .where(and(eq(i.businessId, businessId), gte(i.createdAt, earliest), lte(i.createdAt, q.now))),
    db
      .select({ at: si.createdAt })
      .from(si)
      .where(and(eq(si.businessId, businessId), gte(si.createdAt, earliest), lte(si.createdAt, q.now))),
    db
      .select({ at: inv.paidAt, currency: inv.currency, total: inv.total, throughPortal: inv.paidThroughPortal })
      .from(inv)
      .where(and(eq(inv.businessId, businessId), eq(inv.status, 'paid'), gte(inv.paidAt, earliest), lte(inv.paidAt, q.now))),
    db
      .select({ n: count() })
      .from(est)
      .where(and(eq(est.businessId, businessId), eq(est.status, 'approved'), gte(est.decidedAt, q.monthStart), lte(est.decidedAt, q.now))),
  ]);
  const invitationTimes = invitationRows.map((r) => r.at);
  const signInTimes = signInRows.map((r) => r.at);

  const inMonth = (t: number | null) => t !== null && t >= q.monthStart;
  const paidInMonth = paid.filter((p) => inMonth(p.at));
  const portalPaidInMonth = paidInMonth.filter((p) => p.throughPortal);
  // Collected: what customers paid through the portal, not what the business marked paid.
  const collected = new Map<string, number>();
  for (const p of portalPaidInMonth) collected.set(p.currency, (collected.get(p.currency) ?? 0) + p.total);

  const weeks = q.weekStarts.map((start) => ({ start, invitations: 0, signIns: 0, invoicesPaid: 0, invoicesPaidThroughPortal: 0 }));
  const tally = (time: number, field: 'invitations' | 'signIns' | 'invoicesPaid' | 'invoicesPaidThroughPortal') => {
    const week = weeks[bucketOf(time, q.weekStarts)];
    if (week) week[field]++;
  };
  for (const t of invitationTimes) tally(t, 'invitations');
  for (const t of signInTimes) tally(t, 'signIns');
  for (const p of paid) {
    tally(p.at!, 'invoicesPaid');
    if (p.throughPortal) tally(p.at!, 'invoicesPaidThroughPortal');
  }

  return {
    customers: customerCount?.n ?? 0,
    customersInvited: invited?.n ?? 0,
    customersSignedIn: signedIn?.n ?? 0,
    month: {
      invitationsSent: invitationTimes.filter(inMonth).length,
      signIns: signInTimes.filter(inMonth).length,
      invoicesPaid: paidInMonth.length,
      invoicesPaidThroughPortal: portalPaidInMonth.length,
      amountCollected: [...collected].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => a.currency.localeCompare(b.currency)),
      estimatesApproved: approved?.n ?? 0,
    },
    weeks,
  };
}

// ---- Bulk invitation jobs ----

export async function createBulkJob(tx: PgTx, businessId: string, id: string, customerIds: string[], now: number): Promise<BulkJob> {
  const [row] = await tx
    .insert(s.bulkInvitationJobs)
    .values({ id, businessId, customerIds, total: customerIds.length, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function getBulkJob(db: Reader, businessId: string, id: string): Promise<BulkJob | undefined> {
  const j = s.bulkInvitationJobs;
  const [row] = await db.select().from(j).where(and(eq(j.businessId, businessId), eq(j.id, id)));
  return row;
}

export async function claimBulkJob(tx: PgTx, now: number, lockMs: number): Promise<BulkJob | undefined> {
  const j = s.bulkInvitationJobs;
  const [due] = await tx
    .select({ id: j.id })
    .from(j)
    .where(and(inArray(j.status, ['queued', 'running']), or(isNull(j.lockedUntil), lte(j.lockedUntil, now))))
    .orderBy(asc(j.createdAt), asc(j.id))
    .limit(1)
    // A job another worker is claiming right now is passed over: that worker takes it.
    .for('update', { skipLocked: true });
  if (!due) return undefined;
  const [claimed] = await tx.update(j).set({ status: 'running', lockedUntil: now + lockMs, updatedAt: now }).where(eq(j.id, due.id)).returning();
  return claimed;
}

/** Adds a chunk's outcome to the job; false when the job is not at `chunk.from` any more. */
export async function advanceBulkJob(tx: PgTx, jobId: string, chunk: BulkChunk, lockedUntil: number, now: number): Promise<boolean> {
  const j = s.bulkInvitationJobs;
  // Locked until commit: a second worker's chunk from the same point waits, then finds the job moved on.
  const [job] = await tx
    .select()
    .from(j)
    .where(and(eq(j.id, jobId), eq(j.status, 'running'), eq(j.processed, chunk.from)))
    .for('update');
  if (!job) return false;
  const processed = chunk.from + chunk.count;
  const done = processed >= job.total;
  await tx
    .update(j)
    .set({
      processed,
      invited: job.invited + chunk.invitations.length,
      skippedNoEmail: [...job.skippedNoEmail, ...chunk.skippedNoEmail],
      skippedDisabled: [...job.skippedDisabled, ...chunk.skippedDisabled],
      notFound: [...job.notFound, ...chunk.notFound],
      status: done ? 'done' : 'running',
      lockedUntil: done ? null : lockedUntil,
      finishedAt: done ? now : null,
      updatedAt: now,
    })
    .where(eq(j.id, jobId));
  return true;
}

export async function failBulkJob(tx: PgTx, jobId: string, error: string, now: number): Promise<void> {
  const j = s.bulkInvitationJobs;
  await tx
    .update(j)
    .set({ status: 'failed', lastError: error.slice(0, 1000), lockedUntil: null, finishedAt: now, updatedAt: now })
    .where(and(eq(j.id, jobId), inArray(j.status, ['queued', 'running'])));
}
