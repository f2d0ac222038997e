// Cards on file (SPEC §3.3): listed from Stripe, added through Checkout in setup mode, made
// default or removed only after checking the card belongs to this customer's Stripe customer
// (SECURITY P4): any other id answers 404 before anything is changed at Stripe.
import type Stripe from 'stripe';
import { notFound } from '../lib/errors';
import type { Deps } from '../services/deps';
import type { Viewer } from '../services/portal';
import type { Business, Customer } from '../store/types';
import {
  cardChangeId,
  cardEffects,
  checkoutUrl,
  customerOf,
  ensureStripeCustomer,
  idOf,
  paymentsFor,
  portalReturnUrl,
  presentCard,
  type CardView,
} from './common';
import type { Payments } from './gateway';
import { checkoutWindow, idempotencyKey } from './keys';

/** Ids Stripe gives cards; anything else cannot be one, and is not forwarded. */
const PAYMENT_METHOD_ID = /^(pm|card|src)_[A-Za-z0-9]{1,100}$/;

export async function listCards(deps: Deps, v: Viewer): Promise<CardView[]> {
  const payments = paymentsFor(deps, v.business, { configuredOnly: true });
  const customer = await customerOf(deps, v);
  return cardsOf(payments, v.business, customer);
}

async function cardsOf(payments: Payments, business: Business, customer: Customer): Promise<CardView[]> {
  if (!customer.stripeCustomerId) return [];
  const [stripeCustomer, cards] = await Promise.all([
    payments.retrieveCustomer(business, customer.stripeCustomerId),
    payments.listCards(business, customer.stripeCustomerId),
  ]);
  const defaultId = idOf(stripeCustomer?.invoice_settings?.default_payment_method);
  return cards.map((pm) => presentCard(pm, defaultId));
}

/** Starts Checkout in setup mode; the card is recorded when Stripe's webhook says it was saved. */
export async function startCardSetup(deps: Deps, v: Viewer): Promise<{ url: string }> {
  const { business } = v;
  const payments = paymentsFor(deps, business);
  const customer = await customerOf(deps, v);
  const stripeCustomer = await ensureStripeCustomer(deps, payments, business, customer);
  const { window, expiresAt } = checkoutWindow(deps.clock.now());
  const metadata = { doorstepBusiness: business.id, doorstepCustomer: customer.id };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'setup',
    customer: stripeCustomer,
    allowed_payment_method_types: ['card'],
    metadata,
    setup_intent_data: { metadata },
    success_url: portalReturnUrl(business, deps.publicUrl, { 'portal-payment-methods': 'added' }),
    cancel_url: portalReturnUrl(business, deps.publicUrl, { 'portal-payment-methods': 'canceled' }),
    expires_at: expiresAt,
    locale: business.language,
  };
  const changes = await deps.store.countCardChanges(business.id, customer.id);
  const session = await payments.createCheckoutSession(business, params, idempotencyKey.setup(business.id, customer.id, changes, window, params));
  return checkoutUrl(session);
}

/**
 * The card, when it is attached to this customer's Stripe customer; else 404, exactly as for a
 * missing one. Checked before anything else, so only the customer's own card can get further.
 */
async function ownCard(deps: Deps, v: Viewer, id: string): Promise<{ payments: Payments; customer: Customer; pm: Stripe.PaymentMethod }> {
  const customer = await customerOf(deps, v);
  const payments = deps.paymentsConfigured ? deps.payments : undefined;
  if (!payments || !customer.stripeCustomerId || !PAYMENT_METHOD_ID.test(id)) throw notFound('Payment method');
  const pm = await payments.retrievePaymentMethod(v.business, id);
  if (!pm || idOf(pm.customer) !== customer.stripeCustomerId) throw notFound('Payment method');
  return { payments, customer, pm };
}

export async function makeDefaultCard(deps: Deps, v: Viewer, id: string): Promise<CardView[]> {
  const { business } = v;
  const { payments, customer, pm } = await ownCard(deps, v, id);
  paymentsFor(deps, business);
  // The n-th card change of this customer: the same click retried shares the key; the next change does not.
  const key = idempotencyKey.cardDefault(business.id, customer.id, pm.id, await deps.store.countCardChanges(business.id, customer.id));
  await payments.setDefaultPaymentMethod(business, customer.stripeCustomerId!, pm.id, key);
  await deps.store.recordCardChange(business.id, { id: key, customerId: customer.id }, cardEffects(deps, business, customer, 'default', pm), deps.clock.now());
  return cardsOf(payments, business, customer);
}

/** Works while online payments are turned off too: a customer can always take their card back. */
export async function removeCard(deps: Deps, v: Viewer, id: string): Promise<void> {
  const { business } = v;
  const { payments, customer, pm } = await ownCard(deps, v, id);
  await payments.detachPaymentMethod(business, pm.id, idempotencyKey.cardDetach(business.id, pm.id));
  // Stripe's payment_method.detached webhook records the same change id: one email either way.
  await deps.store.recordCardChange(
    business.id,
    { id: cardChangeId.removed(business.id, pm.id), customerId: customer.id },
    cardEffects(deps, business, customer, 'removed', pm),
    deps.clock.now(),
  );
}
