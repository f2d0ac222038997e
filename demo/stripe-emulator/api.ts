// The subset of Stripe's REST API that Doorstep uses: customers, Checkout Sessions (payment and
// setup mode), payment methods, setup and payment intents, events. Handlers are synchronous, so
// one request's changes are whole before the next request is looked at.
import type { FormObject } from './form';
import { array, errors, expansions, hash, integer, metadata, oneOf, only, string, StripeApiError, url } from './params';
import {
  stripeId,
  type CheckoutSessionObject,
  type CustomerObject,
  type EmulatorState,
  type EventCause,
  type LineItemObject,
  type PaymentMethodObject,
  type SetupIntentObject,
} from './state';

export interface ApiRequest {
  method: string;
  /** The path without its query string, e.g. `/v1/customers/cus_123`. */
  path: string;
  /** The form body of a POST, or the query of a GET/DELETE. */
  params: FormObject;
  /** The connected account of `Stripe-Account`, or null for the platform. */
  account: string | null;
  requestId: string;
  idempotencyKey: string | null;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

type Handler = (state: EmulatorState, req: ApiRequest, ids: string[], publicUrl: string) => unknown;

const ID = '([A-Za-z0-9_]+)';
const routes: [string, RegExp, Handler][] = [
  ['POST', /^\/v1\/customers$/, createCustomer],
  ['GET', new RegExp(`^/v1/customers/${ID}$`), retrieveCustomer],
  ['POST', new RegExp(`^/v1/customers/${ID}$`), updateCustomer],
  ['GET', new RegExp(`^/v1/customers/${ID}/payment_methods$`), (s, r, [id]) => listPaymentMethods(s, r, id!)],
  ['POST', /^\/v1\/checkout\/sessions$/, createCheckoutSession],
  ['GET', new RegExp(`^/v1/checkout/sessions/${ID}$`), retrieveCheckoutSession],
  ['GET', new RegExp(`^/v1/checkout/sessions/${ID}/line_items$`), listLineItems],
  ['POST', new RegExp(`^/v1/checkout/sessions/${ID}/expire$`), expireCheckoutSession],
  ['GET', /^\/v1\/payment_methods$/, (s, r) => listPaymentMethods(s, r, undefined)],
  ['GET', new RegExp(`^/v1/payment_methods/${ID}$`), retrievePaymentMethod],
  ['POST', new RegExp(`^/v1/payment_methods/${ID}$`), updatePaymentMethod],
  ['POST', new RegExp(`^/v1/payment_methods/${ID}/attach$`), attachPaymentMethod],
  ['POST', new RegExp(`^/v1/payment_methods/${ID}/detach$`), detachPaymentMethod],
  ['GET', new RegExp(`^/v1/setup_intents/${ID}$`), retrieveSetupIntent],
  ['GET', new RegExp(`^/v1/payment_intents/${ID}$`), retrievePaymentIntent],
  ['GET', /^\/v1\/events$/, listEvents],
  ['GET', new RegExp(`^/v1/events/${ID}$`), retrieveEvent],
];

export function handleApi(state: EmulatorState, req: ApiRequest, publicUrl: string): ApiResponse {
  const matching = routes.filter(([, pattern]) => pattern.test(req.path));
  const route = matching.find(([method]) => method === req.method);
  if (!route) {
    return {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${req.method}: ${req.path}). The local Stripe emulator implements only what Doorstep uses.`,
        },
      },
    };
  }
  try {
    const ids = route[1].exec(req.path)!.slice(1);
    return { status: 200, body: route[2](state, req, ids, publicUrl) };
  } catch (error) {
    if (error instanceof StripeApiError) return { status: error.status, body: { error: { ...error.body, request_log_url: null } } };
    throw error;
  }
}

const cause = (req: ApiRequest): EventCause => ({ requestId: req.requestId, idempotencyKey: req.idempotencyKey });

function list<T extends { id: string }>(req: ApiRequest, url: string, items: T[]) {
  const limit = integer(req.params, 'limit', { min: 1, max: 100 }) ?? 10;
  const after = string(req.params, 'starting_after');
  let start = 0;
  if (after) {
    const index = items.findIndex((item) => item.id === after);
    if (index < 0) throw errors.noSuch('object', after, 'starting_after');
    start = index + 1;
  }
  const data = items.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < items.length, url };
}

/** Replaces ids by objects for each `expand[]` path this object allows. */
function expand<T extends object>(object: T, req: ApiRequest, resolvers: Record<string, (id: string) => unknown>): T {
  const paths = expansions(req.params);
  if (paths.length === 0) return object;
  const copy = structuredClone(object) as Record<string, unknown>;
  for (const path of paths) {
    const resolve = resolvers[path];
    if (!resolve) throw errors.invalid('expand', `This property cannot be expanded (${path}).`);
    const parts = path.split('.');
    let holder = copy;
    for (const part of parts.slice(0, -1)) holder = holder[part] as Record<string, unknown>;
    const key = parts.at(-1)!;
    const id = holder[key];
    if (typeof id === 'string') holder[key] = resolve(id) ?? id;
  }
  return copy as T;
}

// ---- Customers ----

const CUSTOMER_PARAMS = ['email', 'name', 'phone', 'description', 'metadata', 'invoice_settings', 'expand'] as const;

function customerOf(state: EmulatorState, req: ApiRequest, id: string, param?: string): CustomerObject {
  const customer = state.find(state.customers, id, req.account);
  if (!customer) throw errors.noSuch('customer', id, param);
  return customer;
}

function setDefaultPaymentMethod(state: EmulatorState, req: ApiRequest, customer: CustomerObject, settings: FormObject | undefined) {
  if (!settings) return;
  only(settings, ['default_payment_method'], 'invoice_settings');
  const pmId = string(settings, 'default_payment_method', { name: 'invoice_settings[default_payment_method]' });
  if (pmId === undefined) {
    // `invoice_settings[default_payment_method]=` clears it.
    if (settings['default_payment_method'] === '') customer.invoice_settings.default_payment_method = null;
    return;
  }
  const pm = state.find(state.paymentMethods, pmId, req.account);
  if (!pm) throw errors.noSuch('PaymentMethod', pmId, 'invoice_settings[default_payment_method]');
  if (pm.customer !== customer.id) {
    throw errors.invalid(
      'invoice_settings[default_payment_method]',
      `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
      'resource_missing',
    );
  }
  customer.invoice_settings.default_payment_method = pmId;
}

