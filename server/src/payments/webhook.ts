// Stripe's webhook (SPEC §5, SECURITY P2): the only thing that marks an invoice paid or records a
// saved card. The signature is checked over the raw body; the event is routed to its business by
// `event.account` (a connected account) or, on the platform account, by our metadata; each event
// is processed once, in the same transaction as the change it makes, whatever order events come in.
// Card events also keep the record of the customer's cards (cards.ts) as Stripe describes them.
import type Stripe from 'stripe';
import { newId } from '../lib/crypto';
import { AppError } from '../lib/errors';
import { paymentMismatchEmail, receiptEmail } from '../mail/templates/payments';
import type { Deps } from '../services/deps';
import { portalBaseUrl } from '../services/links';
import { notifyBusiness } from '../services/notify';
import type { Business, Customer, SideEffects } from '../store/types';
import { cardChangeId, cardEffects, cardOf, idOf, primaryEmail } from './common';
import type { Payments } from './gateway';

export interface WebhookResult {
  received: true;
  /** What the event did, for Stripe's delivery log and ours. */
  outcome: string;
}

const done = (outcome: string): WebhookResult => ({ received: true, outcome });

export async function handleStripeWebhook(deps: Deps, rawBody: string, signature: string | undefined): Promise<WebhookResult> {
  const payments = deps.payments;
  if (!payments) throw new AppError(404, 'not_found', 'Stripe is not configured on this server.');
  const event = payments.verifyEvent(rawBody, signature, deps.clock.now());
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutCompleted(deps, payments, event, event.data.object);
    case 'payment_method.attached':
      return cardAttached(deps, event, event.data.object);
    case 'payment_method.updated':
    case 'payment_method.automatically_updated':
      return cardUpdated(deps, event, event.data.object);
    case 'payment_method.detached':
      return cardDetached(deps, event, event.data.object, idOf(event.data.previous_attributes?.customer));
    case 'customer.updated':
      return defaultCardChanged(deps, event, event.data.object);
    default:
      // Everything else is of no interest; 2xx so Stripe does not retry it.
      return done('ignored');
  }
}

/**
 * The business an event is about: the one whose connected account it happened on, or, on the
 * platform account, the one our metadata names (if it has no connected account of its own). An
 * event whose account and metadata disagree belongs to nobody.
 */
async function businessOf(deps: Deps, event: Stripe.Event, named: string | undefined): Promise<Business | undefined> {
  if (event.account) {
    const business = await deps.store.getBusinessByStripeAccount(event.account);
    return business && (named === undefined || named === business.id) ? business : undefined;
  }
  if (named === undefined) return undefined;
  const business = await deps.store.getBusiness(named);
  return business && !business.stripeAccountId ? business : undefined;
}

async function checkoutCompleted(deps: Deps, payments: Payments, event: Stripe.Event, session: Stripe.Checkout.Session): Promise<WebhookResult> {
  const metadata = session.metadata ?? {};
  const business = await businessOf(deps, event, metadata['doorstepBusiness']);
  if (!business) return done('ignored: not a Doorstep business');
  const customer = metadata['doorstepCustomer'] ? await deps.store.getCustomer(business.id, metadata['doorstepCustomer']) : undefined;
  if (!customer || (customer.stripeCustomerId !== null && idOf(session.customer) !== customer.stripeCustomerId)) return done('ignored: unknown customer');

  if (session.mode === 'setup') {
    const setupIntentId = idOf(session.setup_intent);
    const intent = setupIntentId ? await payments.retrieveSetupIntent(business, setupIntentId) : undefined;
    const pm = intent?.payment_method;
    if (!pm || typeof pm === 'string') return done('ignored: no card saved');
    return cardAdded(deps, event, business, customer, pm);
  }
  if (session.mode !== 'payment') return done('ignored');
  // Delayed payment methods complete unpaid and succeed later (checkout.session.async_payment_succeeded).
  if (session.payment_status !== 'paid') return done('awaiting payment');
  return invoicePaid(deps, business, customer, event, session);
}

