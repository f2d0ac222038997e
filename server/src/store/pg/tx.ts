// Transactions on PostgreSQL. Every write runs SERIALIZABLE: PostgreSQL then guarantees that the
// committed transactions behave as if run one at a time, which is what the SQLite store gets from
// `BEGIN IMMEDIATE`, so read-then-write logic ports as it is. The price is that a transaction may
// be refused (40001) or chosen as a deadlock victim (40P01) and must be run again from the start.
import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { PgDb } from '../../db/pg/client';

/** A drizzle transaction on the PostgreSQL database (asynchronous callbacks). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/**
 * A transaction refused this many times fails with PostgreSQL's last error. Only writers piling
 * onto one row get near it: 100 concurrent login links for one customer, from four pools of ten
 * connections, all commit within about 1.5 s.
 */
export const MAX_ATTEMPTS = 20;

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * The database's own error behind drizzle's wrapper. drizzle's message repeats the query with its
 * parameters (an email body with its sign-in link, say), which must not reach a log (SECURITY L1).
 */
export function databaseError(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause ? error.cause : error;
}

/** The SQLSTATE code of a failed query, e.g. `23505`. */
export function sqlState(error: unknown): string | undefined {
  const cause = databaseError(error);
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A serialization failure or deadlock: nothing was written, and running the transaction again may succeed. */
export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && RETRYABLE.has(code);
}

/** PostgreSQL's unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `read committed` is for queue claims only: there the row locks of `FOR UPDATE SKIP LOCKED` keep
 * two workers off one row, while under SERIALIZABLE two claimers scanning the same queue conflict
 * (each reads rows the other locks and writes) and one of them would be refused and run again.
 */
export type Isolation = 'serializable' | 'read committed';

/**
 * Runs `fn` in one SERIALIZABLE transaction, committed when the promise resolves. A transaction
 * PostgreSQL refuses is run again (the whole of `fn`: it must have no effect outside the database
 * before it returns), after a short jittered pause so that colliding writers spread out.
 */
export async function write<T>(db: PgDb, fn: (tx: PgTx) => Promise<T>, isolation: Isolation = 'serializable'): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn, { isolationLevel: isolation });
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw databaseError(error);
      // 2, 4, 8… ms (at most 250), with full jitter.
      await pause(Math.random() * Math.min(250, 2 ** attempt));
    }
  }
}
