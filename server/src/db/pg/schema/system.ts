// Infrastructure shared by every process: the email outbox, rate-limit counters and the ids of
// webhook events already processed. The PostgreSQL twin of db/schema/system.ts.
import { index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { businesses } from './businesses';
import { createdAt, id, ms } from './columns';

export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: id(),
    businessId: text('business_id').references(() => businesses.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    to: text('to_address').notNull(),
    subject: text('subject').notNull(),
    /** Erased once delivered by a real provider, so no link token outlives the send. */
    html: text('html'),
    text: text('text'),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    /** A worker's claim: no other worker takes the row before this time. */
    lockedUntil: ms('locked_until'),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    sentAt: ms('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [index('email_outbox_due').on(t.status, t.nextAttemptAt)],
);

export const rateLimits = pgTable(
  'rate_limits',
  {
    /** What is limited, e.g. `login:acme:jo@example.com:60`. */
    key: text('key').notNull(),
    windowStart: ms('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const processedEvents = pgTable('processed_events', {
  id: text('id').primaryKey(),
  source: text('source').notNull(),
  processedAt: ms('processed_at').notNull(),
});

/** Development only: the mail the dev transport "delivered", playing the customers' inboxes. */
export const devMailbox = pgTable(
  'dev_mailbox',
  {
    id: id(),
    outboxId: text('outbox_id').notNull(),
    to: text('to_address').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('dev_mailbox_created').on(t.createdAt), uniqueIndex('dev_mailbox_outbox').on(t.outboxId)],
);
