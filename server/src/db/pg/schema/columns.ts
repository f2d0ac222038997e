// Column helpers shared by every table, as in the SQLite schema: application-generated text ids,
// epoch-millisecond times (bigint read back as a JS number: milliseconds fit in 2^53), and the
// business id that scopes every tenant-owned row.
import { bigint, text } from 'drizzle-orm/pg-core';
import { businesses } from './businesses';

/** An epoch-millisecond time. */
export const ms = (name: string) => bigint(name, { mode: 'number' });

export const id = () => text('id').primaryKey();
export const createdAt = () => ms('created_at').notNull();
export const updatedAt = () => ms('updated_at').notNull();
export const businessId = () =>
  text('business_id')
    .notNull()
    .references(() => businesses.id, { onDelete: 'cascade' });
