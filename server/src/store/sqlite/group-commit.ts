// Group commit for the SQLite store. With `synchronous = FULL` (SECURITY D1) every COMMIT waits for
// the disk, and a write request spent most of its time there: one fsync each, one after another on
// the event loop (bench/api.ts). Writes that arrive in the same turn of the event loop now share one
// transaction and one COMMIT at the end of the turn. Each write runs in a savepoint of its own, so
// one that fails rolls back alone, and its promise settles only once the shared COMMIT has returned:
// a resolved write is on disk, as before (SECURITY D2). A COMMIT that fails fails every write in it.
//
// Reads on the connection see writes of the open group before they are committed; `settled()` lets
// whoever answers for a read wait for them (the HTTP layer does, for every response).
import type Database from 'better-sqlite3';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface Group {
  waiters: Waiter[];
  /** Settled: committed, or rolled back and its writes failed. */
  closed: boolean;
}

/**
 * The groups open in this process. Another connection to the same file (a second store in tests, a
 * tool) would wait for the lock a group holds, and the wait would block the very event loop that is
 * to commit it: a connection about to write commits the others' groups first.
 */
const openGroups = new Set<GroupCommit>();

export class GroupCommit {
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private group: Group | undefined;
  /** While above 0 (an online backup runs across turns), each write commits on its own. */
  private alone = 0;

  constructor(private readonly client: Database.Database) {
    this.begin = client.prepare('BEGIN IMMEDIATE');
    this.commit = client.prepare('COMMIT');
    this.rollback = client.prepare('ROLLBACK');
  }

  /**
   * Runs `transaction` now, in the open group (better-sqlite3 nests it as a savepoint) or in a new
   * one, and resolves with its value once the group is committed. `transaction` must be a
   * better-sqlite3 transaction function, so that it rolls itself back when it throws.
   */
  run<T>(transaction: () => T): Promise<T> {
    if (this.alone > 0) {
      try {
        return Promise.resolve(transaction());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction.
    if (this.group && !this.client.inTransaction) this.fail(this.group, new Error('SQLite rolled back the transaction of this write.'));
    let group: Group | undefined;
    let value: T;
    try {
      group = this.group ?? this.open(); // BEGIN IMMEDIATE: busy while another process writes, past busy_timeout
      value = transaction();
    } catch (error) {
      if (group && !this.client.inTransaction) this.fail(group, error);
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => group.waiters.push({ resolve: () => resolve(value), reject }));
  }

  /** Resolves once every write made so far is committed; rejects if the open group failed. */
  settled(): Promise<void> {
    const group = this.group;
    if (!group) return Promise.resolve();
    return new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
  }

  /** Commits the open group now, e.g. before the connection closes. */
  flush(): void {
    if (this.group) this.close(this.group);
  }

  /** Commits the open group of every connection in this process. */
  static flushAll(): void {
    for (const commits of openGroups) commits.flush();
  }

  /**
   * Runs `work` with no transaction open on the connection while it runs, even across turns of the
   * event loop: what it reads is committed (an online backup, a checkpoint).
   */
  async outsideTransactions<T>(work: () => Promise<T> | T): Promise<T> {
    this.alone++;
    try {
      GroupCommit.flushAll();
      return await work();
    } finally {
      this.alone--;
    }
  }

  private open(): Group {
    GroupCommit.flushAll();
    this.begin.run();
    openGroups.add(this);
    const group: Group = { waiters: [], closed: false };
    this.group = group;
    setImmediate(() => this.close(group));
    return group;
  }

  private close(group: Group): void {
    if (group.closed) return;
    try {
      if (!this.client.inTransaction) throw new Error('SQLite rolled back the transaction of this write.');
      this.commit.run();
    } catch (error) {
      this.fail(group, error);
      return;
    }
    this.settle(group);
    for (const waiter of group.waiters) waiter.resolve();
  }

  private fail(group: Group, error: unknown): void {
    if (group.closed) return;
    if (this.client.inTransaction) this.rollback.run();
    this.settle(group);
    for (const waiter of group.waiters) waiter.reject(error);
  }

  private settle(group: Group): void {
    group.closed = true;
    if (this.group === group) {
      this.group = undefined;
      openGroups.delete(this);
    }
  }
}
