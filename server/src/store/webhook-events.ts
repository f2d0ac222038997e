// The events businesses can receive at their webhook endpoints (SPEC §4.6), and their payloads.
export const WEBHOOK_EVENT_TYPES = [
  'message.received',
  'estimate.approved',
  'estimate.declined',
  'invoice.paid',
  'payment_method.changed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An event to deliver to every endpoint of the business subscribed to its type. */
export interface NewWebhookEvent {
  /** `evt_…`: the same id reaches every endpoint, so receivers can dedupe retries. */
  id: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/** Sent only on request ("send test event"), to one endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** What a delivery can carry: a subscribable event, or the test event. */
export type WebhookDeliveryType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;