function createCustomer(state: EmulatorState, req: ApiRequest) {
  const p = req.params;
  only(p, CUSTOMER_PARAMS);
  const customer: CustomerObject = {
    id: stripeId('cus', 14),
    object: 'customer',
    created: state.seconds(),
    email: string(p, 'email', { max: 512 }) ?? null,
    name: string(p, 'name', { max: 256 }) ?? null,
    phone: string(p, 'phone', { max: 20 }) ?? null,
    description: string(p, 'description', { max: 350 }) ?? null,
    metadata: metadata(p) ?? {},
    invoice_settings: { default_payment_method: null, custom_fields: null, footer: null, rendering_options: null },
    balance: 0,
    currency: null,
    delinquent: false,
    livemode: false,
  };
  setDefaultPaymentMethod(state, req, customer, hash(p, 'invoice_settings'));
  state.put(state.customers, customer, req.account);
  state.emit('customer.created', customer, req.account, cause(req));
  return expandCustomer(state, req, customer);
}

function expandCustomer(state: EmulatorState, req: ApiRequest, customer: CustomerObject) {
  return expand(customer, req, { 'invoice_settings.default_payment_method': (id) => state.find(state.paymentMethods, id, req.account) });
}

function retrieveCustomer(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand']);
  return expandCustomer(state, req, customerOf(state, req, id!));
}