async function invoicePaid(deps: Deps, business: Business, customer: Customer, event: Stripe.Event, session: Stripe.Checkout.Session): Promise<WebhookResult> {
  const invoice = await deps.store.getInvoice(business.id, session.metadata?.['doorstepInvoice'] ?? '');
  if (!invoice || invoice.customerId !== customer.id) return done('ignored: unknown invoice');
  const now = deps.clock.now();
  const amount = session.amount_total ?? 0;
  const currency = session.currency ?? '';

  const paid = notifyBusiness(
    deps,
    business,
    { kind: 'invoice_paid', customer, number: invoice.number, amount, currency },
    {
      type: 'invoice.paid',
      data: { invoiceId: invoice.id, number: invoice.number, customerId: customer.id, customerName: customer.name, amount, currency, paidAt: new Date(now).toISOString() },
    },
  );
  const to = primaryEmail(customer);
  if (to) {
    const receipt = receiptEmail(business, customer, { number: invoice.number, amount, currency, paidAt: now }, portalBaseUrl(business, deps.publicUrl));
    paid.emails = [...(paid.emails ?? []), { id: newId('eml'), businessId: business.id, kind: 'payment_receipt', to, ...receipt }];
  }

  const notify = business.notificationEmail ?? business.email;
  const due = invoice.status === 'open' ? invoice.total - invoice.amountPaid : 0;
  const mismatch: SideEffects = {
    emails: notify
      ? [
          {
            id: newId('eml'),
            businessId: business.id,
            kind: 'notify_payment_mismatch',
            to: notify,
            ...paymentMismatchEmail(
              business,
              { customer, number: invoice.number, amount, currency, due, dueCurrency: invoice.currency, status: invoice.status, sessionId: session.id },
              `${deps.publicUrl}/admin`,
            ),
          },
        ]
      : [],
  };

  const outcome = await deps.store.recordInvoicePayment(
    business.id,
    { eventId: event.id, sessionId: session.id, invoiceId: invoice.id, customerId: customer.id, amount, currency },
    { paid, mismatch },
    now,
  );
  if (outcome === 'mismatch') {
    console.warn(`Stripe payment ${session.id} (${amount} ${currency}) does not match invoice ${business.id}/${invoice.number}: not marked paid; the business was told.`);
  }
  return done(outcome);
}

/**
 * When an event's news dates from, on the clock of the record's other writes (ms). Stripe stamps
 * events to the second; within that second, what our own call to Stripe answered is kept over an
 * event (the next listing of the cards corrects it if that was the older one).
 */
const eventTime = (event: Stripe.Event) => event.created * 1000 - 1;

/** A saved card: recorded as the customer's (when Stripe attached it to their Stripe customer) and told once. */
async function cardAdded(deps: Deps, event: Stripe.Event, business: Business, customer: Customer, pm: Stripe.PaymentMethod): Promise<WebhookResult> {
  const stripeCustomerId = idOf(pm.customer);
  const theirs = pm.type === 'card' && stripeCustomerId !== undefined && stripeCustomerId === customer.stripeCustomerId;
  const recorded = await deps.store.recordCardChange(
    business.id,
    {
      id: cardChangeId.added(business.id, pm.id),
      customerId: customer.id,
      eventId: event.id,
      fact: theirs ? { kind: 'attached', paymentMethodId: pm.id, stripeCustomerId, card: cardOf(pm), asOf: eventTime(event) } : undefined,
    },
    cardEffects(deps, business, customer, 'added', cardOf(pm)),
    deps.clock.now(),
  );
  return done(recorded ? 'card added' : 'duplicate');
}

