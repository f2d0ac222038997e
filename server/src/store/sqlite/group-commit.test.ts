import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/database';
import { GroupCommit } from './group-commit';

// Real SQLite files, opened as the store opens them (WAL, synchronous=FULL), and a second
// connection that plays another process: it sees only what is committed.
let dir: string;
let file: string;
const opened: Database.Database[] = [];

function connect(): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  opened.push(db);
  return db;
}

beforeEach(() => {
  dir = tempDir();
  file = join(dir, 'group.db');
  connect().exec(`
    create table jobs (id text primary key, note text not null);
    create table parents (id text primary key);
    create table children (id text primary key, parent_id text not null references parents (id) deferrable initially deferred);
  `);
});

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A store-like writer: each write is a better-sqlite3 transaction run through the group. */
function writer(db = connect()) {
  const commits = new GroupCommit(db);
  const insert = db.prepare('insert into jobs (id, note) values (?, ?)');
  return {
    db,
    commits,
    add: (id: string, note = 'ok') => commits.run(() => db.transaction(() => insert.run(id, note).changes).immediate()),
    write: <T>(fn: () => T) => commits.run(() => db.transaction(fn).immediate()),
  };
}

const ids = (db: Database.Database) => (db.prepare('select id from jobs order by id').all() as { id: string }[]).map((r) => r.id);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('commits the writes of one turn together, and resolves each only once they are on disk', async () => {
    const w = writer();
    const other = connect();
    const pending = ['a', 'b', 'c'].map((id) => w.add(id));
    // Still this turn: the writes ran (the writer's own connection reads them) but nothing is committed.
    expect(ids(w.db)).toEqual(['a', 'b', 'c']);
    expect(ids(other)).toEqual([]);
    let resolved = 0;
    for (const p of pending) void p.then(() => resolved++);
    await Promise.resolve();
    expect(resolved).toBe(0);

    expect(await Promise.all(pending)).toEqual([1, 1, 1]);
    expect(ids(other)).toEqual(['a', 'b', 'c']);
    // A crash now loses nothing: the file alone, reopened, holds every resolved write.
    w.db.close();
    expect(ids(connect())).toEqual(['a', 'b', 'c']);
  });

  it('starts a new group in the next turn', async () => {
    const w = writer();
    const other = connect();
    await w.add('a');
    const b = w.add('b');
    expect(ids(other)).toEqual(['a']);
    await b;
    expect(ids(other)).toEqual(['a', 'b']);
  });

  it('rolls back a failing write alone; the others of its group are committed', async () => {
    const w = writer();
    const insert = w.db.prepare('insert into jobs (id, note) values (?, ?)');
    const a = w.add('a');
    const failing = w.write(() => {
      insert.run('b', 'half done');
      throw new Error('the write changed its mind');
    });
    const duplicate = w.add('a'); // a constraint error from SQLite itself
    const c = w.add('c');
    await expect(failing).rejects.toThrow('the write changed its mind');
    await expect(duplicate).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await Promise.all([a, c])).toEqual([1, 1]);
    expect(ids(connect())).toEqual(['a', 'c']);
  });

  it('fails every write of a group whose COMMIT fails, and commits none of them', async () => {
    const w = writer();
    const a = w.add('a');
    // A deferred foreign key is checked at COMMIT: this orphan makes the whole COMMIT fail.
    const orphan = w.write(() => w.db.prepare(`insert into children (id, parent_id) values ('k', 'nobody')`).run());
    const settled = w.commits.settled();
    await expect(a).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    await expect(orphan).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    await expect(settled).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(w.db.inTransaction).toBe(false);
    expect(ids(connect())).toEqual([]);
    // The connection goes on: the next group commits.
    expect(await w.add('b')).toBe(1);
    expect(ids(connect())).toEqual(['b']);
  });

  it('fails the earlier writes of a group when an error makes SQLite roll back the whole transaction', async () => {
    const w = writer();
    const a = w.add('a');
    const fatal = w.write(() => {
      // What SQLite does by itself on a full disk or an I/O error.
      w.db.prepare('rollback').run();
      throw new Error('disk I/O error');
    });
    await expect(fatal).rejects.toThrow('disk I/O error');
    await expect(a).rejects.toThrow('disk I/O error'); // the error that undid its write too
    // Later writes start a group of their own.
    expect(await w.add('b')).toBe(1);
    expect(ids(connect())).toEqual(['b']);
  });

  it('settled() waits for the open group, and answers at once when there is none', async () => {
    const w = writer();
    const other = connect();
    await w.commits.settled();
    void w.add('a');
    await w.commits.settled();
    expect(ids(other)).toEqual(['a']);
  });

  it('commits another connection’s open group before writing, instead of waiting for its lock', async () => {
    const first = writer();
    const second = writer();
    const started = Date.now();
    const a = first.add('a');
    const b = second.add('b'); // would wait busy_timeout (5 s) for the first group's lock
    expect(ids(connect())).toEqual(['a']);
    await Promise.all([a, b]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ids(connect())).toEqual(['a', 'b']);
  });

  it('answers a write with a rejected promise when another process holds the lock past busy_timeout', async () => {
    const otherProcess = connect();
    otherProcess.prepare('begin immediate').run();
    const w = writer();
    w.db.pragma('busy_timeout = 50');
    const write = w.add('a'); // returns, does not throw
    await expect(write).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    otherProcess.prepare('commit').run();
    expect(await w.add('b')).toBe(1);
    expect(ids(connect())).toEqual(['b']);
  });

  it('commits each write on its own while work runs outside transactions (an online backup)', async () => {
    const w = writer();
    const other = connect();
    const pendingBefore = w.add('a');
    const during: string[][] = [];
    await w.commits.outsideTransactions(async () => {
      during.push(ids(other)); // the open group was committed first
      void w.add('b');
      during.push(ids(other)); // committed as soon as it ran
      await nextTurn();
    });
    await pendingBefore;
    expect(during).toEqual([['a'], ['a', 'b']]);
    void w.add('c');
    expect(ids(other)).toEqual(['a', 'b']);
    await w.commits.settled();
    expect(ids(other)).toEqual(['a', 'b', 'c']);
  });

  it('flush() commits the open group at once, e.g. before the connection closes', async () => {
    const w = writer();
    const a = w.add('a');
    w.commits.flush();
    w.db.close();
    expect(await a).toBe(1);
    expect(ids(connect())).toEqual(['a']);
  });
});
