// Outgoing webhooks in the PostgreSQL store (the twin of store/sqlite/webhooks.ts): endpoints, and
// the durable delivery queue that events are written to in the same transaction as the change they
// announce. Several processes claim from the queue at once.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client';
import { webhookDeliveries as d, webhookEndpoints as e } from '../../db/pg/schema';
import { newId } from '../../lib/crypto';
import type { ClaimedWebhook, NewWebhookEndpoint, Page, PageRequest, WebhookDelivery, WebhookEndpoint } from '../types';
import { WEBHOOK_TEST_EVENT, type NewWebhookEvent, type WebhookDeliveryType } from '../webhook-events';
import { afterCursor, toPage } from '../paging';
import type { PgTx } from './tx';

/** The body every attempt posts, byte for byte: the event as receivers see it. */
function eventBody(id: string, type: WebhookDeliveryType, businessId: string, data: Record<string, unknown>, now: number): string {
  return JSON.stringify({ id, type, createdAt: new Date(now).toISOString(), businessId, data });
}

const delivery = (businessId: string, endpointId: string, eventId: string, type: WebhookDeliveryType, payload: string, now: number) => ({
  id: newId('whd'),
  businessId,
  endpointId,
  eventId,
  eventType: type,
  payload,
  nextAttemptAt: now,
  createdAt: now,
});

/** Inserts deliveries in one statement; the same event queued twice for an endpoint is still delivered once. */
function insertDeliveries(tx: PgTx, rows: ReturnType<typeof delivery>[]) {
  return tx.insert(d).values(rows).onConflictDoNothing({ target: [d.endpointId, d.eventId] });
}

/**
 * Queues one delivery per subscribed endpoint of the business for each event, paused endpoints
 * included: their deliveries wait and go out when the endpoint is resumed.
 */
export async function insertWebhookEvents(tx: PgTx, businessId: string, events: NewWebhookEvent[], now: number): Promise<void> {
  if (events.length === 0) return;
  const endpoints = await tx.select({ id: e.id, events: e.events }).from(e).where(eq(e.businessId, businessId));
  const rows = [];
  for (const event of events) {
    const payload = eventBody(event.id, event.type, businessId, event.data, now);
    for (const endpoint of endpoints) {
      if (endpoint.events.length > 0 && !endpoint.events.includes(event.type)) continue;
      rows.push(delivery(businessId, endpoint.id, event.id, event.type, payload, now));
    }
  }
  if (rows.length > 0) await insertDeliveries(tx, rows);
}

export async function createWebhookEndpoint(tx: PgTx, businessId: string, endpoint: NewWebhookEndpoint, now: number): Promise<WebhookEndpoint> {
  const [row] = await tx
    .insert(e)
    .values({ ...endpoint, businessId, createdAt: now })
    .returning();
  return row!;
}

export async function listWebhookEndpoints(db: PgDb, businessId: string): Promise<WebhookEndpoint[]> {
  return db.select().from(e).where(eq(e.businessId, businessId)).orderBy(desc(e.createdAt), desc(e.id));
}

export async function getWebhookEndpoint(db: PgDb | PgTx, businessId: string, id: string): Promise<WebhookEndpoint | undefined> {
  const [row] = await db
    .select()
    .from(e)
    .where(and(eq(e.businessId, businessId), eq(e.id, id)));
  return row;
}

export async function deleteWebhookEndpoint(tx: PgTx, businessId: string, id: string): Promise<boolean> {
  const deleted = await tx
    .delete(e)
    .where(and(eq(e.businessId, businessId), eq(e.id, id)))
    .returning({ id: e.id });
  return deleted.length > 0;
}

export async function pauseWebhookEndpoint(tx: PgTx, businessId: string, id: string, now: number): Promise<WebhookEndpoint | undefined> {
  await tx
    .update(e)
    .set({ disabledAt: now })
    .where(and(eq(e.businessId, businessId), eq(e.id, id), isNull(e.disabledAt)));
  return getWebhookEndpoint(tx, businessId, id);
}

export async function resumeWebhookEndpoint(tx: PgTx, businessId: string, id: string): Promise<WebhookEndpoint | undefined> {
  const [row] = await tx
    .update(e)
    .set({ disabledAt: null })
    .where(and(eq(e.businessId, businessId), eq(e.id, id)))
    .returning();
  return row;
}

export async function listWebhookDeliveries(db: PgDb, businessId: string, endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
  const rows = await db
    .select()
    .from(d)
    .where(and(eq(d.businessId, businessId), eq(d.endpointId, endpointId), afterCursor(page.cursor, d.createdAt, d.id, 'desc')))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => row.createdAt);
}

export async function claimWebhookBatch(tx: PgTx, now: number, limit: number, lockMs: number): Promise<ClaimedWebhook[]> {
  const due = await tx
    .select({ id: d.id })
    .from(d)
    .innerJoin(e, eq(e.id, d.endpointId))
    .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), or(isNull(d.lockedUntil), lte(d.lockedUntil, now)), isNull(e.disabledAt)))
    .orderBy(asc(d.nextAttemptAt), asc(d.id))
    .limit(limit)
    // Rows another worker is claiming right now are passed over rather than waited for. Only the
    // deliveries are locked: locking the endpoint too would make a concurrent claimer skip every
    // delivery of a busy endpoint.
    .for('update', { of: d, skipLocked: true });
  if (due.length === 0) return [];
  const claimed = await tx
    .update(d)
    .set({ lockedUntil: now + lockMs, attempts: sql`${d.attempts} + 1` })
    .where(inArray(d.id, due.map((row) => row.id)))
    .returning();
  const endpoints = new Map(
    (
      await tx
        .select({ id: e.id, url: e.url, secret: e.secret })
        .from(e)
        .where(inArray(e.id, [...new Set(claimed.map((row) => row.endpointId))]))
    ).map((endpoint) => [endpoint.id, endpoint]),
  );
  // In queue order: RETURNING follows none.
  const order = new Map(due.map((row, index) => [row.id, index]));
  return claimed
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    .map((row) => {
      const { url, secret } = endpoints.get(row.endpointId)!;
      return { ...row, url, secret };
    });
}

export async function markWebhookDelivered(tx: PgTx, id: string, statusCode: number, now: number): Promise<void> {
  await tx
    .update(d)
    .set({ status: 'delivered', deliveredAt: now, lockedUntil: null, lastError: null, lastStatusCode: statusCode })
    .where(and(eq(d.id, id), eq(d.status, 'pending')));
}

export async function markWebhookFailed(tx: PgTx, id: string, error: string, statusCode: number | null, retryAt: number | null): Promise<void> {
  const outcome = { lockedUntil: null, lastError: error.slice(0, 1000), lastStatusCode: statusCode };
  await tx
    .update(d)
    .set(retryAt === null ? { ...outcome, status: 'failed' } : { ...outcome, nextAttemptAt: retryAt })
    .where(and(eq(d.id, id), eq(d.status, 'pending')));
}

export async function queueTestWebhook(tx: PgTx, businessId: string, endpointId: string, now: number): Promise<WebhookDelivery | undefined> {
  if (!(await getWebhookEndpoint(tx, businessId, endpointId))) return undefined;
  const eventId = newId('evt');
  const data = { endpointId, message: 'A test event from Doorstep: this endpoint receives and verifies webhooks.' };
  const [row] = await insertDeliveries(tx, [delivery(businessId, endpointId, eventId, WEBHOOK_TEST_EVENT, eventBody(eventId, WEBHOOK_TEST_EVENT, businessId, data, now), now)]).returning();
  return row;
}
