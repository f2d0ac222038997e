// Opens the SQLite file with the pragmas Doorstep's durability promises rest on, checks them, and
// applies the committed migrations.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** The pragmas read back after opening; start-up fails when any differs. */
export const REQUIRED_PRAGMAS = {
  journal_mode: 'wal',
  busy_timeout: 5000,
  foreign_keys: 1,
  synchronous: 2, // FULL
} as const;

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${REQUIRED_PRAGMAS.busy_timeout}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = FULL');
  // Deleted and overwritten content (erased email bodies carrying sign-in links) is zeroed on disk.
  sqlite.pragma('secure_delete = ON');
  checkPragmas(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder });
  return db;
}

export function readPragmas(sqlite: Database.Database): Record<keyof typeof REQUIRED_PRAGMAS, string | number> {
  const read = (name: string) => sqlite.pragma(name, { simple: true }) as string | number;
  return {
    journal_mode: read('journal_mode'),
    busy_timeout: read('busy_timeout'),
    foreign_keys: read('foreign_keys'),
    synchronous: read('synchronous'),
  };
}

function checkPragmas(sqlite: Database.Database): void {
  const actual = readPragmas(sqlite);
  for (const [name, want] of Object.entries(REQUIRED_PRAGMAS)) {
    const got = actual[name as keyof typeof REQUIRED_PRAGMAS];
    if (got !== want) {
      sqlite.close();
      throw new Error(`SQLite pragma ${name} is ${String(got)}, Doorstep requires ${want}`);
    }
  }
}
