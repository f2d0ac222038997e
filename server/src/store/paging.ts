// Keyset pagination: a cursor is the (sort value, id) of the last row returned, opaque to callers.
import { and, eq, gt, lt, or, type Column, type SQL } from 'drizzle-orm';
import { AppError } from '../lib/errors';
import type { Page } from './types';

type Key = string | number;

export function encodeCursor(sortValue: Key, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [Key, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'string' || typeof value[0] === 'number') &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError(400, 'invalid_cursor', 'cursor: not a cursor this API returned.');
}

/** The condition selecting rows after the cursor in (sortColumn, idColumn) order. */
export function afterCursor(cursor: string | undefined, sortColumn: Column, idColumn: Column, direction: 'asc' | 'desc'): SQL | undefined {
  if (!cursor) return undefined;
  const [sortValue, id] = decodeCursor(cursor);
  const beyond = direction === 'asc' ? gt : lt;
  return or(beyond(sortColumn, sortValue), and(eq(sortColumn, sortValue), beyond(idColumn, id)));
}

/** Turns `limit + 1` fetched rows into a page and the cursor of the next one. */
export function toPage<T extends { id: string }>(rows: T[], limit: number, sortValue: (row: T) => Key): Page<T> {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(sortValue(last), last.id) : null };
}