/** The business and Doorstep customer behind a Stripe customer id, on the event's account. */
async function ownerOf(deps: Deps, event: Stripe.Event, stripeCustomerId: string | undefined): Promise<{ business: Business; customer: Customer } | undefined> {
  if (!stripeCustomerId) return undefined;
  const connected = event.account ? await deps.store.getBusinessByStripeAccount(event.account) : undefined;
  if (event.account && !connected) return undefined;
  const customer = await deps.store.findCustomerByStripeCustomer(connected?.id ?? null, stripeCustomerId);
  const business = connected ?? (customer ? await deps.store.getBusiness(customer.businessId) : undefined);
  return customer && business ? { business, customer } : undefined;
}

/** Doorstep saves cards only (Checkout is limited to them); other kinds of payment method are not ours to show. */
const notACard = (pm: Stripe.PaymentMethod) => pm.type !== 'card';

async function cardAttached(deps: Deps, event: Stripe.Event, pm: Stripe.PaymentMethod): Promise<WebhookResult> {
  if (notACard(pm)) return done('ignored: not a card');
  const owner = await ownerOf(deps, event, idOf(pm.customer));
  if (!owner) return done('ignored: unknown customer');
  return cardAdded(deps, event, owner.business, owner.customer, pm);
}

/** New details of a card (a new expiry from the card network, say): kept, and nobody is emailed. */
async function cardUpdated(deps: Deps, event: Stripe.Event, pm: Stripe.PaymentMethod): Promise<WebhookResult> {
  if (notACard(pm)) return done('ignored: not a card');
  const stripeCustomerId = idOf(pm.customer);
  const owner = await ownerOf(deps, event, stripeCustomerId);
  if (!owner || !stripeCustomerId) return done('ignored: unknown customer');
  const recorded = await deps.store.recordCardChange(
    owner.business.id,
    { customerId: owner.customer.id, eventId: event.id, fact: { kind: 'attached', paymentMethodId: pm.id, stripeCustomerId, card: cardOf(pm), asOf: eventTime(event) } },
    {},
    deps.clock.now(),
  );
  return done(recorded ? 'card updated' : 'duplicate');
}

async function cardDetached(deps: Deps, event: Stripe.Event, pm: Stripe.PaymentMethod, previousCustomer: string | undefined): Promise<WebhookResult> {
  if (notACard(pm)) return done('ignored: not a card');
  const owner = await ownerOf(deps, event, previousCustomer);
  if (!owner || !previousCustomer) return done('ignored: unknown customer');
  const recorded = await deps.store.recordCardChange(
    owner.business.id,
    {
      id: cardChangeId.removed(owner.business.id, pm.id),
      customerId: owner.customer.id,
      eventId: event.id,
      fact: { kind: 'detached', paymentMethodId: pm.id, stripeCustomerId: previousCustomer, card: cardOf(pm), asOf: eventTime(event) },
    },
    cardEffects(deps, owner.business, owner.customer, 'removed', cardOf(pm)),
    deps.clock.now(),
  );
  return done(recorded ? 'card removed' : 'duplicate');
}

/**
 * The customer's default card as of the event (every customer.updated carries it, whatever else
 * changed). The portal's own "make default" emails the business; a change made elsewhere (or the
 * default cleared when its card is removed) is only recorded.
 */
async function defaultCardChanged(deps: Deps, event: Stripe.Event, stripeCustomer: Stripe.Customer): Promise<WebhookResult> {
  const owner = await ownerOf(deps, event, stripeCustomer.id);
  if (!owner) return done('ignored: unknown customer');
  const recorded = await deps.store.recordCardChange(
    owner.business.id,
    {
      customerId: owner.customer.id,
      eventId: event.id,
      fact: {
        kind: 'default',
        stripeCustomerId: stripeCustomer.id,
        paymentMethodId: idOf(stripeCustomer.invoice_settings?.default_payment_method) ?? null,
        asOf: eventTime(event),
      },
    },
    {},
    deps.clock.now(),
  );
  return done(recorded ? 'default card recorded' : 'duplicate');
}
