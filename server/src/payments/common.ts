// What the payment flows share: whether a business takes payments, the signed-in customer and
// their Stripe customer, return URLs into the business's portal, and the card notifications.
import type Stripe from 'stripe';
import { AppError } from '../lib/errors';
import type { Deps } from '../services/deps';
import { portalBaseUrl } from '../services/links';
import { notifyBusiness } from '../services/notify';
import type { Viewer } from '../services/portal';
import type { Business, CardDetails, Customer, SavedCard, SideEffects } from '../store/types';
import type { Payments } from './gateway';
import { idempotencyKey } from './keys';

/**
 * The Stripe client when this business takes online payments (Stripe configured and the business's
 * toggle on), else 409. `configuredOnly` lets customers still see and remove saved cards after a
 * business turns online payments off.
 */
export function paymentsFor(deps: Deps, business: Business, options: { configuredOnly?: boolean } = {}): Payments {
  if (!deps.payments || !deps.paymentsConfigured || (!options.configuredOnly && !business.paymentsEnabled)) {
    throw new AppError(409, 'payments_disabled', `${business.name} does not take online payments. Please contact them to pay another way.`);
  }
  return deps.payments;
}

export async function customerOf(deps: Deps, v: Viewer): Promise<Customer> {
  const customer = await deps.store.getCustomer(v.business.id, v.session.customerId);
  if (!customer) throw new AppError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
  return customer;
}

export const primaryEmail = (customer: Customer) => customer.emails.find((e) => e.primary)?.address;

/** The customer's Stripe customer id, creating the Stripe customer (once) on first need. */
export async function ensureStripeCustomer(deps: Deps, payments: Payments, business: Business, customer: Customer): Promise<string> {
  if (customer.stripeCustomerId) return customer.stripeCustomerId;
  const params: Stripe.CustomerCreateParams = {
    name: customer.name,
    ...(primaryEmail(customer) ? { email: primaryEmail(customer) } : {}),
    metadata: { doorstepBusiness: business.id, doorstepCustomer: customer.id },
  };
  const created = await payments.createCustomer(business, params, idempotencyKey.customer(business.id, customer.id, params));
  // Two first requests at once share one key, hence one Stripe customer; the first id kept stays.
  return (await deps.store.setStripeCustomerId(business.id, customer.id, created.id, deps.clock.now())) ?? created.id;
}

/**
 * Where Checkout sends the customer back: the business's portal with a fragment the portal reads.
 * Only ids ride in the fragment (never a token), and fragments are not sent to servers.
 */
export function portalReturnUrl(business: Business, publicUrl: string, fragment: Record<string, string>): string {
  const base = portalBaseUrl(business, publicUrl).split('#')[0]!;
  return `${base}#${new URLSearchParams(fragment).toString()}`;
}

/** Where to send the customer: the hosted page of a Checkout Session Stripe just made (or replayed). */
export function checkoutUrl(session: Stripe.Checkout.Session): { url: string } {
  if (!session.url) throw new AppError(502, 'payments_unavailable', 'The payment provider did not return a payment page. Please try again in a moment.');
  return { url: session.url };
}

export const idOf = (value: string | { id: string } | null | undefined): string | undefined => (typeof value === 'string' ? value : value?.id);

/** A card with what anyone may know of it: never more than brand, last 4 and expiry. */
export type Card = CardDetails & { id: string };

export function cardOf(pm: Stripe.PaymentMethod): Card {
  return { id: pm.id, brand: pm.card?.brand ?? 'unknown', last4: pm.card?.last4 ?? '', expMonth: pm.card?.exp_month ?? null, expYear: pm.card?.exp_year ?? null };
}

/** A card as the record holds it (a default named before Stripe described it has no details yet). */
export const savedCard = (row: SavedCard): Card => ({ id: row.id, brand: row.brand ?? 'unknown', last4: row.last4 ?? '', expMonth: row.expMonth, expYear: row.expYear });

/** A card as the portal shows it. */
export const presentCard = (row: SavedCard) => ({ ...savedCard(row), isDefault: row.isDefault });

export type CardView = ReturnType<typeof presentCard>;

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

const cardWords = {
  en: { card: 'Card', expires: 'expires', nowDefault: 'now the default card' },
  es: { card: 'Tarjeta', expires: 'vence', nowDefault: 'ahora es la tarjeta predeterminada' },
} as const;

/** "Visa •••• 4242, expires 12/2034". */
export function describeCard(card: Card, language: Business['language']): string {
  const t = cardWords[language];
  const brand = BRANDS[card.brand] ?? t.card;
  const expiry = card.expMonth !== null && card.expYear !== null ? `, ${t.expires} ${String(card.expMonth).padStart(2, '0')}/${card.expYear}` : '';
  return `${brand} •••• ${card.last4 || '????'}${expiry}`;
}

export type CardChangeKind = 'added' | 'default' | 'removed';

/** Ids of card changes that two paths may both record (our route and Stripe's webhook): recorded once. */
export const cardChangeId = {
  added: (businessId: string, paymentMethodId: string) => `card-added:${businessId}:${paymentMethodId}`,
  removed: (businessId: string, paymentMethodId: string) => `card-removed:${businessId}:${paymentMethodId}`,
};

/** The business's email (card_changed) and webhook event (payment_method.changed) for a card change. */
export function cardEffects(deps: Deps, business: Business, customer: Customer, change: CardChangeKind, card: Card): SideEffects {
  const described = describeCard(card, business.language);
  return notifyBusiness(
    deps,
    business,
    {
      kind: 'card_changed',
      customer,
      change: change === 'default' ? 'updated' : change,
      card: change === 'default' ? `${described} (${cardWords[business.language].nowDefault})` : described,
    },
    {
      type: 'payment_method.changed',
      data: { customerId: customer.id, customerName: customer.name, change, paymentMethod: card },
    },
  );
}