function updateCustomer(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  const p = req.params;
  only(p, CUSTOMER_PARAMS);
  const customer = customerOf(state, req, id!);
  const before = structuredClone(customer);
  const email = string(p, 'email', { max: 512 });
  const name = string(p, 'name', { max: 256 });
  const phone = string(p, 'phone', { max: 20 });
  const description = string(p, 'description', { max: 350 });
  const meta = metadata(p);
  setDefaultPaymentMethod(state, req, customer, hash(p, 'invoice_settings'));
  if (email !== undefined) customer.email = email;
  if (name !== undefined) customer.name = name;
  if (phone !== undefined) customer.phone = phone;
  if (description !== undefined) customer.description = description;
  if (meta) customer.metadata = { ...customer.metadata, ...meta };
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(before) as (keyof CustomerObject)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(customer[key])) previous[key] = before[key];
  }
  if (Object.keys(previous).length) state.emit('customer.updated', customer, req.account, cause(req), previous);
  return expandCustomer(state, req, customer);
}

// ---- Checkout Sessions ----

const SESSION_PARAMS = [
  'mode',
  'line_items',
  'customer',
  'customer_email',
  'success_url',
  'cancel_url',
  'metadata',
  'client_reference_id',
  'currency',
  'expires_at',
  'locale',
  'payment_intent_data',
  'setup_intent_data',
  'allowed_payment_method_types',
  'payment_method_types',
  'submit_type',
  'ui_mode',
  'expand',
] as const;

const MIN_EXPIRY_S = 30 * 60;
const MAX_EXPIRY_S = 24 * 60 * 60;

function lineItemsOf(p: FormObject): LineItemObject[] {
  const items = array(p, 'line_items');
  if (!items || items.length === 0) throw errors.missing('line_items');
  if (items.length > 100) throw errors.invalid('line_items', 'You may only specify up to 100 line items.');
  return items.map((raw, i) => {
    const name = `line_items[${i}]`;
    if (typeof raw !== 'object' || Array.isArray(raw)) throw errors.invalid(name, `Invalid object: ${name} must be a hash.`, 'parameter_invalid_object');
    only(raw, ['price_data', 'price', 'quantity'], name);
    const price = string(raw, 'price', { name: `${name}[price]` });
    if (price) throw errors.noSuch('price', price, `${name}[price]`);
    const quantity = integer(raw, 'quantity', { required: true, min: 1, max: 999_999, name: `${name}[quantity]` })!;
    const data = hash(raw, 'price_data', `${name}[price_data]`);
    if (!data) throw errors.missing(`${name}[price_data]`);
    only(data, ['currency', 'unit_amount', 'product_data', 'product', 'tax_behavior'], `${name}[price_data]`);
    const currency = string(data, 'currency', { required: true, name: `${name}[price_data][currency]` })!;
    if (!/^[a-z]{3}$/.test(currency)) throw errors.invalid(`${name}[price_data][currency]`, `Invalid currency: ${currency}.`);
    const unitAmount = integer(data, 'unit_amount', { required: true, min: 0, max: 99_999_999, name: `${name}[price_data][unit_amount]` })!;
    const productId = string(data, 'product', { name: `${name}[price_data][product]` });
    if (productId) throw errors.noSuch('product', productId, `${name}[price_data][product]`);
    const product = hash(data, 'product_data', `${name}[price_data][product_data]`);
    if (!product) throw errors.missing(`${name}[price_data][product_data]`);
    only(product, ['name', 'description', 'metadata', 'images'], `${name}[price_data][product_data]`);
    const productName = string(product, 'name', { required: true, max: 250, name: `${name}[price_data][product_data][name]` })!;
    return {
      id: stripeId('li', 24),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: unitAmount * quantity,
      amount_tax: 0,
      amount_total: unitAmount * quantity,
      currency,
      description: productName,
      quantity,
      price: { id: stripeId('price'), object: 'price', active: false, currency, product: stripeId('prod', 14), type: 'one_time', unit_amount: unitAmount, livemode: false },
    };
  });
}

