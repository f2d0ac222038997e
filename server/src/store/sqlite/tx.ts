import type { Db } from '../../db/client';

/** A drizzle transaction on the SQLite database: callbacks are synchronous (better-sqlite3). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
