// Deterministic idempotency keys for every Stripe POST (SECURITY P3).
//
// A key names one *intent*, derived from what the call means, never from randomness, so every
// retry of that intent — the SDK's own retry after a dropped connection, a second click, a reload,
// two tabs — reaches Stripe with the same key and gets the first answer back instead of doing the
// work twice. A new intent gets a new key. Stripe keeps keys for 24 hours and refuses a key reused
// with different parameters, so each key also carries a short hash of the exact parameters: a key
// can never meet different parameters, and when the parameters change (the invoice was edited, the
// customer's name changed) that is a new intent with a new key.
//
//   doorstep:customer:<business>:<customer>:<params>            one Stripe customer per Doorstep
//                                                               customer (stored after creation)
//   doorstep:checkout:<business>:<invoice>:<due><cur>:<window>:<params>
//                                                               paying an invoice's amount due in a
//                                                               one-hour window: double clicks and
//                                                               retries in the window share one
//                                                               Checkout Session; after a payment or
//                                                               edit changes what is due, or in the
//                                                               next window, a new one is made
//   doorstep:setup:<business>:<customer>:<n>:<window>:<params>  adding a card after the customer's
//                                                               n-th card change, windowed the same
//                                                               way: once a card is saved, adding
//                                                               another is a new intent
//   doorstep:card-default:<business>:<customer>:<pm>:<n>        making a card the default as the n-th
//                                                               card change of this customer: A, B,
//                                                               A again are three intents
//   doorstep:card-detach:<business>:<pm>                        removing a card: a payment method is
//                                                               removed at most once, ever
//
// Checkout Sessions expire at the end of their window plus 30 minutes (Stripe's minimum lifetime),
// so the parameters of a windowed call are a function of the window alone and a session handed
// out is never more than 90 minutes old.
import { createHash } from 'node:crypto';

export const CHECKOUT_WINDOW_MS = 60 * 60_000;
const MIN_SESSION_LIFETIME_S = 30 * 60;

/** The window `now` falls in, and when Checkout Sessions made in it expire (Unix seconds). */
export function checkoutWindow(now: number): { window: number; expiresAt: number } {
  const window = Math.floor(now / CHECKOUT_WINDOW_MS);
  return { window, expiresAt: Math.floor(((window + 1) * CHECKOUT_WINDOW_MS) / 1000) + MIN_SESSION_LIFETIME_S };
}

/** Stable JSON (sorted keys) of call parameters. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 16 hex characters of SHA-256 over the parameters: enough to tell two requests apart. */
export function paramsHash(params: unknown): string {
  return createHash('sha256').update(stable(params)).digest('hex').slice(0, 16);
}

export const idempotencyKey = {
  customer: (businessId: string, customerId: string, params: unknown) => `doorstep:customer:${businessId}:${customerId}:${paramsHash(params)}`,
  checkout: (businessId: string, invoiceId: string, amountDue: number, currency: string, window: number, params: unknown) =>
    `doorstep:checkout:${businessId}:${invoiceId}:${amountDue}${currency}:${window}:${paramsHash(params)}`,
  setup: (businessId: string, customerId: string, changeNumber: number, window: number, params: unknown) =>
    `doorstep:setup:${businessId}:${customerId}:${changeNumber}:${window}:${paramsHash(params)}`,
  cardDefault: (businessId: string, customerId: string, paymentMethodId: string, changeNumber: number) =>
    `doorstep:card-default:${businessId}:${customerId}:${paymentMethodId}:${changeNumber}`,
  cardDetach: (businessId: string, paymentMethodId: string) => `doorstep:card-detach:${businessId}:${paymentMethodId}`,
};
