// Outgoing webhooks in the SQLite store: endpoints, and the durable delivery queue that events are
// written to in the same transaction as the change they announce.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { webhookDeliveries as d, webhookEndpoints as e } from '../../db/schema';
import { newId } from '../../lib/crypto';
import type { ClaimedWebhook, NewWebhookEndpoint, Page, PageRequest, WebhookDelivery, WebhookEndpoint } from '../types';
import { WEBHOOK_TEST_EVENT, type NewWebhookEvent, type WebhookDeliveryType } from '../webhook-events';
import { afterCursor, toPage } from '../paging';
import type { Tx } from './tx';

/** The body every attempt posts, byte for byte: the event as receivers see it. */
function eventBody(id: string, type: WebhookDeliveryType, businessId: string, data: Record<string, unknown>, now: number): string {
  return JSON.stringify({ id, type, createdAt: new Date(now).toISOString(), businessId, data });
}

function insertDelivery(tx: Tx, businessId: string, endpointId: string, eventId: string, type: WebhookDeliveryType, payload: string, now: number) {
  return tx
    .insert(d)
    .values({ id: newId('whd'), businessId, endpointId, eventId, eventType: type, payload, nextAttemptAt: now, createdAt: now })
    // The same event queued twice for an endpoint is still delivered once.
    .onConflictDoNothing({ target: [d.endpointId, d.eventId] })
    .returning()
    .get();
}

/**
 * Queues one delivery per subscribed endpoint of the business for each event, paused endpoints
 * included: their deliveries wait and go out when the endpoint is resumed.
 */
export function insertWebhookEvents(tx: Tx, businessId: string, events: NewWebhookEvent[], now: number): void {
  if (events.length === 0) return;
  const endpoints = tx.select({ id: e.id, events: e.events }).from(e).where(eq(e.businessId, businessId)).all();
  for (const event of events) {
    const payload = eventBody(event.id, event.type, businessId, event.data, now);
    for (const endpoint of endpoints) {
      if (endpoint.events.length > 0 && !endpoint.events.includes(event.type)) continue;
      insertDelivery(tx, businessId, endpoint.id, event.id, event.type, payload, now);
    }
  }
}

export function createWebhookEndpoint(tx: Tx, businessId: string, endpoint: NewWebhookEndpoint, now: number): WebhookEndpoint {
  return tx
    .insert(e)
    .values({ ...endpoint, businessId, createdAt: now })
    .returning()
    .get();
}

export function listWebhookEndpoints(db: Db, businessId: string): WebhookEndpoint[] {
  return db.select().from(e).where(eq(e.businessId, businessId)).orderBy(desc(e.createdAt), desc(e.id)).all();
}

export function getWebhookEndpoint(db: Db | Tx, businessId: string, id: string): WebhookEndpoint | undefined {
  return db
    .select()
    .from(e)
    .where(and(eq(e.businessId, businessId), eq(e.id, id)))
    .get();
}

export function deleteWebhookEndpoint(tx: Tx, businessId: string, id: string): boolean {
  return tx.delete(e).where(and(eq(e.businessId, businessId), eq(e.id, id))).run().changes > 0;
}

export function pauseWebhookEndpoint(tx: Tx, businessId: string, id: string, now: number): WebhookEndpoint | undefined {
  tx.update(e)
    .set({ disabledAt: now })
    .where(and(eq(e.businessId, businessId), eq(e.id, id), isNull(e.disabledAt)))
    .run();
  return getWebhookEndpoint(tx, businessId, id);
}

export function resumeWebhookEndpoint(tx: Tx, businessId: string, id: string): WebhookEndpoint | undefined {
  return tx
    .update(e)
    .set({ disabledAt: null })
    .where(and(eq(e.businessId, businessId), eq(e.id, id)))
    .returning()
    .get();
}

export function listWebhookDeliveries(db: Db, businessId: string, endpointId: string, page: PageRequest): Page<WebhookDelivery> {
  const rows = db
    .select()
    .from(d)
    .where(and(eq(d.businessId, businessId), eq(d.endpointId, endpointId), afterCursor(page.cursor, d.createdAt, d.id, 'desc')))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(page.limit + 1)
    .all();
  return toPage(rows, page.limit, (row) => row.createdAt);
}

export function claimWebhookBatch(tx: Tx, now: number, limit: number, lockMs: number): ClaimedWebhook[] {
  const due = tx
    .select({ id: d.id })
    .from(d)
    .innerJoin(e, eq(e.id, d.endpointId))
    .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), or(isNull(d.lockedUntil), lte(d.lockedUntil, now)), isNull(e.disabledAt)))
    .orderBy(asc(d.nextAttemptAt), asc(d.id))
    .limit(limit)
    .all();
  if (due.length === 0) return [];
  const claimed = tx
    .update(d)
    .set({ lockedUntil: now + lockMs, attempts: sql`${d.attempts} + 1` })
    .where(inArray(d.id, due.map((row) => row.id)))
    .returning()
    .all();
  const endpoints = new Map(
    tx
      .select({ id: e.id, url: e.url, secret: e.secret })
      .from(e)
      .where(inArray(e.id, [...new Set(claimed.map((row) => row.endpointId))]))
      .all()
      .map((endpoint) => [endpoint.id, endpoint]),
  );
  return claimed.map((row) => {
    const { url, secret } = endpoints.get(row.endpointId)!;
    return { ...row, url, secret };
  });
}

export function markWebhookDelivered(tx: Tx, id: string, statusCode: number, now: number): void {
  tx.update(d)
    .set({ status: 'delivered', deliveredAt: now, lockedUntil: null, lastError: null, lastStatusCode: statusCode })
    .where(and(eq(d.id, id), eq(d.status, 'pending')))
    .run();
}

export function markWebhookFailed(tx: Tx, id: string, error: string, statusCode: number | null, retryAt: number | null): void {
  const outcome = { lockedUntil: null, lastError: error.slice(0, 1000), lastStatusCode: statusCode };
  tx.update(d)
    .set(retryAt === null ? { ...outcome, status: 'failed' } : { ...outcome, nextAttemptAt: retryAt })
    .where(and(eq(d.id, id), eq(d.status, 'pending')))
    .run();
}

export function queueTestWebhook(tx: Tx, businessId: string, endpointId: string, now: number): WebhookDelivery | undefined {
  if (!getWebhookEndpoint(tx, businessId, endpointId)) return undefined;
  const eventId = newId('evt');
  const data = { endpointId, message: 'A test event from Doorstep: this endpoint receives and verifies webhooks.' };
  return insertDelivery(tx, businessId, endpointId, eventId, WEBHOOK_TEST_EVENT, eventBody(eventId, WEBHOOK_TEST_EVENT, businessId, data, now), now);
}
