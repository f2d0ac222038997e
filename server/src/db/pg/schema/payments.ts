// The customers' cards on file as Stripe last told us (SPEC §3.3). The PostgreSQL twin of
// db/schema/payments.ts, which explains the columns.
import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { businessId, createdAt, ms, updatedAt } from './columns';
import { customers } from './customers';

export const paymentMethods = pgTable(
  'payment_methods',
  {
    businessId: businessId(),
    /** Stripe's payment method id (`pm_…`). */
    id: text('id').notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The Stripe customer it is attached to. */
    stripeCustomerId: text('stripe_customer_id').notNull(),
    /** Null until Stripe has described the card (a default named before the card's own event). */
    brand: text('brand'),
    last4: text('last4'),
    expMonth: integer('exp_month'),
    expYear: integer('exp_year'),
    /** Stripe's time (ms) of what the card columns say: an older report never overwrites a newer one. */
    cardAsOf: ms('card_as_of').notNull().default(0),
    /** Set once detached, for good: Stripe never attaches a detached payment method again. */
    detachedAt: ms('detached_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    // A customer's cards: the list and the ownership check.
    index('payment_methods_customer').on(t.businessId, t.customerId),
  ],
);

/** The default payment method of each customer's Stripe customer; db/schema/payments.ts says why it is kept apart from the cards. */
export const stripeCustomerDefaults = pgTable(
  'stripe_customer_defaults',
  {
    businessId: businessId(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    /** Null when the Stripe customer has no default. */
    paymentMethodId: text('payment_method_id'),
    asOf: ms('as_of').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.customerId] })],
);
