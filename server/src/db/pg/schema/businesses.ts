// Businesses (tenants) with their branding and portal settings, their staff, and admin API keys.
// The PostgreSQL twin of db/schema/businesses.ts: same tables, columns, indexes and row types.
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ms } from './columns';

export const businesses = pgTable('businesses', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  logoUrl: text('logo_url'),
  phone: text('phone'),
  email: text('email'),
  address: text('address'),
  brandColor: text('brand_color').notNull().default('#0f766e'),
  portalUrl: text('portal_url'),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default([]),
  notificationEmail: text('notification_email'),
  language: text('language', { enum: ['en', 'es'] }).notNull().default('en'),
  inviteLinkTtlDays: integer('invite_link_ttl_days').notNull().default(7),
  loginLinkTtlMinutes: integer('login_link_ttl_minutes').notNull().default(60),
  autoInvite: boolean('auto_invite').notNull().default(false),
  messagingEnabled: boolean('messaging_enabled').notNull().default(false),
  paymentsEnabled: boolean('payments_enabled').notNull().default(false),
  stripeAccountId: text('stripe_account_id'),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const staff = pgTable(
  'staff',
  {
    id: text('id').primaryKey(),
    businessId: text('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name'),
    role: text('role', { enum: ['owner', 'staff'] }).notNull().default('staff'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [uniqueIndex('staff_business_email').on(t.businessId, t.email)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    businessId: text('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    /** The public, non-secret start of the key, e.g. `dsk_4f9a1c2b`: shown in lists, used to revoke. */
    prefix: text('prefix').notNull().unique(),
    /** SHA-256 (hex) of the whole key; the key itself is shown once and never stored. */
    hash: text('hash').notNull().unique(),
    name: text('name'),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('api_keys_business').on(t.businessId)],
);
