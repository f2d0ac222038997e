// Messages a customer sends the business (appointment requests and changes) and staff replies.
// The PostgreSQL twin of db/schema/messages.ts.
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { staff } from './businesses';
import { businessId, createdAt, id } from './columns';
import { customers } from './customers';
import { appointments } from './work';

export const messages = pgTable(
  'messages',
  {
    id: id(),
    businessId: businessId(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['new_appointment', 'reschedule', 'cancel', 'other'] }).notNull(),
    body: text('body').notNull(),
    appointmentId: text('appointment_id').references(() => appointments.id, { onDelete: 'set null' }),
    preferredTimes: jsonb('preferred_times').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_business_created').on(t.businessId, t.createdAt),
    index('messages_customer_created').on(t.businessId, t.customerId, t.createdAt),
  ],
);

export const messageReplies = pgTable(
  'message_replies',
  {
    id: id(),
    businessId: businessId(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    staffId: text('staff_id').references(() => staff.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('message_replies_message').on(t.messageId, t.createdAt)],
);
