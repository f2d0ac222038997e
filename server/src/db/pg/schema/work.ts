// What the business does for a customer: appointments (jobs), invoices and estimates.
// The PostgreSQL twin of db/schema/work.ts: money is integer minor units with an ISO currency;
// line items are kept whole with their document.
import { bigint, boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { EstimateOption, LineItem } from '../../schema/work';
import { businessId, createdAt, id, ms, updatedAt } from './columns';
import { customers } from './customers';

export type { EstimateOption, LineItem };

const customerId = () =>
  text('customer_id')
    .notNull()
    .references(() => customers.id, { onDelete: 'cascade' });

export const appointments = pgTable(
  'appointments',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    externalId: text('external_id'),
    startsAt: ms('starts_at').notNull(),
    endsAt: ms('ends_at'),
    /** The customer is told the technician arrives between startsAt and startsAt + this. */
    arrivalWindowMinutes: integer('arrival_window_minutes'),
    description: text('description').notNull(),
    address: text('address'),
    technicians: jsonb('technicians').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['scheduled', 'in_progress', 'completed', 'canceled'] })
      .notNull()
      .default('scheduled'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('appointments_business_external').on(t.businessId, t.externalId),
    // With the id, the order of a customer's list (starts_at, id) comes straight from the index, no sort.
    index('appointments_customer_start').on(t.businessId, t.customerId, t.startsAt, t.id),
    index('appointments_business_start').on(t.businessId, t.startsAt),
  ],
);

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    externalId: text('external_id'),
    number: text('number').notNull(),
    currency: text('currency').notNull(),
    lineItems: jsonb('line_items').$type<LineItem[]>().notNull(),
    // Minor units as bigint: an invoice total may pass 2^31 (21 million in a two-decimal currency).
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    taxAmount: bigint('tax_amount', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull(),
    amountPaid: bigint('amount_paid', { mode: 'number' }).notNull().default(0),
    /** Calendar date, `YYYY-MM-DD`. */
    dueDate: text('due_date'),
    status: text('status', { enum: ['draft', 'open', 'paid', 'void'] }).notNull().default('draft'),
    sentAt: ms('sent_at'),
    paidAt: ms('paid_at'),
    /**
     * Paid by the customer through the portal (Stripe Checkout, recorded by the Stripe webhook),
     * as opposed to marked paid by the business (admin API): what the console's overview counts.
     */
    paidThroughPortal: boolean('paid_through_portal').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('invoices_business_number').on(t.businessId, t.number),
    uniqueIndex('invoices_business_external').on(t.businessId, t.externalId),
    index('invoices_customer').on(t.businessId, t.customerId, t.status),
  ],
);

export const estimates = pgTable(
  'estimates',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    externalId: text('external_id'),
    number: text('number').notNull(),
    currency: text('currency').notNull(),
    options: jsonb('options').$type<EstimateOption[]>().notNull(),
    expiresAt: ms('expires_at'),
    status: text('status', { enum: ['open', 'approved', 'declined', 'expired', 'canceled'] })
      .notNull()
      .default('open'),
    approvedOptionId: text('approved_option_id'),
    declineReason: text('decline_reason'),
    decidedAt: ms('decided_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('estimates_business_number').on(t.businessId, t.number),
    uniqueIndex('estimates_business_external').on(t.businessId, t.externalId),
    index('estimates_customer').on(t.businessId, t.customerId, t.status),
  ],
);
