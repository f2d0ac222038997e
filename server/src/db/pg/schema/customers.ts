// Customers of a business: several emails (one primary), phone, addresses, external id for syncs.
// The PostgreSQL twin of db/schema/customers.ts.
import { boolean, customType, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PostalAddress } from '../../schema/customers';
import { businessId, createdAt, id, updatedAt } from './columns';

export type { PostalAddress };

/**
 * Text compared byte by byte (collation "C"), as SQLite compares text: customers list in the same
 * order on both databases whatever locale the PostgreSQL database was created with.
 */
const bytewiseText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

export const customers = pgTable(
  'customers',
  {
    id: id(),
    businessId: businessId(),
    externalId: text('external_id'),
    name: text('name').notNull(),
    /** Lower-cased name, for case-insensitive search that any SQL database can do the same way. */
    searchName: bytewiseText('search_name').notNull(),
    phone: text('phone'),
    addresses: jsonb('addresses').$type<PostalAddress[]>().notNull().default([]),
    disabled: boolean('disabled').notNull().default(false),
    stripeCustomerId: text('stripe_customer_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('customers_business_external').on(t.businessId, t.externalId),
    index('customers_business_name').on(t.businessId, t.searchName, t.id),
    // Stripe's payment_method.* events name only the Stripe customer.
    index('customers_stripe_customer').on(t.stripeCustomerId),
  ],
);

export const customerEmails = pgTable(
  'customer_emails',
  {
    id: id(),
    businessId: businessId(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** Stored lower-cased: addresses compare case-insensitively everywhere. */
    address: text('address').notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_emails_customer_address').on(t.customerId, t.address),
    index('customer_emails_business_address').on(t.businessId, t.address),
  ],
);