function createCheckoutSession(state: EmulatorState, req: ApiRequest, _ids: string[], publicUrl: string) {
  const p = req.params;
  only(p, SESSION_PARAMS);
  const mode = oneOf(p, 'mode', ['payment', 'setup', 'subscription'] as const, { required: true })!;
  if (mode === 'subscription') throw errors.invalid('mode', 'The local Stripe emulator does not support subscription mode.');
  const uiMode = string(p, 'ui_mode');
  if (uiMode && uiMode !== 'hosted') throw errors.invalid('ui_mode', 'The local Stripe emulator only hosts Checkout pages (ui_mode=hosted).');
  const successUrl = url(p, 'success_url', { required: true })!;
  const cancelUrl = url(p, 'cancel_url') ?? null;
  const customerId = string(p, 'customer');
  if (customerId) customerOf(state, req, customerId, 'customer');
  const now = state.seconds();
  const expiresAt = integer(p, 'expires_at') ?? now + MAX_EXPIRY_S;
  if (expiresAt < now + MIN_EXPIRY_S || expiresAt > now + MAX_EXPIRY_S) {
    throw errors.invalid('expires_at', 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.');
  }
  const types = array(p, 'allowed_payment_method_types') ?? array(p, 'payment_method_types');
  if (types && types.some((t) => t !== 'card')) throw errors.invalid('allowed_payment_method_types', 'The local Stripe emulator only takes cards.');
  const paymentIntentData = hash(p, 'payment_intent_data');
  const setupIntentData = hash(p, 'setup_intent_data');
  const id = stripeId('cs_test', 58);
  const base: Omit<CheckoutSessionObject, 'mode' | 'payment_status' | 'amount_subtotal' | 'amount_total' | 'currency' | 'setup_intent'> = {
    id,
    object: 'checkout.session',
    status: 'open',
    customer: customerId ?? null,
    customer_email: string(p, 'customer_email') ?? null,
    client_reference_id: string(p, 'client_reference_id', { max: 200 }) ?? null,
    locale: string(p, 'locale') ?? null,
    metadata: metadata(p) ?? {},
    success_url: successUrl,
    cancel_url: cancelUrl,
    url: `${publicUrl}/checkout/${id}`,
    payment_intent: null,
    payment_method_types: ['card'],
    expires_at: expiresAt,
    created: now,
    livemode: false,
  };
  let session: CheckoutSessionObject;
  if (mode === 'payment') {
    if (setupIntentData) throw errors.invalid('setup_intent_data', 'You can only pass `setup_intent_data` in `setup` mode.');
    if (paymentIntentData) {
      only(paymentIntentData, ['metadata', 'description', 'receipt_email', 'statement_descriptor'], 'payment_intent_data');
      state.paymentIntentData.set(id, {
        metadata: metadata(paymentIntentData, 'metadata', 'payment_intent_data[metadata]') ?? {},
        description: string(paymentIntentData, 'description', { name: 'payment_intent_data[description]' }) ?? null,
      });
    }
    const items = lineItemsOf(p);
    const currency = items[0]!.currency;
    if (items.some((item) => item.currency !== currency)) throw errors.invalid('line_items', 'All line items must use the same currency.');
    const total = items.reduce((sum, item) => sum + item.amount_total, 0);
    session = { ...base, mode, payment_status: 'unpaid', amount_subtotal: total, amount_total: total, currency, setup_intent: null };
    state.lineItems.set(id, items);
  } else {
    if (p['line_items'] !== undefined) throw errors.invalid('line_items', 'You can not pass `line_items` in `setup` mode.');
    if (paymentIntentData) throw errors.invalid('payment_intent_data', 'You can not pass `payment_intent_data` in `setup` mode.');
    const currency = string(p, 'currency') ?? null;
    if (!currency && !types) throw errors.missing('currency');
    let intentMetadata: Record<string, string> = {};
    let description: string | null = null;
    if (setupIntentData) {
      only(setupIntentData, ['metadata', 'description'], 'setup_intent_data');
      intentMetadata = metadata(setupIntentData, 'metadata', 'setup_intent_data[metadata]') ?? {};
      description = string(setupIntentData, 'description', { name: 'setup_intent_data[description]' }) ?? null;
    }
    // As in Stripe, a setup-mode session has its SetupIntent from the start.
    const intent: SetupIntentObject = {
      id: stripeId('seti'),
      object: 'setup_intent',
      status: 'requires_payment_method',
      customer: customerId ?? null,
      payment_method: null,
      payment_method_types: ['card'],
      usage: 'off_session',
      description,
      metadata: intentMetadata,
      created: now,
      livemode: false,
    };
    state.put(state.setupIntents, intent, req.account);
    session = { ...base, mode, payment_status: 'no_payment_required', amount_subtotal: null, amount_total: null, currency, setup_intent: intent.id };
  }
  state.put(state.sessions, session, req.account);
  return expandSession(state, req, session);
}

function expandSession(state: EmulatorState, req: ApiRequest, session: CheckoutSessionObject) {
  return expand(session, req, {
    setup_intent: (id) => state.find(state.setupIntents, id, req.account),
    payment_intent: (id) => state.find(state.paymentIntents, id, req.account),
    customer: (id) => state.find(state.customers, id, req.account),
  });
}

function sessionOf(state: EmulatorState, req: ApiRequest, id: string): CheckoutSessionObject {
  const session = state.find(state.sessions, id, req.account);
  if (!session) throw errors.noSuch('checkout.session', id);
  expireIfDue(state, session, req.account, cause(req));
  return session;
}

/** Sessions past `expires_at` expire when next looked at, with their event. */
export function expireIfDue(state: EmulatorState, session: CheckoutSessionObject, account: string | null, why: EventCause): void {
  if (session.status === 'open' && session.expires_at <= state.seconds()) {
    session.status = 'expired';
    session.url = null;
    state.emit('checkout.session.expired', session, account, why);
  }
}

function retrieveCheckoutSession(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand']);
  return expandSession(state, req, sessionOf(state, req, id!));
}

function listLineItems(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['limit', 'starting_after', 'expand']);
  const session = sessionOf(state, req, id!);
  return list(req, `/v1/checkout/sessions/${session.id}/line_items`, state.lineItems.get(session.id) ?? []);
}

