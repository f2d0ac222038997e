// The timer loop of a queue worker (the email outbox, outgoing webhooks): a run at once on start,
// then every interval, one run at a time, straight away again after a full batch or a poke, and
// never keeping the process alive on its own.
export class Poller {
  private intervalMs = 1000;
  private started = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  /** A poke arrived during a run: run again as soon as it ends. */
  private poked = false;

  /** `run` says whether its batch was full, i.e. more work is likely waiting. */
  constructor(
    private readonly run: () => Promise<{ full: boolean }>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs = 1000): void {
    if (this.started) return;
    this.started = true;
    this.intervalMs = intervalMs;
    this.schedule(0);
  }

  /** Asks for a run now, e.g. right after work was queued. Does nothing before start(). */
  poke(): void {
    if (!this.started) return;
    if (this.inFlight) this.poked = true;
    else this.schedule(0);
  }

  /** Stops the timer and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.started || this.inFlight) return;
    let full = false;
    this.inFlight = this.run().then(
      (result) => {
        full = result.full;
      },
      (error: unknown) => this.onError(error),
    );
    await this.inFlight;
    this.inFlight = undefined;
    if (!this.started) return;
    const again = full || this.poked;
    this.poked = false;
    this.schedule(again ? 0 : this.intervalMs);
  }
}

/**
 * A turn of the event loop (setImmediate): queued work that runs in a loop awaits it between items
 * so requests that arrived meanwhile are answered. With SQLite a store call settles without ever
 * leaving the loop, so awaiting it alone lets nothing else in.
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a queue worker (the outbox, outgoing webhooks) can be tuned with. */
export interface QueueWorkerOptions {
  /** Rows claimed per run. */
  batchSize?: number;
  /** How long a claim keeps other workers off a row; longer than one attempt can take. */
  lockMs?: number;
  /** Attempts before a row is marked failed for good. */
  maxAttempts?: number;
  /** Delay before retry number `attempt + 1`, given the attempts made so far (1, 2, …). */
  backoff?: (attempt: number) => number;
  /** Where errors of the timer loop and failed attempts are reported; console.error by default. */
  log?: (message: string) => void;
}

/** base, 2×base, 4×base … capped, each randomised by ±`jitter` so retries of a burst spread out. */
export const exponentialBackoff =
  (baseMs: number, capMs: number, jitter: number) =>
  (attempt: number): number => {
    const delay = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), capMs);
    return Math.round(delay * (1 - jitter + Math.random() * 2 * jitter));
  };
