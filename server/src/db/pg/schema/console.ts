// The admin console's tables: staff sign-in (links and sessions, stored only as SHA-256 like the
// customers'), the log of customer sign-ins the overview counts, and bulk invitation jobs that a
// worker works through in chunks. The PostgreSQL twin of db/schema/console.ts, which explains why
// staff links and sessions are tables of their own.
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { BulkSkipped } from '../../schema/console';
import { staff } from './businesses';
import { businessId, createdAt, id, ms } from './columns';
import { customers } from './customers';

export type { BulkSkipped };

const staffId = () =>
  text('staff_id')
    .notNull()
    .references(() => staff.id, { onDelete: 'cascade' });

export const staffLinkTokens = pgTable(
  'staff_link_tokens',
  {
    id: id(),
    businessId: businessId(),
    staffId: staffId(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: ms('expires_at').notNull(),
    usedAt: ms('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('staff_link_tokens_staff').on(t.staffId)],
);

export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: id(),
    businessId: businessId(),
    staffId: staffId(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastSeenAt: ms('last_seen_at').notNull(),
    /** Sliding idle limit, pushed forward (at most daily) while the session is used. */
    idleExpiresAt: ms('idle_expires_at').notNull(),
    /** Absolute limit from sign-in; never extended. */
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('staff_sessions_staff').on(t.staffId)],
);

/** One row per successful customer sign-in (sessions are deleted on sign-out; this stays). */
export const portalSignIns = pgTable(
  'portal_sign_ins',
  {
    id: id(),
    businessId: businessId(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('portal_sign_ins_business').on(t.businessId, t.createdAt)],
);

/**
 * A large "Invite to Portal" selection, worked through in chunks by a worker. Each chunk's
 * invitations and the job's progress commit in one transaction, so a restart resumes exactly
 * where the last committed chunk ended and nobody is invited twice.
 */
export const bulkInvitationJobs = pgTable(
  'bulk_invitation_jobs',
  {
    id: id(),
    businessId: businessId(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] }).notNull().default('queued'),
    customerIds: jsonb('customer_ids').$type<string[]>().notNull(),
    total: integer('total').notNull(),
    /** How many of customerIds (in order) are done. */
    processed: integer('processed').notNull().default(0),
    invited: integer('invited').notNull().default(0),
    skippedNoEmail: jsonb('skipped_no_email').$type<BulkSkipped[]>().notNull().default([]),
    skippedDisabled: jsonb('skipped_disabled').$type<BulkSkipped[]>().notNull().default([]),
    notFound: jsonb('not_found').$type<string[]>().notNull().default([]),
    /** A worker's claim: no other worker takes the job before this time. */
    lockedUntil: ms('locked_until'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: ms('updated_at').notNull(),
    finishedAt: ms('finished_at'),
  },
  (t) => [
    index('bulk_invitation_jobs_due').on(t.status, t.createdAt),
    index('bulk_invitation_jobs_business').on(t.businessId, t.createdAt),
  ],
);
