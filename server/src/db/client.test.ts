// D1: the durability pragmas read back exactly; migrations apply to an empty file and reopening is a no-op.
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/harness';
import { openDatabase, readPragmas } from './client';

const EXPECTED_TABLES = [
  'businesses',
  'staff',
  'api_keys',
  'customers',
  'customer_emails',
  'appointments',
  'invoices',
  'estimates',
  'messages',
  'message_replies',
  'link_tokens',
  'invitations',
  'sessions',
  'email_outbox',
  'rate_limits',
  'processed_events',
];

const dirs: string[] = [];
const opened: Database.Database[] = [];

function freshPath(name = 'doorstep.db'): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir, name);
}

function open(path: string) {
  const db = openDatabase(path);
  opened.push(db.$client);
  return db;
}

function tables(sqlite: Database.Database): string[] {
  return (sqlite.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name);
}

function migrationRows(sqlite: Database.Database): number {
  return (sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
}

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('sets the durability pragmas, read back exactly', () => {
    const db = open(freshPath());
    const pragmas = readPragmas(db.$client);
    expect(pragmas.journal_mode).toBe('wal');
    expect(pragmas.busy_timeout).toBeGreaterThanOrEqual(5000);
    expect(pragmas.foreign_keys).toBe(1);
    expect(pragmas.synchronous).toBe(2); // FULL
  });

  it('refuses to start when a pragma cannot be honoured (an in-memory database has no WAL)', () => {
    expect(() => openDatabase(':memory:')).toThrow(/journal_mode is memory, Doorstep requires wal/);
  });

  it('leaves the file in WAL mode for every later connection', () => {
    const path = freshPath();
    open(path).$client.close();
    const other = new Database(path, { readonly: true });
    opened.push(other);
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('creates the parent directory of a new database file', () => {
    const path = join(freshPath('nested'), 'deeper', 'doorstep.db');
    const db = open(path);
    expect(existsSync(path)).toBe(true);
    expect(tables(db.$client)).toContain('businesses');
  });

  it('applies the migrations to an empty file', () => {
    const db = open(freshPath());
    const names = tables(db.$client);
    for (const table of EXPECTED_TABLES) expect(names, `table ${table}`).toContain(table);
    expect(migrationRows(db.$client)).toBeGreaterThanOrEqual(1);
    // The schema enforces its foreign keys: a staff row needs its business.
    expect(() =>
      db.$client.prepare(`insert into staff (id, business_id, email, role, created_at) values ('stf_x', 'nope', 'a@b.c', 'staff', 0)`).run(),
    ).toThrow(/FOREIGN KEY/);
    expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('reopening the same file is a no-op: no new migrations, earlier data kept', () => {
    const path = freshPath();
    const first = open(path);
    const before = migrationRows(first.$client);
    const schemaBefore = first.$client.prepare('select type, name, sql from sqlite_master order by name').all();
    first.$client
      .prepare(`insert into businesses (id, name, created_at, updated_at) values ('acme', 'Acme Plumbing', 1, 1)`)
      .run();
    first.$client.close();

    const second = open(path);
    expect(migrationRows(second.$client)).toBe(before);
    expect(second.$client.prepare('select type, name, sql from sqlite_master order by name').all()).toEqual(schemaBefore);
    expect(second.$client.prepare('select id, name from businesses').all()).toEqual([{ id: 'acme', name: 'Acme Plumbing' }]);
    expect(readPragmas(second.$client)).toMatchObject({ journal_mode: 'wal', foreign_keys: 1, synchronous: 2 });
  });
});
