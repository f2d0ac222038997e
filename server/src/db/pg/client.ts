// Connects to PostgreSQL and applies the committed migrations (server/src/db/pg/migrations).
//
// node-postgres (`pg`) through drizzle's node-postgres driver: it is drizzle's most used and tested
// PostgreSQL path, it pools connections, and its errors carry the SQLSTATE code (`error.code`) that
// the store's retry of serialization failures and its unique-violation checks rest on.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as schema from './schema';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface PgOptions {
  /** Most connections the pool opens (default 10). */
  max?: number | undefined;
  /** Reports errors of idle pooled connections (e.g. the server restarted); they are replaced on next use. */
  onIdleError?: ((error: Error) => void) | undefined;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * The advisory lock held while migrating. drizzle's migrator reads the last applied migration and
 * then applies the newer ones without a lock of its own, so two processes starting together would
 * both try to create the same tables; under this lock the second waits and then finds nothing to do.
 */
export const MIGRATION_LOCK = 0x646f6f72; // "door"

export async function openPg(url: string, options: PgOptions = {}): Promise<PgDb> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: 'doorstep',
    // An unreachable server fails start-up (and a request waiting for a free connection) instead of hanging.
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', options.onIdleError ?? ((error) => console.error(`PostgreSQL connection lost: ${error.message}`)));
  try {
    await migrateLocked(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return drizzle(pool, { schema }) as PgDb;
}

async function migrateLocked(pool: pg.Pool): Promise<void> {
  // The lock belongs to the session, so the migration runs on the one connection holding it.
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed mid-migration is discarded rather than handed to the pool.
    client.release(broken);
  }
}
