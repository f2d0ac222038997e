// How customers get in: single-use link tokens, the invitations that carried some of them, and
// sessions. Tokens are stored only as SHA-256 hashes. The PostgreSQL twin of db/schema/auth.ts.
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { businessId, createdAt, id, ms } from './columns';
import { customers } from './customers';

const customerId = () =>
  text('customer_id')
    .notNull()
    .references(() => customers.id, { onDelete: 'cascade' });

export const linkTokens = pgTable(
  'link_tokens',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    tokenHash: text('token_hash').notNull().unique(),
    kind: text('kind', { enum: ['invitation', 'login', 'invoice'] }).notNull(),
    /** The address the link was emailed to: where a fresh link goes when this one has expired. */
    email: text('email').notNull(),
    /** Where the portal opens after sign-in, e.g. an invoice id; never a URL. */
    landing: text('landing'),
    expiresAt: ms('expires_at').notNull(),
    usedAt: ms('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('link_tokens_customer').on(t.businessId, t.customerId, t.kind)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    linkTokenId: text('link_token_id').references(() => linkTokens.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    source: text('source', { enum: ['single', 'bulk', 'auto'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_customer').on(t.businessId, t.customerId, t.createdAt)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastSeenAt: ms('last_seen_at').notNull(),
    /** Sliding idle limit, pushed forward (at most daily) while the session is used. */
    idleExpiresAt: ms('idle_expires_at').notNull(),
    /** Absolute limit from sign-in; never extended. */
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('sessions_customer').on(t.businessId, t.customerId)],
);
