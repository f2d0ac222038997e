// Webhook delivery as Stripe does it: the event as pretty-printed JSON, signed with
// `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" with the endpoint secret>`,
// retried a few times when the endpoint fails.
import { createHmac } from 'node:crypto';
import type { EventObject } from './state';

export function signPayload(payload: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

/** Stripe sends events indented by two spaces: a receiver that re-serializes JSON fails to verify. */
export const eventPayload = (event: EventObject) => JSON.stringify(event, null, 2);

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  attempt: number;
  /** The endpoint's HTTP status, or null when it could not be reached. */
  status: number | null;
  error: string | null;
  at: number;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface DeliveryOptions {
  url: string;
  secret: string;
  fetch: FetchLike;
  now: () => number;
  /** Waits before each retry; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  record: (attempt: DeliveryAttempt) => void;
  /** True once the emulator is closing: no further attempts. */
  stopped: () => boolean;
}

/** A wait that does not keep the process alive on its own. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Posts one event until the endpoint answers 2xx or the retries run out; true when delivered. */
export async function deliverEvent(event: EventObject, options: DeliveryOptions): Promise<boolean> {
  const payload = eventPayload(event);
  for (let attempt = 1; attempt <= options.retryDelaysMs.length + 1; attempt++) {
    if (attempt > 1) await sleep(options.retryDelaysMs[attempt - 2]!);
    if (options.stopped()) return false;
    const at = options.now();
    try {
      const res = await options.fetch(options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Stripe-Signature': signPayload(payload, options.secret, Math.floor(at / 1000)),
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks) doorstep-stripe-emulator',
        },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      // The body is not read by Stripe beyond logging; drain it so the connection is reusable.
      await res.text().catch(() => '');
      options.record({ eventId: event.id, type: event.type, attempt, status: res.status, error: null, at });
      if (res.ok) return true;
    } catch (error) {
      options.record({ eventId: event.id, type: event.type, attempt, status: null, error: error instanceof Error ? error.message : String(error), at });
    }
  }
  return false;
}