function expireCheckoutSession(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand']);
  const session = sessionOf(state, req, id!);
  if (session.status !== 'open') throw errors.state(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
  session.status = 'expired';
  session.url = null;
  state.emit('checkout.session.expired', session, req.account, cause(req));
  return expandSession(state, req, session);
}

// ---- Payment methods ----

function paymentMethodOf(state: EmulatorState, req: ApiRequest, id: string): PaymentMethodObject {
  const pm = state.find(state.paymentMethods, id, req.account);
  if (!pm) throw errors.noSuch('PaymentMethod', id);
  return pm;
}

function listPaymentMethods(state: EmulatorState, req: ApiRequest, customerFromPath: string | undefined) {
  only(req.params, customerFromPath ? ['type', 'limit', 'starting_after', 'expand', 'allow_redisplay'] : ['customer', 'type', 'limit', 'starting_after', 'expand', 'allow_redisplay']);
  const customerId = customerFromPath ?? string(req.params, 'customer');
  if (!customerId) throw errors.missing('customer');
  customerOf(state, req, customerId, customerFromPath ? undefined : 'customer');
  const type = string(req.params, 'type');
  const items = [...state.paymentMethods.values()]
    .filter((owned) => owned.account === req.account && owned.object.customer === customerId && (!type || owned.object.type === type))
    .map((owned) => owned.object)
    // Newest first, as Stripe lists them.
    .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
  return list(req, customerFromPath ? `/v1/customers/${customerId}/payment_methods` : '/v1/payment_methods', items);
}

function retrievePaymentMethod(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand']);
  return paymentMethodOf(state, req, id!);
}

/** What the API may change of a card: its expiry, the name on it, metadata (as Stripe allows). */
function updatePaymentMethod(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  const p = req.params;
  only(p, ['card', 'billing_details', 'metadata', 'allow_redisplay', 'expand']);
  const pm = paymentMethodOf(state, req, id!);
  if (!pm.customer) throw errors.state('You must save this PaymentMethod to a customer before you can update it.');
  const card = hash(p, 'card');
  if (card) only(card, ['exp_month', 'exp_year'], 'card');
  const expMonth = card ? integer(card, 'exp_month', { min: 1, max: 12, name: 'card[exp_month]' }) : undefined;
  const expYear = card ? integer(card, 'exp_year', { min: 1000, max: 9999, name: 'card[exp_year]' }) : undefined;
  const billing = hash(p, 'billing_details');
  if (billing) only(billing, ['name'], 'billing_details');
  const name = billing ? string(billing, 'name', { max: 5000, name: 'billing_details[name]' }) : undefined;
  const meta = metadata(p);
  return changeCard(state, pm, req.account, cause(req), 'payment_method.updated', (changed) => {
    if (expMonth !== undefined) changed.card.exp_month = expMonth;
    if (expYear !== undefined) changed.card.exp_year = expYear;
    if (name !== undefined) changed.billing_details.name = name;
    if (meta) changed.metadata = { ...changed.metadata, ...meta };
  });
}

/** Changes a card and, when anything changed, raises `type` with what it was before. */
export function changeCard(
  state: EmulatorState,
  pm: PaymentMethodObject,
  account: string | null,
  why: EventCause,
  type: 'payment_method.updated' | 'payment_method.automatically_updated',
  change: (pm: PaymentMethodObject) => void,
): PaymentMethodObject {
  const before = structuredClone(pm);
  change(pm);
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(before) as (keyof PaymentMethodObject)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(pm[key])) previous[key] = before[key];
  }
  if (Object.keys(previous).length) state.emit(type, pm, account, why, previous);
  return pm;
}

