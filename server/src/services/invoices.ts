// Invoices: totals from line items, status rules, and sending (the email with a sign-in link that
// lands on the invoice, queued in the same transaction).
import { newId, newToken, sha256 } from '../lib/crypto';
import { AppError, notFound } from '../lib/errors';
import { invoiceEmail } from '../mail/templates/invoice';
import type { InvoiceInput } from '../schemas/admin';
import type { Invoice, InvoiceFields, WorkQuery } from '../store/types';
import { getCustomerOrThrow } from './customers';
import type { Deps } from './deps';
import { signInLink } from './links';
import { priceLineItems } from './money';
import { getBusinessOrThrow } from './settings';

const DAY = 86_400_000;

function fieldsFrom(input: InvoiceInput, current: Invoice | undefined, customerId: string, now: number): InvoiceFields {
  const priced = priceLineItems(input.lineItems ?? current!.lineItems, input.taxAmount ?? current?.taxAmount ?? 0);
  const requested = input.status ?? current?.status ?? 'draft';
  const paidSoFar = input.amountPaid ?? current?.amountPaid ?? 0;
  // An open invoice paid in full (say, by cheque recorded in the business's system) is paid.
  const status = requested === 'open' && priced.total > 0 && paidSoFar >= priced.total ? 'paid' : requested;
  const amountPaid = status === 'paid' ? priced.total : paidSoFar;
  if (amountPaid > priced.total) throw new AppError(400, 'invalid_body', 'amountPaid: must not exceed the invoice total.');
  return {
    customerId,
    externalId: input.externalId !== undefined ? input.externalId : (current?.externalId ?? null),
    number: input.number ?? current!.number,
    currency: input.currency ?? current!.currency,
    ...priced,
    amountPaid,
    dueDate: input.dueDate !== undefined ? input.dueDate : (current?.dueDate ?? null),
    status,
    paidAt: status === 'paid' ? (current?.paidAt ?? now) : null,
  };
}

export async function getInvoiceOrThrow(deps: Deps, businessId: string, id: string): Promise<Invoice> {
  const invoice = await deps.store.getInvoice(businessId, id);
  if (!invoice) throw notFound('Invoice');
  return invoice;
}

export function listInvoices(deps: Deps, businessId: string, query: WorkQuery) {
  return deps.store.listInvoices(businessId, query);
}

export async function saveInvoice(deps: Deps, businessId: string, input: InvoiceInput & { customerId: string; number: string; currency: string }) {
  const customer = await getCustomerOrThrow(deps, businessId, input.customerId);
  const now = deps.clock.now();
  return deps.store.saveInvoice(businessId, newId('inv'), fieldsFrom(input, undefined, customer.id, now), now);
}

export async function updateInvoice(deps: Deps, businessId: string, id: string, input: InvoiceInput) {
  const current = await getInvoiceOrThrow(deps, businessId, id);
  if (current.status === 'paid' || current.status === 'void') {
    throw new AppError(409, 'invoice_closed', `Invoice ${current.number} is ${current.status} and can no longer change.`);
  }
  const now = deps.clock.now();
  const updated = await deps.store.updateInvoice(businessId, id, fieldsFrom(input, current, current.customerId, now), now);
  if (!updated) throw notFound('Invoice');
  return updated;
}

/** Emails the invoice to the customer's primary address; a draft becomes open. */
export async function sendInvoice(deps: Deps, businessId: string, id: string): Promise<Invoice> {
  const invoice = await getInvoiceOrThrow(deps, businessId, id);
  if (invoice.status === 'paid' || invoice.status === 'void') {
    throw new AppError(409, 'invoice_closed', `Invoice ${invoice.number} is ${invoice.status}; only draft or open invoices are sent.`);
  }
  const [business, customer] = await Promise.all([getBusinessOrThrow(deps, businessId), getCustomerOrThrow(deps, businessId, invoice.customerId)]);
  const to = customer.emails.find((e) => e.primary)?.address;
  if (!to) throw new AppError(409, 'customer_has_no_email', `${customer.name} has no email address to send the invoice to.`);
  if (customer.disabled) throw new AppError(409, 'customer_disabled', `${customer.name} is disabled and cannot sign in to the portal.`);

  const now = deps.clock.now();
  const token = newToken();
  const email = invoiceEmail(business, customer, invoice, signInLink(business, deps.publicUrl, token));
  const sent = await deps.store.sendInvoice(
    businessId,
    id,
    { id: newId('lnk'), tokenHash: sha256(token), kind: 'invoice', email: to, landing: `invoice:${id}`, expiresAt: now + business.inviteLinkTtlDays * DAY },
    { id: newId('eml'), businessId, kind: 'invoice', to, ...email },
    now,
  );
  if (!sent) throw new AppError(409, 'invoice_closed', `Invoice ${invoice.number} can no longer be sent.`);
  return sent;
}
