// The one place Doorstep talks to Stripe (or, outside production, the local emulator). Every call
// made for a business carries its connected account as `stripeAccount` when it has one (Stripe
// Connect), and every POST takes a deterministic idempotency key (keys.ts): the types make both
// impossible to forget.
import Stripe from 'stripe';
import { AppError } from '../lib/errors';
import type { Business } from '../store/types';

export interface PaymentsOptions {
  secretKey: string;
  /** The signing secret (`whsec_…`) of the account endpoint: the platform account's own events. */
  webhookSecret: string;
  /** The signing secret of the Connect endpoint (`connect=true`): connected accounts' events. */
  connectWebhookSecret?: string | undefined;
  /** Where the API is: unset for Stripe itself; the emulator's URL in development and tests. */
  apiUrl?: string | undefined;
  /** SDK retries of a failed call, each with the same idempotency key (default 2). */
  maxNetworkRetries?: number | undefined;
  timeoutMs?: number | undefined;
}

/** What a call needs to know of the business it is made for. */
export type PaymentsBusiness = Pick<Business, 'id' | 'stripeAccountId'>;

/** Signature verification tolerance: events signed longer ago than this are refused (replays). */
export const WEBHOOK_TOLERANCE_S = 300;

function isStripeError(error: unknown): error is Stripe.errors.StripeError {
  return error instanceof Stripe.errors.StripeError;
}

/** Stripe failures as the customer should hear them; the details go to the log. */
function unavailable(error: unknown): never {
  if (error instanceof AppError) throw error;
  console.error('Stripe call failed:', isStripeError(error) ? `${error.type} ${error.statusCode ?? ''} ${error.code ?? ''} ${error.message}` : error);
  throw new AppError(502, 'payments_unavailable', 'We could not reach the payment provider. Please try again in a moment.');
}

export class Payments {
  readonly stripe: Stripe;
  readonly webhookSecret: string;
  readonly connectWebhookSecret: string | undefined;
  /** Whether calls go to Stripe itself or to a local emulator. */
  readonly provider: 'stripe' | 'emulator';

  constructor(options: PaymentsOptions) {
    const config: Stripe.StripeConfig = {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 20_000,
      telemetry: false,
      appInfo: { name: 'Doorstep' },
    };
    if (options.apiUrl) {
      const url = new URL(options.apiUrl);
      const protocol = url.protocol === 'http:' ? 'http' : 'https';
      config.host = url.hostname;
      config.port = url.port || (protocol === 'http' ? 80 : 443);
      config.protocol = protocol;
    }
    this.stripe = new Stripe(options.secretKey, config);
    this.webhookSecret = options.webhookSecret;
    this.connectWebhookSecret = options.connectWebhookSecret;
    this.provider = options.apiUrl ? 'emulator' : 'stripe';
  }

  /** The request options of every call made for `business`. */
  private for(business: PaymentsBusiness, idempotencyKey?: string): Stripe.RequestOptions {
    return {
      ...(business.stripeAccountId ? { stripeAccount: business.stripeAccountId } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
  }

  /** Runs a call; a missing object answers undefined, any other failure a 502 for the customer. */
  private async lookup<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (isStripeError(error) && error.statusCode === 404) return undefined;
      return unavailable(error);
    }
  }

  private async change<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      return unavailable(error);
    }
  }

  createCustomer(business: PaymentsBusiness, params: Stripe.CustomerCreateParams, idempotencyKey: string) {
    return this.change(() => this.stripe.customers.create(params, this.for(business, idempotencyKey)));
  }

  /** The Stripe customer, or undefined when it is missing or deleted. */
  async retrieveCustomer(business: PaymentsBusiness, customerId: string): Promise<Stripe.Customer | undefined> {
    const customer = await this.lookup(() => this.stripe.customers.retrieve(customerId, {}, this.for(business)));
    return customer && !customer.deleted ? customer : undefined;
  }

  setDefaultPaymentMethod(business: PaymentsBusiness, customerId: string, paymentMethodId: string, idempotencyKey: string) {
    return this.change(() =>
      this.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethodId } }, this.for(business, idempotencyKey)),
    );
  }

  createCheckoutSession(business: PaymentsBusiness, params: Stripe.Checkout.SessionCreateParams, idempotencyKey: string) {
    return this.change(() => this.stripe.checkout.sessions.create(params, this.for(business, idempotencyKey)));
  }

  /**
   * The customer's cards: a customer has a handful, and one page of 100 is all of them (`complete`
   * says so). A missing customer has none.
   */
  async listCards(business: PaymentsBusiness, customerId: string): Promise<{ cards: Stripe.PaymentMethod[]; complete: boolean }> {
    const page = await this.lookup(() => this.stripe.paymentMethods.list({ customer: customerId, type: 'card', limit: 100 }, this.for(business)));
    return { cards: page?.data ?? [], complete: !page?.has_more };
  }

  detachPaymentMethod(business: PaymentsBusiness, paymentMethodId: string, idempotencyKey: string) {
    return this.change(() => this.stripe.paymentMethods.detach(paymentMethodId, {}, this.for(business, idempotencyKey)));
  }

  /** A SetupIntent with its payment method expanded. */
  retrieveSetupIntent(business: PaymentsBusiness, setupIntentId: string) {
    return this.lookup(() => this.stripe.setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] }, this.for(business)));
  }

  /**
   * Verifies a webhook's signature over the raw body, as received, and that it was signed at most
   * five minutes before `nowMs`; answers the event, or throws a 400.
   *
   * Stripe signs each endpoint's deliveries with that endpoint's own secret, and sends the platform
   * account's events only to account endpoints and connected accounts' events (those with
   * `account`) only to Connect endpoints. So an event is taken only with the secret of the endpoint
   * Stripe would send it to: a connected account's event signed with the platform secret (or the
   * reverse) is not something Stripe sends, and is refused like any other bad signature; it is also
   * what swapped secrets look like, which Stripe's failed-delivery emails then bring to light.
   */
  verifyEvent(rawBody: string, signature: string | undefined, nowMs: number): Stripe.Event {
    const endpoints = [
      { secret: this.webhookSecret, connect: false },
      ...(this.connectWebhookSecret ? [{ secret: this.connectWebhookSecret, connect: true }] : []),
    ];
    let misdirected: Stripe.Event | undefined;
    let failure: Stripe.errors.StripeSignatureVerificationError | undefined;
    for (const { secret, connect } of endpoints) {
      let event: Stripe.Event;
      try {
        event = this.stripe.webhooks.constructEvent(rawBody, signature ?? '', secret, WEBHOOK_TOLERANCE_S, undefined, nowMs);
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw new AppError(400, 'invalid_event', 'The webhook body is not a Stripe event.');
        failure ??= error;
        continue;
      }
      if (Boolean(event.account) === connect) return event;
      misdirected = event;
    }
    if (misdirected?.account) {
      throw new AppError(
        400,
        'invalid_signature',
        `Event ${misdirected.id} is from connected account ${misdirected.account}, but signed with the platform endpoint's secret: Stripe sends connected accounts' events to a Connect endpoint, signed with its secret (STRIPE_CONNECT_WEBHOOK_SECRET).`,
      );
    }
    if (misdirected) {
      throw new AppError(
        400,
        'invalid_signature',
        `Event ${misdirected.id} is from the platform account, but signed with the Connect endpoint's secret: Stripe signs the platform's own events with the account endpoint's secret (STRIPE_WEBHOOK_SECRET).`,
      );
    }
    throw new AppError(400, 'invalid_signature', `The Stripe-Signature header does not verify: ${failure?.message.split('\n')[0] ?? 'no signature'}`);
  }
}
