// Stripe Checkout sends the customer back to the portal URL with what happened in the fragment
// (server/src/payments/common.ts `portalReturnUrl`): `#portal-checkout=success|canceled&invoice=<id>`
// after paying an invoice, `#portal-payment-methods=added|canceled` after adding a card.
import type { PortalViewName } from '../context/portal.js';

export interface StripeReturn {
  /** The view that reports it. */
  view: Extract<PortalViewName, 'invoices' | 'payment-methods'>;
  /** `success` or `canceled` (Checkout); `added` or `canceled` (a card). */
  outcome: string;
  /** The invoice paid for (Checkout only). */
  invoiceId?: string;
}

const PARAMS = { 'portal-checkout': 'invoices', 'portal-payment-methods': 'payment-methods' } as const;

const paramsOf = (loc: Location) => new URLSearchParams(loc.hash.replace(/^#/, ''));

/** What the address bar says Stripe did, without changing it: the shell reads it to open the right view. */
export function peekStripeReturn(loc: Location = location): StripeReturn | null {
  const params = paramsOf(loc);
  for (const [param, view] of Object.entries(PARAMS)) {
    const outcome = params.get(param);
    if (!outcome) continue;
    const invoiceId = view === 'invoices' ? params.get('invoice') : null;
    return invoiceId ? { view, outcome, invoiceId } : { view, outcome };
  }
  return null;
}

/**
 * The return meant for `view`, taken out of the address bar (history.replaceState, other fragment
 * parameters stay) so a reload or a bookmark does not report it again; null when there is none.
 */
export function takeStripeReturn(view: StripeReturn['view'], loc: Location = location, hist: History = history): StripeReturn | null {
  const found = peekStripeReturn(loc);
  if (found?.view !== view) return null;
  const ours = new Set(view === 'invoices' ? ['portal-checkout', 'invoice'] : ['portal-payment-methods']);
  const rest = loc.hash
    .replace(/^#/, '')
    .split('&')
    .filter((part) => part && !ours.has(decodeURIComponent(part.split('=')[0]!)))
    .join('&');
  try {
    hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
  } catch {
    loc.hash = rest;
  }
  return found;
}

/**
 * Sends the browser to a Stripe Checkout page. Settles a few seconds later, so the button that led
 * there stays busy while the page unloads (and comes back to life if the customer returns with Back).
 */
export function goToStripe(url: string): Promise<void> {
  location.assign(url);
  return new Promise((resolve) => setTimeout(resolve, 3000));
}

/** Pauses between looks while Stripe's webhook reaches the server (about 20 s in all); tests shorten them. */
export const stripeReturnTiming = { delays: [1000, 2000, 3000, 5000, 8000] };

/** Calls `look` until it finds something, pausing between tries; undefined when the pauses run out. */
export async function waitForStripe<T>(look: () => Promise<T | undefined>, signal: AbortSignal): Promise<T | undefined> {
  for (const delay of [0, ...stripeReturnTiming.delays]) {
    if (delay) {
      signal.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
      });
    }
    const found = await look();
    if (found !== undefined) return found;
  }
  return undefined;
}
