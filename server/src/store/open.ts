// Opens the store the environment names: PostgreSQL when DATABASE_URL is set (SPEC §8), otherwise
// the SQLite file at DATABASE_PATH. Both are migrated on opening.
import type { Env } from '../env';
import { PgStore } from './pg';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

export interface OpenedStore {
  store: Store;
  /** Which database, for the start-up log: never the password a URL may carry. */
  description: string;
}

export async function openStore(env: Pick<Env, 'DATABASE_URL' | 'DATABASE_PATH'>): Promise<OpenedStore> {
  if (env.DATABASE_URL) {
    return { store: await PgStore.connect(env.DATABASE_URL), description: `PostgreSQL ${describePostgresUrl(env.DATABASE_URL)}` };
  }
  return { store: SqliteStore.open(env.DATABASE_PATH), description: `SQLite ${env.DATABASE_PATH}` };
}

/** `host:port/database` of a PostgreSQL URL, without user or password. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host || 'localhost'}${parsed.pathname || '/'}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
