// Payments in the PostgreSQL store (the twin of store/sqlite/payments.ts): Stripe customer ids, the
// record of customers' cards, and the changes that Stripe events and card actions bring. Each
// event, Checkout Session and card change is claimed once in processed_events, in the same
// transaction as the change it causes, so retries and concurrent deliveries, from any process,
// change nothing twice.
import { and, count, desc, eq, getTableColumns, isNotNull, isNull, lt, lte, notInArray } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client';
import * as s from '../../db/pg/schema';
import type { Business, CardChange, CardDetails, CardFact, CardSnapshot, InvoicePayment, InvoicePaymentOutcome, SavedCard, SideEffects } from '../types';
import { applyEffects } from './portal';
import type { PgTx } from './tx';

type Reader = PgDb | PgTx;

const cardSource = (businessId: string, customerId: string) => `card:${businessId}:${customerId}`;

/**
 * Takes an id in processed_events: true the first time, false ever after. A concurrent transaction
 * inserting the same id waits for this one; once it commits, the other finds the row taken (or,
 * under SERIALIZABLE, fails and is retried by the transaction helper, and then finds it taken).
 */
async function claim(tx: PgTx, id: string, source: string, now: number): Promise<boolean> {
  const rows = await tx.insert(s.processedEvents).values({ id, source, processedAt: now }).onConflictDoNothing().returning({ id: s.processedEvents.id });
  return rows.length > 0;
}

const claimStripeEvent = (tx: PgTx, eventId: string, now: number) => claim(tx, `stripe:${eventId}`, 'stripe', now);

export async function setStripeCustomerId(tx: PgTx, businessId: string, customerId: string, stripeCustomerId: string): Promise<string | undefined> {
  const c = s.customers;
  const mine = and(eq(c.businessId, businessId), eq(c.id, customerId));
  await tx.update(c).set({ stripeCustomerId }).where(and(mine, isNull(c.stripeCustomerId)));
  const [row] = await tx.select({ stripeCustomerId: c.stripeCustomerId }).from(c).where(mine);
  return row?.stripeCustomerId ?? undefined;
}

export async function getBusinessByStripeAccount(db: Reader, stripeAccountId: string): Promise<Business | undefined> {
  const [row] = await db.select().from(s.businesses).where(eq(s.businesses.stripeAccountId, stripeAccountId)).limit(1);
  return row;
}

/** The (business, customer) holding a Stripe customer id; `businessId` null means the platform account. */
export async function findCustomerByStripeCustomer(db: Reader, businessId: string | null, stripeCustomerId: string) {
  const c = s.customers;
  const [row] = await db
    .select({ id: c.id, businessId: c.businessId })
    .from(c)
    .innerJoin(s.businesses, eq(s.businesses.id, c.businessId))
    .where(
      and(
        eq(c.stripeCustomerId, stripeCustomerId),
        businessId === null ? isNull(s.businesses.stripeAccountId) : eq(c.businessId, businessId),
      ),
    )
    .limit(1);
  return row;
}

export async function recordInvoicePayment(
  tx: PgTx,
  businessId: string,
  payment: InvoicePayment,
  effects: { paid: SideEffects; mismatch: SideEffects },
  now: number,
): Promise<InvoicePaymentOutcome> {
  if (!(await claimStripeEvent(tx, payment.eventId, now))) return 'duplicate';
  const i = s.invoices;
  const [invoice] = await tx
    .select()
    .from(i)
    .where(and(eq(i.businessId, businessId), eq(i.customerId, payment.customerId), eq(i.id, payment.invoiceId)));
  if (!invoice) return 'not_found';
  // Another event about the same session (a replay under a new id) changes nothing either.
  if (!(await claim(tx, `stripe-session:${payment.sessionId}`, 'stripe', now))) return 'duplicate';
  const due = invoice.status === 'open' ? invoice.total - invoice.amountPaid : 0;
  if (due <= 0 || payment.amount !== due || payment.currency.toLowerCase() !== invoice.currency.toLowerCase()) {
    await applyEffects(tx, businessId, effects.mismatch, now);
    return 'mismatch';
  }
  await tx
    .update(i)
    .set({ status: 'paid', amountPaid: invoice.total, paidAt: now, paidThroughPortal: true, updatedAt: now })
    .where(and(eq(i.id, invoice.id), eq(i.status, 'open')));
  await applyEffects(tx, businessId, effects.paid, now);
  return 'paid';
}

export async function recordCardChange(tx: PgTx, businessId: string, change: CardChange, effects: SideEffects, now: number): Promise<boolean> {
  if (change.eventId !== undefined && !(await claimStripeEvent(tx, change.eventId, now))) return false;
  // What Stripe said is kept even when the change was told before: a second report of a card
  // (checkout.session.completed after payment_method.attached) may be the newer one.
  if (change.fact) await applyCardFact(tx, businessId, change.customerId, change.fact, now);
  if (change.id === undefined) return true;
  if (!(await claim(tx, change.id, cardSource(businessId, change.customerId), now))) return false;
  await applyEffects(tx, businessId, effects, now);
  return true;
}

const cardColumns = (card: CardDetails) => ({ brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear });

