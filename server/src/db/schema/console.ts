// The admin console's tables: staff sign-in (links and sessions, stored only as SHA-256 like the
// customers'), the log of customer sign-ins the overview counts, and bulk invitation jobs that a
// worker works through in chunks.
//
// Staff links and sessions are tables of their own rather than rows of link_tokens/sessions with a
// kind: those rows belong to a customer (customer_id NOT NULL) and every customer query would have
// to remember to exclude staff rows. Apart, a staff token can never open a customer session and a
// customer token can never open the console, by construction.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { staff } from './businesses';
import { businessId, createdAt, id } from './columns';
import { customers } from './customers';

const staffId = () =>
  text('staff_id')
    .notNull()
    .references(() => staff.id, { onDelete: 'cascade' });

export const staffLinkTokens = sqliteTable(
  'staff_link_tokens',
  {
    id: id(),
    businessId: businessId(),
    staffId: staffId(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('staff_link_tokens_staff').on(t.staffId)],
);

export const staffSessions = sqliteTable(
  'staff_sessions',
  {
    id: id(),
    businessId: businessId(),
    staffId: staffId(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Sliding idle limit, pushed forward (at most daily) while the session is used. */
    idleExpiresAt: integer('idle_expires_at').notNull(),
    /** Absolute limit from sign-in; never extended. */
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('staff_sessions_staff').on(t.staffId)],
);

/** One row per successful customer sign-in (sessions are deleted on sign-out; this stays). */
export const portalSignIns = sqliteTable(
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

export interface BulkSkipped {
  id: string;
  name: string;
}

/**
 * A large "Invite to Portal" selection, worked through in chunks by a worker. Each chunk's
 * invitations and the job's progress commit in one transaction, so a restart resumes exactly
 * where the last committed chunk ended and nobody is invited twice.
 */
export const bulkInvitationJobs = sqliteTable(
  'bulk_invitation_jobs',
  {
    id: id(),
    businessId: businessId(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] }).notNull().default('queued'),
    customerIds: text('customer_ids', { mode: 'json' }).$type<string[]>().notNull(),
    total: integer('total').notNull(),
    /** How many of customerIds (in order) are done. */
    processed: integer('processed').notNull().default(0),
    invited: integer('invited').notNull().default(0),
    skippedNoEmail: text('skipped_no_email', { mode: 'json' }).$type<BulkSkipped[]>().notNull().default([]),
    skippedDisabled: text('skipped_disabled', { mode: 'json' }).$type<BulkSkipped[]>().notNull().default([]),
    notFound: text('not_found', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** A worker's claim: no other worker takes the job before this time. */
    lockedUntil: integer('locked_until'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('bulk_invitation_jobs_due').on(t.status, t.createdAt), index('bulk_invitation_jobs_business').on(t.businessId, t.createdAt)],
);
