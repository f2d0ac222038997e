// What the business does for a customer: appointments (jobs), invoices and estimates.
// Money is integer minor units with an ISO currency; line items are kept whole with their document.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { businessId, createdAt, id, updatedAt } from './columns';
import { customers } from './customers';

export interface LineItem {
  description: string;
  quantity: number;
  unitAmount: number;
  /** quantity × unitAmount, rounded to a whole minor unit. */
  amount: number;
}

export interface EstimateOption {
  id: string;
  name: string;
  description?: string | undefined;
  lineItems: LineItem[];
  subtotal: number;
  taxAmount: number;
  total: number;
}

const customerId = () =>
  text('customer_id')
    .notNull()
    .references(() => customers.id, { onDelete: 'cascade' });

export const appointments = sqliteTable(
  'appointments',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    externalId: text('external_id'),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at'),
    /** The customer is told the technician arrives between startsAt and startsAt + this. */
    arrivalWindowMinutes: integer('arrival_window_minutes'),
    description: text('description').notNull(),
    address: text('address'),
    technicians: text('technicians', { mode: 'json' }).$type<string[]>().notNull().default([]),
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

export const invoices = sqliteTable(
  'invoices',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    externalId: text('external_id'),
    number: text('number').notNull(),
    currency: text('currency').notNull(),
    lineItems: text('line_items', { mode: 'json' }).$type<LineItem[]>().notNull(),
    subtotal: integer('subtotal').notNull(),
    taxAmount: integer('tax_amount').notNull().default(0),
    total: integer('total').notNull(),
    amountPaid: integer('amount_paid').notNull().default(0),
    /** Calendar date, `YYYY-MM-DD`. */
    dueDate: text('due_date'),
    status: text('status', { enum: ['draft', 'open', 'paid', 'void'] }).notNull().default('draft'),
    sentAt: integer('sent_at'),
    paidAt: integer('paid_at'),
    /**
     * Paid by the customer through the portal (Stripe Checkout, recorded by the Stripe webhook),
     * as opposed to marked paid by the business (admin API): what the console's overview counts.
     */
    paidThroughPortal: integer('paid_through_portal', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('invoices_business_number').on(t.businessId, t.number),
    uniqueIndex('invoices_business_external').on(t.businessId, t.externalId),
    index('invoices_customer').on(t.businessId, t.customerId, t.status),
  ],
);

export const estimates = sqliteTable(
  'estimates',
  {
    id: id(),
    businessId: businessId(),
    customerId: customerId(),
    externalId: text('external_id'),
    number: text('number').notNull(),
    currency: text('currency').notNull(),
    options: text('options', { mode: 'json' }).$type<EstimateOption[]>().notNull(),
    expiresAt: integer('expires_at'),
    status: text('status', { enum: ['open', 'approved', 'declined', 'expired', 'canceled'] })
      .notNull()
      .default('open'),
    approvedOptionId: text('approved_option_id'),
    declineReason: text('decline_reason'),
    decidedAt: integer('decided_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('estimates_business_number').on(t.businessId, t.number),
    uniqueIndex('estimates_business_external').on(t.businessId, t.externalId),
    index('estimates_customer').on(t.businessId, t.customerId, t.status),
  ],
);
