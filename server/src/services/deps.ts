// What services are given: the store, a clock, and the few facts of the deployment they need.
import type { Clock } from '../lib/clock';
import type { Payments } from '../payments/gateway';
import type { Store } from '../store/types';

export interface Deps {
  store: Store;
  clock: Clock;
  /** The server's public origin, e.g. https://portal.example.com: where portal.js and /p/:business live. */
  publicUrl: string;
  /** Whether Stripe (or, outside production, the local emulator) can take payments. */
  paymentsConfigured: boolean;
  /** The Stripe client (real Stripe, or the local emulator outside production); absent: no online payments. */
  payments?: Payments | undefined;
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (for per-IP rate limits). */
  trustProxy?: boolean | undefined;
  /** Development: webhook endpoints may also be plain http to localhost (off unless set). */
  dev?: boolean | undefined;
}
