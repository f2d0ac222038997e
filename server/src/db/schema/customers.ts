// Customers of a business: several emails (one primary), phone, addresses, external id for syncs.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { businessId, createdAt, id, updatedAt } from './columns';

export interface PostalAddress {
  label?: string | undefined;
  line1: string;
  line2?: string | undefined;
  city?: string | undefined;
  region?: string | undefined;
  postalCode?: string | undefined;
  country?: string | undefined;
}

export const customers = sqliteTable(
  'customers',
  {
    id: id(),
    businessId: businessId(),
    externalId: text('external_id'),
    name: text('name').notNull(),
    /** Lower-cased name, for case-insensitive search that any SQL database can do the same way. */
    searchName: text('search_name').notNull(),
    phone: text('phone'),
    addresses: text('addresses', { mode: 'json' }).$type<PostalAddress[]>().notNull().default([]),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
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

export const customerEmails = sqliteTable(
  'customer_emails',
  {
    id: id(),
    businessId: businessId(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** Stored lower-cased: addresses compare case-insensitively everywhere. */
    address: text('address').notNull(),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_emails_customer_address').on(t.customerId, t.address),
    index('customer_emails_business_address').on(t.businessId, t.address),
  ],
);
