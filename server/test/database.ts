// The database under test: a fresh SQLite file, or, when the suite runs against PostgreSQL
// (`DOORSTEP_TEST_STORE=postgres`, set by the `postgres` vitest project), a fresh database cloned
// from the migrated template that server/test/postgres-setup.ts prepares once per run.
//
// Tests look at what the database holds through `query`, plain SQL with `?` placeholders that
// runs on either database, so one assertion checks both stores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Table } from 'drizzle-orm';
import * as schema from '../src/db/schema';
import { SqliteStore } from '../src/store/sqlite';
import { insertWebhookEvents } from '../src/store/sqlite/webhooks';
import type { Store } from '../src/store/types';
import type { NewWebhookEvent } from '../src/store/webhook-events';

export type Dialect = 'sqlite' | 'postgres';

type Tables = { [K in keyof typeof schema as (typeof schema)[K] extends Table ? K : never]: (typeof schema)[K] };
/** A table by its schema name, e.g. `webhookDeliveries`: the same name in both dialects' schemas. */
export type TableName = keyof Tables;
export type Row<K extends TableName> = Tables[K]['$inferSelect'];

export const testDialect: Dialect = process.env.DOORSTEP_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The template database the `postgres` project's global setup migrated; cloned per test database. */
function postgresTemplate(): string {
  const name = process.env.DOORSTEP_TEST_TEMPLATE;
  if (!name) throw new Error('no template database: run the PostgreSQL tests through the `postgres` vitest project');
  return name;
}

export interface TestDatabase {
  dialect: Dialect;
  store: Store;
  /** A folder removed with the database, for whatever else a test writes. */
  dir: string;
  /** The SQLite file; undefined on PostgreSQL. */
  dbPath: string | undefined;
  /** The environment a server process needs to open this same database. */
  serverEnv: Record<string, string>;
  /** Plain SQL with `?` placeholders; integer columns come back as numbers, booleans as 0/1 on SQLite and true/false on PostgreSQL. */
  query<T = Record<string, any>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Every row of a table, typed as the store's rows are (camelCase fields), in no particular order. */
  rowsOf<K extends TableName>(table: K): Promise<Row<K>[]>;
  /** Another store on the same database, as a second process would open it. Closed with the database. */
  openStore(): Promise<Store>;
  /**
   * Queues outgoing webhook events in one transaction, as a change announcing them would; with
   * `thenFail` the transaction throws it after queuing, as a change that fails midway would.
   */
  queueWebhookEvents(businessId: string, events: NewWebhookEvent[], now: number, thenFail?: Error): Promise<void>;
  close(): Promise<void>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'doorstep-test-'));
}

export async function createTestDatabase(dialect: Dialect = testDialect): Promise<TestDatabase> {
  return dialect === 'postgres' ? createPostgresDatabase() : createSqliteDatabase();
}

function createSqliteDatabase(): TestDatabase {
  const dir = tempDir();
  const dbPath = join(dir, 'doorstep.db');
  const store = SqliteStore.open(dbPath);
  const others: SqliteStore[] = [];
  return {
    dialect: 'sqlite',
    store,
    dir,
    dbPath,
    serverEnv: { DATABASE_PATH: dbPath },
    query(sql, ...params) {
      const statement = store.db.$client.prepare(sql);
      if (!statement.reader) {
        statement.run(...params);
        return Promise.resolve([]);
      }
      return Promise.resolve(statement.all(...params) as any[]);
    },
    rowsOf(table) {
      return Promise.resolve(store.db.select().from(schema[table] as any).all() as any[]);
    },
    openStore() {
      const other = SqliteStore.open(dbPath);
      others.push(other);
      return Promise.resolve(other);
    },
    queueWebhookEvents(businessId, events, now, thenFail) {
      try {
        store.db.transaction((tx) => {
          insertWebhookEvents(tx, businessId, events, now);
          if (thenFail) throw thenFail;
        });
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    close() {
      for (const s of [...others, store]) s.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('DOORSTEP_TEST_STORE=postgres needs TEST_DATABASE_URL (a PostgreSQL server the tests may create databases on)');
  return url;
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `?` placeholders to PostgreSQL's `$1, $2…` (the tests' SQL has no `?` inside literals). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

async function createPostgresDatabase(): Promise<TestDatabase> {
  const { PgStore } = await import('../src/store/pg');
  const pgWebhooks = await import('../src/store/pg/webhooks');
  const { write } = await import('../src/store/pg/tx');
  const pgSchema = await import('../src/db/pg/schema');
  const serverUrl = postgresUrl();
  const name = `doorstep_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name} template ${postgresTemplate()}`);
  const url = databaseUrl(serverUrl, name);
  const store = await PgStore.connect(url);
  const client = new pg.Pool({ connectionString: url, max: 2 });
  // `close` drops the database with (force): a connection still closing then hears "terminating
  // connection due to administrator command", which is expected, not a failure of the test.
  client.on('error', () => {});
  const others: Store[] = [];
  const dir = tempDir();
  return {
    dialect: 'postgres',
    store,
    dir,
    dbPath: undefined,
    serverEnv: { DATABASE_URL: url },
    async query(sql, ...params) {
      const result = await client.query(numbered(sql), params);
      const int8 = result.fields.filter((f) => f.dataTypeID === 20 || f.dataTypeID === 1700).map((f) => f.name);
      if (int8.length === 0) return result.rows;
      return result.rows.map((row) => {
        for (const column of int8) if (row[column] !== null) row[column] = Number(row[column]);
        return row;
      });
    },
    async rowsOf(table) {
      return (await store.db.select().from(pgSchema[table] as any)) as any[];
    },
    async openStore() {
      const other = await PgStore.connect(url);
      others.push(other);
      return other;
    },
    async queueWebhookEvents(businessId, events, now, thenFail) {
      await write(store.db, async (tx) => {
        await pgWebhooks.insertWebhookEvents(tx, businessId, events, now);
        if (thenFail) throw thenFail;
      });
    },
    async close() {
      for (const s of [...others, store]) await s.close();
      await client.end();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one statement on the server's maintenance database (create/drop database…). */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Puts an email straight into the outbox, due at `at`, as a service would have queued it. */
export async function queueTestEmail(
  db: Pick<TestDatabase, 'query'>,
  email: { id: string; to: string; subject: string; html: string; text: string; kind?: string; at: number },
): Promise<void> {
  await db.query(
    'insert into email_outbox (id, business_id, kind, to_address, subject, html, text, next_attempt_at, created_at) values (?, null, ?, ?, ?, ?, ?, ?, ?)',
    email.id,
    email.kind ?? 'login_link',
    email.to,
    email.subject,
    email.html,
    email.text,
    email.at,
    email.at,
  );
}
