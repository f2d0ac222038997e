// Sends the email outbox (SECURITY D3). Each run claims a batch of due rows (a claim is a lock
// that lapses, so a crashed worker's rows are picked up again), sends each with the outbox id as
// idempotency key, then records the outcome: sent (body erased for real providers) or failed with
// a retry time on an exponential backoff, until maxAttempts gives up for good.
import type { Clock } from '../lib/clock';
import { exponentialBackoff, nextTurn, Poller, type QueueWorkerOptions } from '../lib/poller';
import type { OutboxEmail, Store } from '../store/types';
import { MailError, type MailTransport } from './transport';

export type OutboxStore = Pick<Store, 'claimOutboxBatch' | 'markEmailSent' | 'markEmailFailed' | 'purgeErased'>;

export interface OutboxWorkerDeps {
  store: OutboxStore;
  transport: MailTransport;
  clock: Clock;
  /** The From of every email, e.g. `Acme <portal@acme.com>`. */
  from: string;
}

export type OutboxWorkerOptions = QueueWorkerOptions;

export interface OutboxRunResult {
  sent: number;
  failed: number;
}

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 60 * 60_000;

/** 5 s, 10 s, 20 s … capped at 1 h, each ±10 % so retries of a burst spread out. */
export const defaultBackoff = exponentialBackoff(BACKOFF_BASE_MS, BACKOFF_CAP_MS, 0.1);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class OutboxWorker {
  private readonly batchSize: number;
  private readonly lockMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => number;
  private readonly log: (message: string) => void;
  private readonly poller = new Poller(
    async () => {
      const result = await this.runOnce();
      return { full: result.sent + result.failed >= this.batchSize };
    },
    (error) => this.log(`outbox: run failed: ${messageOf(error)}`),
  );

  constructor(
    private readonly deps: OutboxWorkerDeps,
    options: OutboxWorkerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 20;
    this.lockMs = options.lockMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.backoff = options.backoff ?? defaultBackoff;
    this.log = options.log ?? ((message) => console.error(message));
  }

  /** Claims one batch of due emails and sends them. Throws only when the claim itself fails. */
  async runOnce(): Promise<OutboxRunResult> {
    const { store, clock } = this.deps;
    const batch = await store.claimOutboxBatch(clock.now(), this.batchSize, this.lockMs);
    const result: OutboxRunResult = { sent: 0, failed: 0 };
    for (const [index, row] of batch.entries()) {
      // Requests go first: a batch sent to the dev mailbox is a few dozen commits in a row, and
      // login-link requests waited behind it (p99 31 ms in bench/api.ts).
      if (index > 0) await nextTurn();
      // A claim that lapsed while earlier rows were sent may already be another worker's: leave it.
      if (row.lockedUntil !== null && clock.now() >= row.lockedUntil) continue;
      if (await this.deliver(row)) result.sent++;
      else result.failed++;
    }
    if (result.sent > 0 && this.deps.transport.erasesBody) {
      // Erased bodies (and the sign-in links in them) must leave the disk too, not just the rows.
      await store.purgeErased().catch((error: unknown) => this.log(`outbox: could not purge erased bodies: ${messageOf(error)}`));
    }
    return result;
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

  private async deliver(row: OutboxEmail): Promise<boolean> {
    const { store, transport, clock, from } = this.deps;
    if (row.html === null || row.text === null) {
      // Only a sent row loses its body; a pending one without it can never be sent.
      await this.recordFailure(row, 'The email body is missing.', true);
      return false;
    }
    let providerMessageId: string | null;
    try {
      ({ providerMessageId } = await transport.send({ id: row.id, from, to: row.to, subject: row.subject, html: row.html, text: row.text }));
    } catch (error) {
      await this.recordFailure(row, messageOf(error), error instanceof MailError && error.permanent);
      return false;
    }
    try {
      await store.markEmailSent(row.id, { providerMessageId, eraseBody: transport.erasesBody }, clock.now());
    } catch (error) {
      // Delivered but not recorded: the claim lapses and the retry reuses the idempotency key,
      // so the provider does not deliver it twice.
      this.log(`outbox: ${row.id} was sent via ${transport.name} but could not be marked sent: ${messageOf(error)}`);
    }
    return true;
  }

  private async recordFailure(row: OutboxEmail, error: string, permanent: boolean): Promise<void> {
    const now = this.deps.clock.now();
    const giveUp = permanent || row.attempts >= this.maxAttempts;
    this.log(`outbox: ${row.id} attempt ${row.attempts} via ${this.deps.transport.name} failed${giveUp ? ' for good' : ''}: ${error}`);
    try {
      await this.deps.store.markEmailFailed(row.id, error, giveUp ? null : now + this.backoff(row.attempts), now);
    } catch (markError) {
      // Unrecorded, the claim simply lapses and the row is tried again.
      this.log(`outbox: ${row.id} could not be marked failed: ${messageOf(markError)}`);
    }
  }
}
