// Online backup: SQLite's backup API copies a consistent snapshot while the server keeps writing;
// the copy is checked before it is reported good.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../../lib/errors';
import type { SqliteStore } from './index';

export async function backupDatabase(store: SqliteStore, file: string) {
  const target = resolve(file);
  if (target === resolve(store.db.$client.name)) {
    throw new AppError(400, 'invalid_arguments', 'The backup must go to another file than the live database.');
  }
  mkdirSync(dirname(target), { recursive: true });
  await store.backup(target);
  const copy = new Database(target, { readonly: true });
  try {
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`The backup at ${target} failed its integrity check: ${String(integrity)}`);
    const pages = copy.pragma('page_count', { simple: true }) as number;
    const pageSize = copy.pragma('page_size', { simple: true }) as number;
    return { file: target, bytes: pages * pageSize, integrityCheck: integrity };
  } finally {
    copy.close();
  }
}
