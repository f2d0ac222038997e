// Delivers outgoing webhooks (SPEC §4.6). Each run claims a batch of due deliveries (a claim is a
// lock that lapses, so a crashed worker's rows are picked up again), posts each signed body to its
// endpoint, then records the outcome: any 2xx is delivered; anything else, a timeout or a network
// error is a failed attempt retried on an exponential backoff, until maxAttempts gives up for good.
// Delivery is at least once: receivers dedupe on the event id.
import type { Clock } from '../lib/clock';
import { exponentialBackoff, Poller, type QueueWorkerOptions } from '../lib/poller';
import { webhookHeaders } from '../services/webhooks';
import type { ClaimedWebhook, Store } from '../store/types';

export type WebhookStore = Pick<Store, 'claimWebhookBatch' | 'markWebhookDelivered' | 'markWebhookFailed'>;

export interface WebhookWorkerDeps {
  store: WebhookStore;
  clock: Clock;
  /** The global fetch unless a test passes another. */
  fetch?: typeof fetch | undefined;
}

/** Deliveries of a batch are posted concurrently. */
export interface WebhookWorkerOptions extends QueueWorkerOptions {
  /** How long one POST may take, response included. */
  timeoutMs?: number;
}

export interface WebhookRunResult {
  delivered: number;
  failed: number;
}

const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 6 * 60 * 60_000;
/** How much of a failed response's body is kept to show the business why. */
const ERROR_BODY_CHARS = 300;

/**
 * 30 s, 1 min, 2 min … capped at 6 h, each ±20 % so a burst of retries spreads out. With the
 * default 12 attempts a delivery is retried for about 14 hours before it is given up.
 */
export const defaultWebhookBackoff = exponentialBackoff(BACKOFF_BASE_MS, BACKOFF_CAP_MS, 0.2);

const messageOf = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'Timed out waiting for the endpoint.';
  // fetch wraps the network error ("fetch failed"); its cause says what happened.
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
};

/** The start of a response body, without reading more than needed of a large one. */
async function readStart(response: Response, chars: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < chars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, chars);
}

export class WebhookWorker {
  private readonly fetch: typeof fetch;
  private readonly batchSize: number;
  private readonly lockMs: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly backoff: (attempt: number) => number;
  private readonly log: (message: string) => void;
  private readonly poller = new Poller(
    async () => {
      const result = await this.runOnce();
      return { full: result.delivered + result.failed >= this.batchSize };
    },
    (error) => this.log(`webhooks: run failed: ${messageOf(error)}`),
  );

  constructor(
    private readonly deps: WebhookWorkerDeps,
    options: WebhookWorkerOptions = {},
  ) {
    this.fetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.batchSize = options.batchSize ?? 20;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.lockMs = options.lockMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.backoff = options.backoff ?? defaultWebhookBackoff;
    this.log = options.log ?? ((message) => console.error(message));
  }

  /** Claims one batch of due deliveries and posts them. Throws only when the claim itself fails. */
  async runOnce(): Promise<WebhookRunResult> {
    const { store, clock } = this.deps;
    const batch = await store.claimWebhookBatch(clock.now(), this.batchSize, this.lockMs);
    // Concurrently: one slow endpoint must not hold up the others, nor outlast the batch's claims.
    const outcomes = await Promise.all(batch.map((row) => this.deliver(row)));
    return {
      delivered: outcomes.filter((o) => o === 'delivered').length,
      failed: outcomes.filter((o) => o === 'failed').length,
    };
  }

  /** Runs every `intervalMs` (and at once), one run at a time, until stop(). */
  start(intervalMs = 1000): void {
    this.poller.start(intervalMs);
  }

  /** Asks for a run now, e.g. right after work was queued. */
  poke(): void {
    this.poller.poke();
  }

  /** Stops the timer and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    await this.poller.stop();
  }

  private async deliver(row: ClaimedWebhook): Promise<'delivered' | 'failed' | 'skipped'> {
    const { store, clock } = this.deps;
    // A claim that lapsed before this row's turn may already be another worker's: leave it.
    if (row.lockedUntil !== null && clock.now() >= row.lockedUntil) return 'skipped';
    let status: number;
    let body: string;
    try {
      const response = await this.fetch(row.url, {
        method: 'POST',
        headers: webhookHeaders(row, row.secret, Math.floor(clock.now() / 1000)),
        body: row.payload,
        // A redirect is not a delivery, and following one could lead anywhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      body = await readStart(response, ERROR_BODY_CHARS).catch(() => '');
    } catch (error) {
      await this.recordFailure(row, messageOf(error), null);
      return 'failed';
    }
    if (status < 200 || status > 299) {
      await this.recordFailure(row, `HTTP ${status}${body.trim() ? `: ${body.trim()}` : ''}`, status);
      return 'failed';
    }
    try {
      await store.markWebhookDelivered(row.id, status, clock.now());
    } catch (error) {
      // Delivered but not recorded: the claim lapses and it is posted again with the same event id.
      this.log(`webhooks: ${row.id} was delivered but could not be marked delivered: ${messageOf(error)}`);
    }
    return 'delivered';
  }

  private async recordFailure(row: ClaimedWebhook, error: string, statusCode: number | null): Promise<void> {
    const now = this.deps.clock.now();
    const giveUp = row.attempts >= this.maxAttempts;
    this.log(`webhooks: ${row.id} (${row.eventType}) attempt ${row.attempts} to ${row.url} failed${giveUp ? ' for good' : ''}: ${error}`);
    try {
      await this.deps.store.markWebhookFailed(row.id, error, statusCode, giveUp ? null : now + this.backoff(row.attempts), now);
    } catch (markError) {
      // Unrecorded, the claim simply lapses and the delivery is tried again.
      this.log(`webhooks: ${row.id} could not be marked failed: ${messageOf(markError)}`);
    }
  }
}
