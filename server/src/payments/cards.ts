// Cards on file (SPEC §3.3): listed, added through Checkout in setup mode, made default or removed.
// Whose a card is comes from our record of the customer's cards (kept from Stripe's webhooks, our
// own calls and Stripe's list), so an id that is not this customer's card answers 404 before any
// call to Stripe is made (SECURITY P4).
import type Stripe from 'stripe';
import { AppError, notFound } from '../lib/errors';
import type { Deps } from '../services/deps';
import type { Viewer } from '../services/portal';
import type { CardSnapshot, Customer, SavedCard } from '../store/types';
import {
  cardChangeId,
  cardEffects,
  cardOf,
  checkoutUrl,
  customerOf,
  ensureStripeCustomer,
  idOf,
  paymentsFor,
  portalReturnUrl,
  presentCard,
  savedCard,
  type CardView,
} from './common';
import type { Payments } from './gateway';
import { checkoutWindow, idempotencyKey } from './keys';

/**
 * The customer's cards, as Stripe lists them now. Asking Stripe (rather than only reading our
 * record) keeps what the customer sees, and so can act on, right when our record missed something:
 * cards saved before the record existed, webhooks not subscribed or not yet arrived (back from
 * Checkout before Stripe's event), a card detached in Stripe's dashboard. The answer is written to
 * the record first, and the list shown is the record's. When Stripe cannot be reached, the record
 * alone is shown.
 */
export async function listCards(deps: Deps, v: Viewer): Promise<CardView[]> {
  const { business } = v;
  const payments = paymentsFor(deps, business, { configuredOnly: true });
  const customer = await customerOf(deps, v);
  if (!customer.stripeCustomerId) return [];
  const asOf = deps.clock.now();
  let snapshot: CardSnapshot;
  try {
    const [stripeCustomer, listed] = await Promise.all([
      payments.retrieveCustomer(business, customer.stripeCustomerId),
      payments.listCards(business, customer.stripeCustomerId),
    ]);
    snapshot = {
      stripeCustomerId: customer.stripeCustomerId,
      cards: listed.cards.map((pm) => ({ paymentMethodId: pm.id, card: cardOf(pm) })),
      defaultId: idOf(stripeCustomer?.invoice_settings?.default_payment_method) ?? null,
      complete: listed.complete,
      asOf,
    };
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'payments_unavailable')) throw error;
    return (await deps.store.listSavedCards(business.id, customer.id)).map(presentCard);
  }
  return (await deps.store.refreshSavedCards(business.id, customer.id, snapshot, deps.clock.now())).map(presentCard);
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
 * The card, when our record holds it as attached to this customer's Stripe customer; else 404,
 * exactly as for a missing one, and Stripe is not asked: only the customer's own card gets further.
 */
async function ownCard(deps: Deps, v: Viewer, id: string, known?: Customer): Promise<{ payments: Payments; customer: Customer; card: SavedCard }> {
  const customer = known ?? (await customerOf(deps, v));
  const payments = deps.paymentsConfigured ? deps.payments : undefined;
  const stripeCustomerId = customer.stripeCustomerId;
  const card = payments && stripeCustomerId ? (await deps.store.listSavedCards(v.business.id, customer.id)).find((c) => c.id === id) : undefined;
  if (!payments || !card || card.stripeCustomerId !== stripeCustomerId) throw notFound('Payment method');
  return { payments, customer, card };
}

export async function makeDefaultCard(deps: Deps, v: Viewer, id: string): Promise<CardView[]> {
  const { business } = v;
  const known = await customerOf(deps, v);
  // The n-th card change of this customer: the same click retried shares the key; the next change
  // does not. Counted before the card is read, and a change is recorded with the default it sets
  // in one transaction: a click racing another that lands in between sees the card already the
  // default below, and changes nothing, rather than making a second change under the next number.
  const changes = await deps.store.countCardChanges(business.id, known.id);
  const { payments, customer, card } = await ownCard(deps, v, id, known);
  paymentsFor(deps, business);
  if (!card.isDefault) {
    const key = idempotencyKey.cardDefault(business.id, customer.id, card.id, changes);
    const asOf = deps.clock.now();
    await payments.setDefaultPaymentMethod(business, card.stripeCustomerId, card.id, key);
    await deps.store.recordCardChange(
      business.id,
      { id: key, customerId: customer.id, fact: { kind: 'default', stripeCustomerId: card.stripeCustomerId, paymentMethodId: card.id, asOf } },
      cardEffects(deps, business, customer, 'default', savedCard(card)),
      deps.clock.now(),
    );
  }
  return (await deps.store.listSavedCards(business.id, customer.id)).map(presentCard);
}

/** Works while online payments are turned off too: a customer can always take their card back. */
export async function removeCard(deps: Deps, v: Viewer, id: string): Promise<void> {
  const { business } = v;
  const { payments, customer, card } = await ownCard(deps, v, id);
  const asOf = deps.clock.now();
  await payments.detachPaymentMethod(business, card.id, idempotencyKey.cardDetach(business.id, card.id));
  // Stripe's payment_method.detached webhook records the same change id: one email either way.
  await deps.store.recordCardChange(
    business.id,
    {
      id: cardChangeId.removed(business.id, card.id),
      customerId: customer.id,
      fact: { kind: 'detached', paymentMethodId: card.id, stripeCustomerId: card.stripeCustomerId, asOf },
    },
    cardEffects(deps, business, customer, 'removed', savedCard(card)),
    deps.clock.now(),
  );
}
