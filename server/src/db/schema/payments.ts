// The customers' cards on file as Stripe last told us (SPEC §3.3): from its webhooks, from our own
// calls and from listing a customer's cards. Whether a card belongs to a customer is decided here,
// so an id that is not theirs is refused without asking Stripe (SECURITY P4).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { businessId, createdAt, updatedAt } from './columns';
import { customers } from './customers';

export const paymentMethods = sqliteTable(
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
    /**
     * Stripe's time (ms) of what the card columns say: events arrive in any order, and an older
     * report never overwrites a newer one. Whether the card is the default is not kept here: see
     * stripeCustomerDefaults.
     */
    cardAsOf: integer('card_as_of').notNull().default(0),
    /** Set once detached, for good: Stripe never attaches a detached payment method again. */
    detachedAt: integer('detached_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.id] }),
    // A customer's cards: the list and the ownership check.
    index('payment_methods_customer').on(t.businessId, t.customerId),
  ],
);

/**
 * The default payment method of each customer's Stripe customer (`invoice_settings.default_payment_method`),
 * as Stripe last told us. It is a fact about the Stripe customer, not about any one card, so it is
 * kept once per customer, and a card is the default exactly when its id is the one named here. Kept
 * on a card's row instead, a change of default would have nowhere to go while the customer has no
 * card rows yet, and a default cleared before its card's own events arrived would be lost. A row of
 * its own rather than columns on `customers` keeps Stripe's state out of the customer rows that the
 * rest of the product reads and presents.
 */
export const stripeCustomerDefaults = sqliteTable(
  'stripe_customer_defaults',
  {
    businessId: businessId(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The Stripe customer the default belongs to: it applies only to cards attached to it. */
    stripeCustomerId: text('stripe_customer_id').notNull(),
    /** Null when the Stripe customer has no default. May be another kind of payment method than a card. */
    paymentMethodId: text('payment_method_id'),
    /** Stripe's time (ms) of what `payment_method_id` says: an older report never overwrites a newer one. */
    asOf: integer('as_of').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.customerId] })],
);
