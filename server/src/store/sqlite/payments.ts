// Payments in the SQLite store: Stripe customer ids, and the changes that Stripe events and card
// actions bring. Each event, Checkout Session and card change is claimed once in processed_events,
// in the same transaction as the change it causes, so retries and concurrent deliveries change
// nothing twice.
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import * as s from '../../db/schema';
import type { Business, CardChange, InvoicePayment, InvoicePaymentOutcome, SideEffects } from '../types';
import { applyEffects } from './portal';
import type { Tx } from './tx';

type Reader = Db | Tx;

const cardSource = (businessId: string, customerId: string) => `card:${businessId}:${customerId}`;

/** Takes an id in processed_events: true the first time, false ever after. */
function claim(tx: Tx, id: string, source: string, now: number): boolean {
  const row = tx.insert(s.processedEvents).values({ id, source, processedAt: now }).onConflictDoNothing().returning({ id: s.processedEvents.id }).get();
  return row !== undefined;
}

const claimStripeEvent = (tx: Tx, eventId: string, now: number) => claim(tx, `stripe:${eventId}`, 'stripe', now);

export function setStripeCustomerId(tx: Tx, businessId: string, customerId: string, stripeCustomerId: string): string | undefined {
  const c = s.customers;
  const mine = and(eq(c.businessId, businessId), eq(c.id, customerId));
  tx.update(c).set({ stripeCustomerId }).where(and(mine, isNull(c.stripeCustomerId))).run();
  return tx.select({ stripeCustomerId: c.stripeCustomerId }).from(c).where(mine).get()?.stripeCustomerId ?? undefined;
}

export function getBusinessByStripeAccount(db: Reader, stripeAccountId: string): Business | undefined {
  return db.select().from(s.businesses).where(eq(s.businesses.stripeAccountId, stripeAccountId)).get();
}

/** The (business, customer) holding a Stripe customer id; `businessId` null means the platform account. */
export function findCustomerByStripeCustomer(db: Reader, businessId: string | null, stripeCustomerId: string) {
  const c = s.customers;
  return db
    .select({ id: c.id, businessId: c.businessId })
    .from(c)
    .innerJoin(s.businesses, eq(s.businesses.id, c.businessId))
    .where(
      and(
        eq(c.stripeCustomerId, stripeCustomerId),
        businessId === null ? isNull(s.businesses.stripeAccountId) : eq(c.businessId, businessId),
      ),
    )
    .get();
}

export function recordInvoicePayment(
  tx: Tx,
  businessId: string,
  payment: InvoicePayment,
  effects: { paid: SideEffects; mismatch: SideEffects },
  now: number,
): InvoicePaymentOutcome {
  if (!claimStripeEvent(tx, payment.eventId, now)) return 'duplicate';
  const i = s.invoices;
  const invoice = tx
    .select()
    .from(i)
    .where(and(eq(i.businessId, businessId), eq(i.customerId, payment.customerId), eq(i.id, payment.invoiceId)))
    .get();
  if (!invoice) return 'not_found';
  // Another event about the same session (a replay under a new id) changes nothing either.
  if (!claim(tx, `stripe-session:${payment.sessionId}`, 'stripe', now)) return 'duplicate';
  const due = invoice.status === 'open' ? invoice.total - invoice.amountPaid : 0;
  if (due <= 0 || payment.amount !== due || payment.currency.toLowerCase() !== invoice.currency.toLowerCase()) {
    applyEffects(tx, businessId, effects.mismatch, now);
    return 'mismatch';
  }
  tx.update(i)
    .set({ status: 'paid', amountPaid: invoice.total, paidAt: now, updatedAt: now })
    .where(and(eq(i.id, invoice.id), eq(i.status, 'open')))
    .run();
  applyEffects(tx, businessId, effects.paid, now);
  return 'paid';
}

export function recordCardChange(tx: Tx, businessId: string, change: CardChange, effects: SideEffects, now: number): boolean {
  if (change.eventId !== undefined && !claimStripeEvent(tx, change.eventId, now)) return false;
  if (!claim(tx, change.id, cardSource(businessId, change.customerId), now)) return false;
  applyEffects(tx, businessId, effects, now);
  return true;
}

export function countCardChanges(db: Reader, businessId: string, customerId: string): number {
  const row = db
    .select({ n: count() })
    .from(s.processedEvents)
    .where(eq(s.processedEvents.source, cardSource(businessId, customerId)))
    .get();
  return row?.n ?? 0;
}
