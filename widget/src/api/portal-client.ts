// The signed-in half of the widget API: sessions and everything the portal shows (SPEC §3.2–3.3, §9).
import { ApiClient } from './client.js';
import type {
  Appointment,
  CheckoutRedirect,
  Customer,
  Estimate,
  Invoice,
  Message,
  NewMessage,
  Page,
  PaymentMethod,
  SignedIn,
  Summary,
} from './types.js';

export interface PageQuery {
  cursor?: string | null;
  limit?: number;
}

/** `?when=past&cursor=…`, leaving out what is unset. */
function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value != null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export class PortalClient extends ApiClient {
  /** Exchanges a link token for a session (`link_expired` 410, `invalid_link` 401). */
  createSession(token: string, signal?: AbortSignal) {
    return this.request<SignedIn>('POST', '/sessions', { body: { token }, signal, anonymous: true });
  }

  signOut(signal?: AbortSignal) {
    return this.request<void>('DELETE', '/session', { signal });
  }

  me(signal?: AbortSignal) {
    return this.request<Customer>('GET', '/me', { signal });
  }

  // The signed-in portal (SPEC §3.3).

  summary(signal?: AbortSignal) {
    return this.request<Summary>('GET', '/summary', { signal });
  }

  /** Upcoming soonest first, past most recent first. */
  appointments(when: 'upcoming' | 'past', page: PageQuery = {}, signal?: AbortSignal) {
    return this.request<Page<Appointment>>('GET', `/appointments${query({ when, ...page })}`, { signal });
  }

  /** Unpaid first, then past invoices. */
  invoices(page: PageQuery = {}, signal?: AbortSignal) {
    return this.request<Page<Invoice>>('GET', `/invoices${query({ ...page })}`, { signal });
  }

  invoice(id: string, signal?: AbortSignal) {
    return this.request<Invoice>('GET', `/invoices/${encodeURIComponent(id)}`, { signal });
  }

  /** Starts Stripe Checkout for an invoice; send the browser to the returned `url`. */
  checkoutInvoice(id: string, signal?: AbortSignal) {
    return this.request<CheckoutRedirect>('POST', `/invoices/${encodeURIComponent(id)}/checkout`, { signal });
  }

  /** Open first, then past; never canceled ones. */
  estimates(page: PageQuery = {}, signal?: AbortSignal) {
    return this.request<Page<Estimate>>('GET', `/estimates${query({ ...page })}`, { signal });
  }

  estimate(id: string, signal?: AbortSignal) {
    return this.request<Estimate>('GET', `/estimates/${encodeURIComponent(id)}`, { signal });
  }

  /** `optionId` is required when the estimate has several options. */
  approveEstimate(id: string, optionId?: string, signal?: AbortSignal) {
    return this.request<Estimate>('POST', `/estimates/${encodeURIComponent(id)}/approve`, { body: optionId ? { optionId } : {}, signal });
  }

  declineEstimate(id: string, reason?: string, signal?: AbortSignal) {
    return this.request<Estimate>('POST', `/estimates/${encodeURIComponent(id)}/decline`, { body: reason ? { reason } : {}, signal });
  }

  /** The customer's messages with the business's replies, newest first. */
  messages(page: PageQuery = {}, signal?: AbortSignal) {
    return this.request<Page<Message>>('GET', `/messages${query({ ...page })}`, { signal });
  }

  sendMessage(message: NewMessage, signal?: AbortSignal) {
    return this.request<Message>('POST', '/messages', { body: message, signal });
  }

  paymentMethods(signal?: AbortSignal) {
    return this.request<Page<PaymentMethod>>('GET', '/payment-methods', { signal });
  }

  /** Starts Stripe Checkout in setup mode to add a card; send the browser to the returned `url`. */
  setupPaymentMethod(signal?: AbortSignal) {
    return this.request<CheckoutRedirect>('POST', '/payment-methods/setup', { signal });
  }

  /** Answers the updated list of cards. */
  makeDefaultPaymentMethod(id: string, signal?: AbortSignal) {
    return this.request<Page<PaymentMethod>>('POST', `/payment-methods/${encodeURIComponent(id)}/default`, { signal });
  }

  removePaymentMethod(id: string, signal?: AbortSignal) {
    return this.request<void>('DELETE', `/payment-methods/${encodeURIComponent(id)}`, { signal });
  }
}
