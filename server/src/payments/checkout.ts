// Paying an invoice (SPEC §5, SECURITY P1): a Stripe Checkout Session in payment mode for the
// amount due as the database has it. The browser names only the invoice; nothing it sends can
// change what is charged, and only Stripe's webhook later marks the invoice paid.
import type Stripe from 'stripe';
import { AppError, notFound } from '../lib/errors';
import type { Deps } from '../services/deps';
import type { Viewer } from '../services/portal';
import { checkoutUrl, customerOf, ensureStripeCustomer, paymentsFor, portalReturnUrl } from './common';
import { checkoutWindow, idempotencyKey } from './keys';

const invoiceWord = { en: 'Invoice', es: 'Factura' } as const;

export async function startInvoiceCheckout(deps: Deps, v: Viewer, invoiceId: string): Promise<{ url: string }> {
  const { business } = v;
  const invoice = await deps.store.getCustomerInvoice(business.id, v.session.customerId, invoiceId);
  if (!invoice) throw notFound('Invoice');
  const payments = paymentsFor(deps, business);
  if (invoice.status === 'paid') throw new AppError(409, 'invoice_paid', `Invoice ${invoice.number} is already paid.`);
  if (invoice.status !== 'open') throw new AppError(409, 'invoice_not_payable', `Invoice ${invoice.number} is ${invoice.status} and cannot be paid.`);
  const due = invoice.total - invoice.amountPaid;
  if (due <= 0) throw new AppError(409, 'nothing_due', `Invoice ${invoice.number} has nothing left to pay.`);

  const customer = await customerOf(deps, v);
  const stripeCustomer = await ensureStripeCustomer(deps, payments, business, customer);
  const { window, expiresAt } = checkoutWindow(deps.clock.now());
  const metadata = { doorstepBusiness: business.id, doorstepCustomer: customer.id, doorstepInvoice: invoice.id };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'payment',
    customer: stripeCustomer,
    client_reference_id: invoice.id,
    line_items: [
      {
        quantity: 1,
        price_data: { currency: invoice.currency, unit_amount: due, product_data: { name: `${invoiceWord[business.language]} ${invoice.number}` } },
      },
    ],
    metadata,
    payment_intent_data: { metadata, description: `${business.name} — ${invoiceWord[business.language]} ${invoice.number}` },
    success_url: portalReturnUrl(business, deps.publicUrl, { 'portal-checkout': 'success', invoice: invoice.id }),
    cancel_url: portalReturnUrl(business, deps.publicUrl, { 'portal-checkout': 'canceled', invoice: invoice.id }),
    expires_at: expiresAt,
    locale: business.language,
  };
  const session = await payments.createCheckoutSession(business, params, idempotencyKey.checkout(business.id, invoice.id, due, invoice.currency, window, params));
  return checkoutUrl(session);
}