/**
 * Keeps what a fact says about one customer's cards, unless something newer is kept already. Rows
 * are only ever written for this customer: a payment method recorded for anyone else stays theirs.
 * The default is kept once for the customer (recordDefault), never on the cards' rows, so every
 * order of the facts ends in the same state.
 */
async function applyCardFact(tx: PgTx, businessId: string, customerId: string, fact: CardFact, now: number): Promise<void> {
  const p = s.paymentMethods;
  const mine = and(eq(p.businessId, businessId), eq(p.customerId, customerId));
  const row = { businessId, customerId, stripeCustomerId: fact.stripeCustomerId, createdAt: now, updatedAt: now };
  switch (fact.kind) {
    case 'attached': {
      const card = { ...cardColumns(fact.card), cardAsOf: fact.asOf };
      await tx.insert(p).values({ ...row, id: fact.paymentMethodId, ...card }).onConflictDoNothing();
      await tx
        .update(p)
        .set({ ...card, updatedAt: now })
        .where(and(mine, eq(p.id, fact.paymentMethodId), isNull(p.detachedAt), lte(p.cardAsOf, fact.asOf)));
      return;
    }
    case 'detached': {
      // Whenever it is heard of, and in whatever order: Stripe never attaches it again.
      const card = fact.card ? { ...cardColumns(fact.card), cardAsOf: fact.asOf } : {};
      await tx.insert(p).values({ ...row, id: fact.paymentMethodId, ...card, detachedAt: fact.asOf }).onConflictDoNothing();
      await tx
        .update(p)
        .set({ detachedAt: fact.asOf, updatedAt: now })
        .where(and(mine, eq(p.id, fact.paymentMethodId), isNull(p.detachedAt)));
      return;
    }
    case 'default': {
      // Stripe's default is always attached to the customer: it is theirs even before its own event.
      if (fact.paymentMethodId !== null) await tx.insert(p).values({ ...row, id: fact.paymentMethodId }).onConflictDoNothing();
      await recordDefault(tx, businessId, customerId, fact.stripeCustomerId, fact.paymentMethodId, fact.asOf, now);
      return;
    }
  }
}

/** Keeps the Stripe customer's default (any kind of payment method, or none), unless a newer report of it is kept. */
async function recordDefault(
  tx: PgTx,
  businessId: string,
  customerId: string,
  stripeCustomerId: string,
  paymentMethodId: string | null,
  asOf: number,
  now: number,
): Promise<void> {
  const d = s.stripeCustomerDefaults;
  const kept = { stripeCustomerId, paymentMethodId, asOf, updatedAt: now };
  await tx
    .insert(d)
    .values({ businessId, customerId, ...kept })
    .onConflictDoUpdate({ target: [d.businessId, d.customerId], set: kept, setWhere: lte(d.asOf, asOf) });
}

/** A customer's cards, each with whether it is the one its Stripe customer names as default. */
const savedCards = (db: Reader) => {
  const p = s.paymentMethods;
  const d = s.stripeCustomerDefaults;
  return db
    .select({ ...getTableColumns(p), isDefault: isNotNull(d.paymentMethodId).mapWith(Boolean) })
    .from(p)
    .leftJoin(
      d,
      and(eq(d.businessId, p.businessId), eq(d.customerId, p.customerId), eq(d.stripeCustomerId, p.stripeCustomerId), eq(d.paymentMethodId, p.id)),
    );
};

export async function listSavedCards(db: Reader, businessId: string, customerId: string): Promise<SavedCard[]> {
  const p = s.paymentMethods;
  return savedCards(db)
    .where(and(eq(p.businessId, businessId), eq(p.customerId, customerId), isNull(p.detachedAt)))
    .orderBy(desc(p.createdAt), desc(p.id));
}

export async function refreshSavedCards(tx: PgTx, businessId: string, customerId: string, snapshot: CardSnapshot, now: number): Promise<SavedCard[]> {
  const { stripeCustomerId, asOf } = snapshot;
  const listed = snapshot.cards.map((c) => c.paymentMethodId);
  for (const { paymentMethodId, card } of snapshot.cards) {
    await applyCardFact(tx, businessId, customerId, { kind: 'attached', paymentMethodId, stripeCustomerId, card, asOf }, now);
  }
  if (snapshot.complete) {
    // Heard of before the list was asked for, and not on it: detached since, and so for good.
    // Anything written while the list was on its way is newer than the list and stays.
    const p = s.paymentMethods;
    await tx
      .update(p)
      .set({ detachedAt: asOf, updatedAt: now })
      .where(
        and(
          eq(p.businessId, businessId),
          eq(p.customerId, customerId),
          isNull(p.detachedAt),
          lt(p.updatedAt, asOf),
          listed.length > 0 ? notInArray(p.id, listed) : undefined,
        ),
      );
  }
  // The customer's default whatever the list holds: a card on a page not listed, or another kind of
  // payment method (which no card row matches), is as much Stripe's word as a listed card.
  await recordDefault(tx, businessId, customerId, stripeCustomerId, snapshot.defaultId, asOf, now);
  return listSavedCards(tx, businessId, customerId);
}

export async function countCardChanges(db: Reader, businessId: string, customerId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(s.processedEvents)
    .where(eq(s.processedEvents.source, cardSource(businessId, customerId)));
  return row?.n ?? 0;
}
