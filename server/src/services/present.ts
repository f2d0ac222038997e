// How stored rows are shown through the API: ISO times, derived amounts and statuses, no internals.
import { portalBaseUrl } from './links';
import type { Appointment, Business, CustomerAppointment, Customer, CustomerSummary, Estimate, Invoice, MessageThread } from '../store/types';
import { iso } from '../lib/iso';

export function presentSettings(business: Business, paymentsConfigured: boolean) {
  const { createdAt, updatedAt, stripeAccountId: _stripeAccountId, ...settings } = business;
  return {
    ...settings,
    paymentsEnabled: settings.paymentsEnabled && paymentsConfigured,
    paymentsConfigured,
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
  };
}

/** What any visitor of the business's website may know: branding and which features are on. */
export function presentPublicBusiness(business: Business, publicUrl: string, paymentsConfigured: boolean) {
  return {
    id: business.id,
    name: business.name,
    logoUrl: business.logoUrl,
    phone: business.phone,
    email: business.email,
    address: business.address,
    brandColor: business.brandColor,
    portalUrl: portalBaseUrl(business, publicUrl),
    language: business.language,
    features: { payments: business.paymentsEnabled && paymentsConfigured, messaging: business.messagingEnabled },
  };
}

/** The signed-in customer's own view of themselves. */
export function presentMe(customer: Customer) {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.emails.find((e) => e.primary)?.address ?? null,
    emails: customer.emails,
    phone: customer.phone,
    addresses: customer.addresses,
  };
}

export function presentCustomer(customer: Customer) {
  const { businessId: _b, stripeCustomerId: _s, createdAt, updatedAt, ...rest } = customer;
  const primary = customer.emails.find((e) => e.primary)?.address ?? null;
  return { ...rest, email: primary, createdAt: iso(createdAt), updatedAt: iso(updatedAt) };
}

export function presentAppointment(appointment: Appointment) {
  const { businessId: _b, startsAt, endsAt, createdAt, updatedAt, ...rest } = appointment;
  const windowEnd = appointment.arrivalWindowMinutes === null ? null : startsAt + appointment.arrivalWindowMinutes * 60_000;
  return {
    ...rest,
    startsAt: iso(startsAt),
    endsAt: iso(endsAt),
    arrivalWindow: windowEnd === null ? null : { start: iso(startsAt), end: iso(windowEnd) },
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
  };
}

export function presentInvoice(invoice: Invoice) {
  const { businessId: _b, sentAt, paidAt, createdAt, updatedAt, ...rest } = invoice;
  return {
    ...rest,
    amountDue: invoice.status === 'void' ? 0 : Math.max(0, invoice.total - invoice.amountPaid),
    sentAt: iso(sentAt),
    paidAt: iso(paidAt),
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
  };
}

/** An open estimate past its expiry reads as expired everywhere. */
export function estimateStatus(estimate: Estimate, now: number): Estimate['status'] {
  return estimate.status === 'open' && estimate.expiresAt !== null && estimate.expiresAt <= now ? 'expired' : estimate.status;
}

export function presentEstimate(estimate: Estimate, now: number) {
  const { businessId: _b, expiresAt, decidedAt, createdAt, updatedAt, ...rest } = estimate;
  return {
    ...rest,
    status: estimateStatus(estimate, now),
    expiresAt: iso(expiresAt),
    decidedAt: iso(decidedAt),
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
  };
}

/** Sync ids and tenant ids are the business's business, not the customer's. */
const forCustomer = <T extends { externalId: unknown; customerId: unknown }>({ externalId: _e, customerId: _c, ...rest }: T) => rest;

/**
 * presentAppointment without the sync and tenant ids, key for key in the same order. Written out
 * rather than spread: the widget lists up to 100 of them per request, and copying objects with rest
 * patterns made up much of GET …/appointments (bench/api.ts).
 */
export const presentCustomerAppointment = (a: CustomerAppointment) => {
  const windowEnd = a.arrivalWindowMinutes === null ? null : a.startsAt + a.arrivalWindowMinutes * 60_000;
  return {
    id: a.id,
    arrivalWindowMinutes: a.arrivalWindowMinutes,
    description: a.description,
    address: a.address,
    technicians: a.technicians,
    status: a.status,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    arrivalWindow: windowEnd === null ? null : { start: iso(a.startsAt), end: iso(windowEnd) },
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
};
export const presentCustomerInvoice = (invoice: Invoice) => forCustomer(presentInvoice(invoice));
export const presentCustomerEstimate = (estimate: Estimate, now: number) => {
  const { declineReason, ...rest } = forCustomer(presentEstimate(estimate, now));
  return { ...rest, declineReason };
};

export function presentSummary(summary: CustomerSummary) {
  return {
    unpaidInvoices: summary.unpaidInvoices,
    openEstimates: summary.openEstimates,
    nextAppointment: summary.nextAppointment ? presentCustomerAppointment(summary.nextAppointment) : null,
  };
}

export function presentMessage(thread: MessageThread, audience: 'business' | 'customer') {
  const { businessId: _b, createdAt, replies, customerName, customerId, ...rest } = thread;
  return {
    ...rest,
    ...(audience === 'business' ? { customerId, customerName } : {}),
    createdAt: iso(createdAt),
    replies: replies.map((r) => ({ id: r.id, body: r.body, createdAt: iso(r.createdAt) })),
  };
}
