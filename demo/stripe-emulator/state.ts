// The emulator's in-memory Stripe: objects in Stripe's JSON shapes, each owned by one account
// (the platform, or the connected account named by `Stripe-Account`), and the events they raise.
import { randomBytes } from 'node:crypto';

/** The API version stamped on events (the one the pinned `stripe` SDK speaks). */
export const EMULATED_API_VERSION = '2026-10-28.endive';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${out}`;
}

export interface CustomerObject {
  id: string;
  object: 'customer';
  created: number;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  metadata: Record<string, string>;
  invoice_settings: { default_payment_method: string | null; custom_fields: null; footer: null; rendering_options: null };
  balance: number;
  currency: string | null;
  delinquent: boolean;
  livemode: false;
}

export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: 'credit' | 'debit';
  country: string;
  fingerprint: string;
  display_brand: string;
  checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: 'pass' };
  wallet: null;
}

export interface PaymentMethodObject {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: CardDetails;
  billing_details: { name: string | null; email: null; phone: null; address: { city: null; country: null; line1: null; line2: null; postal_code: null; state: null } };
  customer: string | null;
  allow_redisplay: 'unspecified';
  created: number;
  livemode: false;
  metadata: Record<string, string>;
}

export interface SetupIntentObject {
  id: string;
  object: 'setup_intent';
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  customer: string | null;
  payment_method: string | PaymentMethodObject | null;
  payment_method_types: string[];
  usage: 'off_session';
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface PaymentIntentObject {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'succeeded';
  customer: string | null;
  payment_method: string | PaymentMethodObject | null;
  payment_method_types: string[];
  description: string | null;
  receipt_email: string | null;
  metadata: Record<string, string>;
  latest_charge: string;
  created: number;
  livemode: false;
}

export interface LineItemObject {
  id: string;
  object: 'item';
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  quantity: number;
  price: { id: string; object: 'price'; active: boolean; currency: string; product: string; type: 'one_time'; unit_amount: number; livemode: false };
}

export interface CheckoutSessionObject {
  id: string;
  object: 'checkout.session';
  mode: 'payment' | 'setup';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_subtotal: number | null;
  amount_total: number | null;
  currency: string | null;
  customer: string | null;
  customer_email: string | null;
  client_reference_id: string | null;
  locale: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string | null;
  url: string | null;
  payment_intent: string | PaymentIntentObject | null;
  setup_intent: string | SetupIntentObject | null;
  payment_method_types: string[];
  expires_at: number;
  created: number;
  livemode: false;
}

export interface EventObject {
  id: string;
  object: 'event';
  /** Present when the event happened on a connected account. */
  account?: string;
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

interface Owned<T> {
  /** null: the platform account. */
  account: string | null;
  object: T;
}

/** What caused an event: the API request, or nothing (the hosted checkout page). */
export interface EventCause {
  requestId: string | null;
  idempotencyKey: string | null;
}

export class EmulatorState {
  readonly customers = new Map<string, Owned<CustomerObject>>();
  readonly sessions = new Map<string, Owned<CheckoutSessionObject>>();
  readonly lineItems = new Map<string, LineItemObject[]>();
  readonly paymentMethods = new Map<string, Owned<PaymentMethodObject>>();
  /** Payment methods detached from a customer: Stripe never attaches one again. */
  readonly detached = new Set<string>();
  readonly setupIntents = new Map<string, Owned<SetupIntentObject>>();
  readonly paymentIntents = new Map<string, Owned<PaymentIntentObject>>();
  /** `payment_intent_data` of payment-mode sessions: given to the PaymentIntent made on payment. */
  readonly paymentIntentData = new Map<string, { metadata: Record<string, string>; description: string | null }>();
  /** Every event, oldest first. */
  readonly events: EventObject[] = [];
  /** Events raised but not yet handed to the webhook sender. */
  private pending: EventObject[] = [];

  constructor(
    /** Milliseconds since the epoch: the emulator's clock (tests pass theirs). */
    readonly now: () => number,
    private readonly webhooksConfigured: () => boolean,
  ) {}

  seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** The object with this id if it belongs to `account`; other accounts' objects do not exist. */
  find<T>(map: Map<string, Owned<T>>, id: string, account: string | null): T | undefined {
    const owned = map.get(id);
    return owned && owned.account === account ? owned.object : undefined;
  }

  accountOf<T>(map: Map<string, Owned<T>>, id: string): string | null | undefined {
    return map.get(id)?.account;
  }

  put<T extends { id: string }>(map: Map<string, Owned<T>>, object: T, account: string | null): T {
    map.set(object.id, { account, object });
    return object;
  }

  emit(type: string, object: unknown, account: string | null, cause: EventCause, previous?: Record<string, unknown>): EventObject {
    const event: EventObject = {
      id: stripeId('evt'),
      object: 'event',
      ...(account ? { account } : {}),
      api_version: EMULATED_API_VERSION,
      created: this.seconds(),
      // A snapshot: later changes to the object do not rewrite history.
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: this.webhooksConfigured() ? 1 : 0,
      request: { id: cause.requestId, idempotency_key: cause.idempotencyKey },
      type,
    };
    this.events.push(event);
    this.pending.push(event);
    return event;
  }

  /** The events raised since the last call, for delivery. */
  takePending(): EventObject[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }
}
