// The admin console in the SQLite store: staff links and sessions, a business's staff and API keys,
// the overview's counts and bulk invitation jobs. Writes take the transaction the store opened.
import { and, asc, count, countDistinct, desc, eq, gt, gte, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import * as s from '../../db/schema';
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
import type { Tx } from './tx';

type Reader = Db | Tx;

/** Thrown inside a transaction to roll back a consumed link that has nothing to sign in to. */
class NothingToSignInTo extends Error {}

// ---- Staff sign-in ----

export function findStaffByEmail(db: Reader, email: string): StaffMembership[] {
  return db
    .select({ staff: s.staff, business: s.businesses })
    .from(s.staff)
    .innerJoin(s.businesses, eq(s.businesses.id, s.staff.businessId))
    .where(eq(s.staff.email, email))
    .orderBy(asc(s.businesses.name))
    .all();
}

export function issueStaffLink(tx: Tx, businessId: string, staffId: string, link: NewStaffLink, email: NewOutboxEmail, now: number): void {
  const l = s.staffLinkTokens;
  tx.update(l).set({ usedAt: now }).where(and(eq(l.staffId, staffId), isNull(l.usedAt))).run();
  tx.insert(l).values({ ...link, businessId, staffId, createdAt: now }).run();
  tx.insert(s.emailOutbox).values({ ...email, nextAttemptAt: now, createdAt: now }).run();
}

export function exchangeStaffLink(tx: Tx, tokenHash: string, session: NewSession, now: number): StaffExchangeResult {
  const l = s.staffLinkTokens;
  const consumed = tx
    .update(l)
    .set({ usedAt: now })
    .where(and(eq(l.tokenHash, tokenHash), isNull(l.usedAt), gt(l.expiresAt, now)))
    .returning()
    .get();
  if (!consumed) return tx.select({ id: l.id }).from(l).where(eq(l.tokenHash, tokenHash)).get() ? { status: 'dead' } : { status: 'unknown' };
  const found = tx
    .select({ staff: s.staff, business: s.businesses })
    .from(s.staff)
    .innerJoin(s.businesses, eq(s.businesses.id, s.staff.businessId))
    .where(and(eq(s.staff.id, consumed.staffId), eq(s.staff.businessId, consumed.businessId)))
    .get();
  if (!found) throw new NothingToSignInTo();
  const row = tx
    .insert(s.staffSessions)
    .values({ ...session, businessId: consumed.businessId, staffId: consumed.staffId, createdAt: now, lastSeenAt: now })
    .returning()
    .get();
  return { status: 'signed_in', session: row, ...found };
}

export const isNothingToSignInTo = (error: unknown) => error instanceof NothingToSignInTo;

export function findStaffSession(db: Reader, tokenHash: string): SignedInStaff | undefined {
  return db
    .select({ session: s.staffSessions, staff: s.staff })
    .from(s.staffSessions)
    .innerJoin(s.staff, and(eq(s.staff.id, s.staffSessions.staffId), eq(s.staff.businessId, s.staffSessions.businessId)))
    .where(eq(s.staffSessions.tokenHash, tokenHash))
    .get();
}

export function slideStaffSession(tx: Tx, id: string, lastSeenAt: number, idleExpiresAt: number): void {
  tx.update(s.staffSessions).set({ lastSeenAt, idleExpiresAt }).where(eq(s.staffSessions.id, id)).run();
}

export function deleteStaffSession(tx: Tx, tokenHash: string): boolean {
  return tx.delete(s.staffSessions).where(eq(s.staffSessions.tokenHash, tokenHash)).run().changes > 0;
}

// ---- Staff of one business ----

export function listStaff(db: Reader, businessId: string): Staff[] {
  // 'owner' sorts before 'staff'.
  return db.select().from(s.staff).where(eq(s.staff.businessId, businessId)).orderBy(asc(s.staff.role), asc(s.staff.email), asc(s.staff.id)).all();
}

const staffMember = (db: Reader, businessId: string, staffId: string) =>
  db.select().from(s.staff).where(and(eq(s.staff.businessId, businessId), eq(s.staff.id, staffId))).get();

/** Whether the business has an owner besides this staff member (read inside the write, so two owners cannot demote each other at once). */
function hasAnotherOwner(tx: Tx, businessId: string, staffId: string): boolean {
  return Boolean(
    tx
      .select({ id: s.staff.id })
      .from(s.staff)
      .where(and(eq(s.staff.businessId, businessId), eq(s.staff.role, 'owner'), ne(s.staff.id, staffId)))
      .get(),
  );
}

export function changeStaffRole(tx: Tx, businessId: string, staffId: string, role: Staff['role']): StaffRoleChange {
  const member = staffMember(tx, businessId, staffId);
  if (!member) return { status: 'not_found' };
  if (member.role === 'owner' && role !== 'owner' && !hasAnotherOwner(tx, businessId, staffId)) return { status: 'last_owner' };
  const staff = tx
    .update(s.staff)
    .set({ role })
    .where(and(eq(s.staff.businessId, businessId), eq(s.staff.id, staffId)))
    .returning()
    .get()!;
  return { status: 'changed', staff };
}

/** Their sessions and sign-in links go with them (ON DELETE CASCADE). */
export function removeStaff(tx: Tx, businessId: string, staffId: string): StaffRemoval {
  const member = staffMember(tx, businessId, staffId);
  if (!member) return { status: 'not_found' };
  if (member.role === 'owner' && !hasAnotherOwner(tx, businessId, staffId)) return { status: 'last_owner' };
  tx.delete(s.staff).where(and(eq(s.staff.businessId, businessId), eq(s.staff.id, staffId))).run();
  return { status: 'removed', staff: member };
}

// ---- API keys ----

const withoutHash = ({ hash: _hash, ...key }: typeof s.apiKeys.$inferSelect): ApiKey => key;

export function listApiKeys(db: Reader, businessId: string): ApiKey[] {
  return db.select().from(s.apiKeys).where(eq(s.apiKeys.businessId, businessId)).orderBy(desc(s.apiKeys.createdAt), desc(s.apiKeys.id)).all().map(withoutHash);
}

export function revokeBusinessApiKey(tx: Tx, businessId: string, prefix: string, now: number): ApiKey | undefined {
  const k = s.apiKeys;
  const row = tx
    .update(k)
    .set({ revokedAt: now })
    .where(and(eq(k.businessId, businessId), eq(k.prefix, prefix), isNull(k.revokedAt)))
    .returning()
    .get();
  return row ? withoutHash(row) : undefined;
}

export function markApiKeyUsed(tx: Tx, id: string, now: number): void {
  tx.update(s.apiKeys).set({ lastUsedAt: now }).where(eq(s.apiKeys.id, id)).run();
}

// ---- Overview ----

/** Which of `starts` (ascending) the time falls in, by position; -1 before the first. */
function bucketOf(time: number, starts: number[]): number {
  let index = -1;
  for (let i = 0; i < starts.length && starts[i]! <= time; i++) index = i;
  return index;
}

export function overview(db: Reader, businessId: string, q: OverviewQuery): OverviewCounts {
  const i = s.invitations;
  const si = s.portalSignIns;
  const inv = s.invoices;
  const est = s.estimates;
  const earliest = Math.min(q.monthStart, q.weekStarts[0] ?? q.monthStart);

  const customers = db.select({ n: count() }).from(s.customers).where(eq(s.customers.businessId, businessId)).get()?.n ?? 0;
  const customersInvited = db.select({ n: countDistinct(i.customerId) }).from(i).where(eq(i.businessId, businessId)).get()?.n ?? 0;
  const customersSignedIn = db.select({ n: countDistinct(si.customerId) }).from(si).where(eq(si.businessId, businessId)).get()?.n ?? 0;

  // The times of recent events, bucketed here: a few thousand rows at most for 12 weeks.
  const invitationTimes = db
    .select({ at: i.createdAt })
    .from(i)
    .where(and(eq(i.businessId, businessId), gte(i.createdAt, earliest), lte(i.createdAt, q.now)))
    .all()
    .map((r) => r.at);
  const signInTimes = db
    .select({ at: si.createdAt })
    .from(si)
    .where(and(eq(si.businessId, businessId), gte(si.createdAt, earliest), lte(si.createdAt, q.now)))
    .all()
    .map((r) => r.at);
  const paid = db
    .select({ at: inv.paidAt, currency: inv.currency, total: inv.total, throughPortal: inv.paidThroughPortal })
    .from(inv)
    .where(and(eq(inv.businessId, businessId), eq(inv.status, 'paid'), gte(inv.paidAt, earliest), lte(inv.paidAt, q.now)))
    .all();
  const estimatesApproved =
    db
      .select({ n: count() })
      .from(est)
      .where(and(eq(est.businessId, businessId), eq(est.status, 'approved'), gte(est.decidedAt, q.monthStart), lte(est.decidedAt, q.now)))
      .get()?.n ?? 0;

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
    customers,
    customersInvited,
    customersSignedIn,
    month: {
      invitationsSent: invitationTimes.filter(inMonth).length,
      signIns: signInTimes.filter(inMonth).length,
      invoicesPaid: paidInMonth.length,
      invoicesPaidThroughPortal: portalPaidInMonth.length,
      amountCollected: [...collected].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => a.currency.localeCompare(b.currency)),
      estimatesApproved,
    },
    weeks,
  };
}

