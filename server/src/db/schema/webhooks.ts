// Outgoing webhooks (SPEC §4.6): the endpoints a business registers, and the durable queue of
// deliveries to them, written in the same transaction as the change each event announces.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { WebhookDeliveryType, WebhookEventType } from '../../store/webhook-events';
import { businessId, createdAt, id } from './columns';

export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: id(),
    businessId: businessId(),
    url: text('url').notNull(),
    /**
     * The signing secret (`whsec_…`), kept in the clear because every delivery is signed with it;
     * it proves a request came from Doorstep and grants no access to anything.
     */
    secret: text('secret').notNull(),
    /** The event types delivered here; empty means all of them. */
    events: text('events', { mode: 'json' }).$type<WebhookEventType[]>().notNull().default([]),
    description: text('description'),
    createdAt: createdAt(),
    /** Paused (by the business) since then: it is sent nothing, and its deliveries, new ones too, wait for the resume. */
    disabledAt: integer('disabled_at'),
  },
  (t) => [index('webhook_endpoints_business').on(t.businessId, t.createdAt)],
);

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: id(),
    businessId: businessId(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** `evt_…`: the same for every endpoint and every retry, so receivers can dedupe. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').$type<WebhookDeliveryType>().notNull(),
    /** The exact JSON body posted (and signed) on every attempt. */
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** A worker's claim: no other worker takes the row before this time. */
    lockedUntil: integer('locked_until'),
    lastError: text('last_error'),
    lastStatusCode: integer('last_status_code'),
    deliveredAt: integer('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint').on(t.endpointId, t.createdAt),
    uniqueIndex('webhook_deliveries_event').on(t.endpointId, t.eventId),
  ],
);
