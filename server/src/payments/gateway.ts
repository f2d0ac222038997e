// The one place Doorstep talks to Stripe (or, outside production, the local emulator). Every call
// made for a business carries its connected account as `stripeAccount` when it has one (Stripe
// Connect), and every POST takes a deterministic idempotency key (keys.ts): the types make both
// impossible to forget.
import Stripe from 'stripe';
import { AppError } from '../lib/errors';
import type { Business } from '../store/types';

export interface PaymentsOptions {
  secretKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  webhookSecret: string;
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

  /** The customer's cards (a customer has a handful; one page of 100 is all of them). */
  async listCards(business: PaymentsBusiness, customerId: string): Promise<Stripe.PaymentMethod[]> {
    const page = await this.lookup(() => this.stripe.paymentMethods.list({ customer: customerId, type: 'card', limit: 100 }, this.for(business)));
    return page?.data ?? [];
  }

  retrievePaymentMethod(business: PaymentsBusiness, paymentMethodId: string) {
    return this.lookup(() => this.stripe.paymentMethods.retrieve(paymentMethodId, {}, this.for(business)));
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
   */
  verifyEvent(rawBody: string, signature: string | undefined, nowMs: number): Stripe.Event {
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signature ?? '', this.webhookSecret, WEBHOOK_TOLERANCE_S, undefined, nowMs);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new AppError(400, 'invalid_signature', `The Stripe-Signature header does not verify: ${error.message.split('\n')[0]}`);
      }
      throw new AppError(400, 'invalid_event', 'The webhook body is not a Stripe event.');
    }
  }
}
