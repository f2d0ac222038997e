// Column helpers shared by every table: application-generated text ids, epoch-millisecond times,
// and the business id that scopes every tenant-owned row.
import { integer, text } from 'drizzle-orm/sqlite-core';
import { businesses } from './businesses';

export const id = () => text('id').primaryKey();
export const createdAt = () => integer('created_at').notNull();
export const updatedAt = () => integer('updated_at').notNull();
export const businessId = () =>
  text('business_id')
    .notNull()
    .references(() => businesses.id, { onDelete: 'cascade' });