// ---- Bulk invitation jobs ----

export function createBulkJob(tx: Tx, businessId: string, id: string, customerIds: string[], now: number): BulkJob {
  return tx
    .insert(s.bulkInvitationJobs)
    .values({ id, businessId, customerIds, total: customerIds.length, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function getBulkJob(db: Reader, businessId: string, id: string): BulkJob | undefined {
  const j = s.bulkInvitationJobs;
  return db.select().from(j).where(and(eq(j.businessId, businessId), eq(j.id, id))).get();
}

export function claimBulkJob(tx: Tx, now: number, lockMs: number): BulkJob | undefined {
  const j = s.bulkInvitationJobs;
  const due = tx
    .select({ id: j.id })
    .from(j)
    .where(and(inArray(j.status, ['queued', 'running']), or(isNull(j.lockedUntil), lte(j.lockedUntil, now))))
    .orderBy(asc(j.createdAt), asc(j.id))
    .get();
  if (!due) return undefined;
  return tx.update(j).set({ status: 'running', lockedUntil: now + lockMs, updatedAt: now }).where(eq(j.id, due.id)).returning().get();
}

/** Adds a chunk's outcome to the job; false when the job is not at `chunk.from` any more. */
export function advanceBulkJob(tx: Tx, jobId: string, chunk: BulkChunk, lockedUntil: number, now: number): boolean {
  const j = s.bulkInvitationJobs;
  const job = tx.select().from(j).where(and(eq(j.id, jobId), eq(j.status, 'running'), eq(j.processed, chunk.from))).get();
  if (!job) return false;
  const processed = chunk.from + chunk.count;
  const done = processed >= job.total;
  tx.update(j)
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
    .where(eq(j.id, jobId))
    .run();
  return true;
}

export function failBulkJob(tx: Tx, jobId: string, error: string, now: number): void {
  const j = s.bulkInvitationJobs;
  tx.update(j)
    .set({ status: 'failed', lastError: error.slice(0, 1000), lockedUntil: null, finishedAt: now, updatedAt: now })
    .where(and(eq(j.id, jobId), inArray(j.status, ['queued', 'running'])))
    .run();
}
