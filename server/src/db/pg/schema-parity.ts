// Compile-time check that every PostgreSQL table reads and writes the same row types as its SQLite
// twin: the Store interface derives its types from the SQLite schema, and both stores must satisfy
// it. A table or column added to one schema and not the other fails `tsc` here.
import type * as lite from '../schema';
import type * as pg from './schema';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
type Table = { $inferSelect: unknown; $inferInsert: unknown };
type TableNames<S> = { [K in keyof S]: S[K] extends Table ? K : never }[keyof S];
type Lite = typeof lite;
type Pg = typeof pg;

export type SameTables = Check<Same<TableNames<Lite>, TableNames<Pg>>>;

/** Each table's name maps to true when its select and insert types match; the failing ones show up by name. */
type Matches = {
  [K in TableNames<Lite> & TableNames<Pg>]: Same<Lite[K]['$inferSelect'], Pg[K]['$inferSelect']> extends true
    ? Same<Lite[K]['$inferInsert'], Pg[K]['$inferInsert']>
    : false;
};
type Mismatched = { [K in keyof Matches]: Matches[K] extends true ? never : K }[keyof Matches];
export type SameRows = Check<Same<Mismatched, never>>;