function attachPaymentMethod(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['customer', 'expand']);
  const pm = paymentMethodOf(state, req, id!);
  const customerId = string(req.params, 'customer', { required: true })!;
  customerOf(state, req, customerId, 'customer');
  if (pm.customer === customerId) return pm;
  if (pm.customer) throw errors.state('The payment method you provided has already been attached to a customer.');
  if (state.detached.has(pm.id)) {
    throw errors.state('This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.');
  }
  pm.customer = customerId;
  state.emit('payment_method.attached', pm, req.account, cause(req), { customer: null });
  return pm;
}

export function detach(state: EmulatorState, pm: PaymentMethodObject, account: string | null, why: EventCause): void {
  const customerId = pm.customer;
  if (!customerId) throw errors.state('The payment method you provided is not attached to a customer so detachment is impossible.');
  pm.customer = null;
  state.detached.add(pm.id);
  const customer = state.find(state.customers, customerId, account);
  if (customer?.invoice_settings.default_payment_method === pm.id) {
    customer.invoice_settings.default_payment_method = null;
    state.emit('customer.updated', customer, account, why, { invoice_settings: { ...customer.invoice_settings, default_payment_method: pm.id } });
  }
  state.emit('payment_method.detached', pm, account, why, { customer: customerId });
}

function detachPaymentMethod(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand']);
  const pm = paymentMethodOf(state, req, id!);
  detach(state, pm, req.account, cause(req));
  return pm;
}

// ---- Intents and events ----

function retrieveSetupIntent(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand', 'client_secret']);
  const intent = state.find(state.setupIntents, id!, req.account);
  if (!intent) throw errors.noSuch('setupintent', id!);
  return expand(intent, req, { payment_method: (pm) => state.find(state.paymentMethods, pm, req.account), customer: (c) => state.find(state.customers, c, req.account) });
}

function retrievePaymentIntent(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand', 'client_secret']);
  const intent = state.find(state.paymentIntents, id!, req.account);
  if (!intent) throw errors.noSuch('payment_intent', id!);
  return expand(intent, req, { payment_method: (pm) => state.find(state.paymentMethods, pm, req.account), customer: (c) => state.find(state.customers, c, req.account) });
}

function accountEvents(state: EmulatorState, req: ApiRequest) {
  return state.events.filter((event) => (event.account ?? null) === req.account);
}

function listEvents(state: EmulatorState, req: ApiRequest) {
  only(req.params, ['type', 'limit', 'starting_after', 'expand', 'created', 'types', 'delivery_success']);
  const type = string(req.params, 'type');
  const events = accountEvents(state, req)
    .filter((event) => !type || event.type === type || (type.endsWith('.*') && event.type.startsWith(type.slice(0, -1))))
    .reverse();
  return list(req, '/v1/events', events);
}

function retrieveEvent(state: EmulatorState, req: ApiRequest, [id]: string[]) {
  only(req.params, ['expand']);
  const event = accountEvents(state, req).find((e) => e.id === id);
  if (!event) throw errors.noSuch('event', id!);
  return event;
}
