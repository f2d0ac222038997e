// A local Stripe emulator for tests and the offline demo (SPEC §5): an HTTP server speaking the
// subset of Stripe's REST API that Doorstep uses, with a hosted Checkout page and signed webhooks.
// The real `stripe` SDK is pointed at it with `host`/`port`/`protocol`. It is a development tool,
// never a payment provider: it refuses live keys and listens on loopback by default.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { changeCard, expireIfDue, handleApi } from './api';
import { completeSession, renderCheckoutPage, renderMessagePage, type CardForm, type Completion } from './checkout';
import { canonical, FormError, parseForm, type FormObject } from './form';
import { EmulatorState, stripeId, type EventObject, type PaymentMethodObject } from './state';
import { deliverEvent, signPayload, type DeliveryAttempt, type FetchLike } from './webhooks';

export { DECLINED_CARD, SUCCESS_CARD } from './cards';
export { parseForm } from './form';
export type { Completion } from './checkout';
export type { DeliveryAttempt } from './webhooks';
export type { CheckoutSessionObject, CustomerObject, EventObject, PaymentMethodObject } from './state';

/** The webhook secret the emulator's command line uses unless told otherwise (development only). */
export const DEV_WEBHOOK_SECRET = 'whsec_doorstep_local_stripe_emulator';
/** Likewise, the secret its connected accounts' events are signed with. */
export const DEV_CONNECT_WEBHOOK_SECRET = 'whsec_doorstep_local_stripe_emulator_connect';
export const DEFAULT_EMULATOR_PORT = 12111;

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the emulator is for this machine only. */
  host?: string;
  /** Where browsers reach the hosted Checkout page; default `http://<host>:<port>`. */
  publicUrl?: string;
  /** Where signed events are posted; without it events are only recorded. */
  webhookUrl?: string;
  /** The endpoint's signing secret (`whsec_…`): the platform account's events are signed with it. */
  webhookSecret: string;
  /**
   * As Stripe signs a Connect endpoint's deliveries with that endpoint's own secret: connected
   * accounts' events (those with `account`) are signed with this one. Without it, every event is
   * signed with `webhookSecret`.
   */
  connectWebhookSecret?: string;
  /** Accept only this secret key; by default any `sk_test_…`/`rk_test_…` key. */
  apiKey?: string;
  /** The clock (milliseconds) for `created`, expiry and signature timestamps; default Date.now. */
  now?: () => number;
  /** How webhooks are posted; default global fetch (tests may pass an in-process app). */
  fetch?: FetchLike;
  /** Waits before each webhook retry; default 500 ms, 2 s, 5 s (three retries). */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RecordedRequest {
  id: string;
  method: string;
  path: string;
  /** The parsed form body (POST) or query (GET/DELETE). */
  params: FormObject;
  rawBody: string;
  idempotencyKey: string | null;
  stripeAccount: string | null;
  /** The status answered; null when the connection was dropped before an answer. */
  status: number | null;
  /** Answered from the idempotency cache. */
  replayed: boolean;
  /** An injected network failure: dropped before processing, or processed and then dropped. */
  failure: 'before' | 'after' | null;
  at: number;
}

export interface InjectedFailure {
  /** `before`: the request never reaches the API. `after`: it is processed, then the answer is lost. */
  phase?: 'before' | 'after';
  /** How many API calls in a row fail (default 1). */
  times?: number;
  /** Only calls matching this fail (the others pass and do not use up the count). */
  match?: (request: { method: string; path: string }) => boolean;
}

export interface StripeEmulator {
  url: string;
  port: number;
  webhookSecret: string;
  connectWebhookSecret: string | undefined;
  /**
   * Every API call, in arrival order, recorded as it arrives (before any check or injected
   * failure): empty after clearLogs() means nothing called the API since. The hosted page's
   * requests are not API calls.
   */
  readonly requests: RecordedRequest[];
  /** Every webhook delivery attempt. */
  readonly deliveries: DeliveryAttempt[];
  /** Every event raised, oldest first. */
  readonly events: EventObject[];
  readonly state: EmulatorState;
  /** Makes the next API call(s) fail at the network level (for retry and idempotency tests). */
  failNext(failure?: InjectedFailure): void;
  /** Submits the hosted Checkout form as a person would, and delivers the resulting webhooks. */
  completeCheckout(sessionId: string, form?: CardForm): Promise<Completion>;
  /** Posts one (possibly old) event to the webhook URL again, freshly signed. */
  deliver(event: EventObject): Promise<boolean>;
  /**
   * The card network's account updater: a card gets a new expiry, reported as
   * `payment_method.automatically_updated` (delivered before this resolves).
   */
  renewCard(paymentMethodId: string, expiry: { expMonth: number; expYear: number }): Promise<PaymentMethodObject>;
  /** A `Stripe-Signature` header for `payload`. */
  sign(payload: string, options?: { timestamp?: number; secret?: string }): string;
  /** Resolves once every queued webhook delivery has finished. */
  idle(): Promise<void>;
  /** Forgets the request and delivery logs (objects stay). */
  clearLogs(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers }).end(JSON.stringify(body, null, 2));
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, PAGE_HEADERS).end(html);
}

const apiError = (status: number, type: string, message: string, extra: Record<string, string> = {}) => ({ status, body: { error: { type, message, ...extra } } });

function checkKey(authorization: string | undefined, only: string | undefined) {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? (authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString().split(':')[0] : undefined);
  if (!key) {
    return apiError(401, 'invalid_request_error', "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
  }
  const masked = `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
  if (/^(sk|rk|pk)_live_/.test(key)) {
    return apiError(401, 'invalid_request_error', `The local Stripe emulator accepts test keys only; it never takes real payments (got ${masked}).`);
  }
  if (!/^(sk|rk)_test_/.test(key) || (only !== undefined && key !== only)) {
    return apiError(401, 'invalid_request_error', `Invalid API Key provided: ${masked}`);
  }
  return undefined;
}

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  if (!/^whsec_/.test(options.webhookSecret)) throw new Error('webhookSecret must be a webhook signing secret (whsec_…)');
  if (options.connectWebhookSecret !== undefined && !/^whsec_/.test(options.connectWebhookSecret)) {
    throw new Error('connectWebhookSecret must be a webhook signing secret (whsec_…)');
  }
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const log = options.log ?? (() => {});
  const webhookUrl = options.webhookUrl;
  const state = new EmulatorState(now, () => Boolean(webhookUrl));
  const requests: RecordedRequest[] = [];
  const deliveries: DeliveryAttempt[] = [];
  const idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  const failures: InjectedFailure[] = [];
  let publicUrl = '';
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const deliver = (event: EventObject) =>
    webhookUrl
      ? deliverEvent(event, {
          url: webhookUrl,
          secret: (event.account ? options.connectWebhookSecret : undefined) ?? options.webhookSecret,
          fetch: fetchFn,
          now,
          retryDelaysMs: options.webhookRetryDelaysMs ?? [500, 2000, 5000],
          timeoutMs: options.webhookTimeoutMs ?? 10_000,
          record: (attempt) => {
            deliveries.push(attempt);
            if (attempt.status === null || attempt.status >= 300) log(`webhook ${attempt.type} (${attempt.eventId}) attempt ${attempt.attempt}: ${attempt.error ?? `HTTP ${attempt.status}`}`);
          },
          stopped: () => closed,
        })
      : Promise.resolve(false);

  /** Runs deliveries one after another, after any already queued: in the order events happened. */
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };
  const enqueue = (events: EventObject[]): Promise<void> =>
    serially(async () => {
      for (const event of events) await deliver(event);
    });

  const takeFailure = (method: string, path: string): InjectedFailure | undefined => {
    const index = failures.findIndex((f) => !f.match || f.match({ method, path }));
    return index < 0 ? undefined : failures.splice(index, 1)[0];
  };

  async function handleApiRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const requestId = stripeId('req', 14);
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' && value !== '' ? value : null;
    };
    const idempotencyKey = method === 'POST' ? header('idempotency-key') : null;
    const account = header('stripe-account');
    const record: RecordedRequest = {
      id: requestId,
      method,
      path: url.pathname,
      params: {},
      rawBody: raw,
      idempotencyKey,
      stripeAccount: account,
      status: null,
      replayed: false,
      failure: null,
      at: now(),
    };
    requests.push(record);
    const headers: Record<string, string> = { 'Request-Id': requestId, ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) };
    const answer = ({ status, body }: { status: number; body: unknown }, extra: Record<string, string> = {}) => {
      record.status = status;
      sendJson(res, status, body, { ...headers, ...extra });
    };

    const failure = takeFailure(method, url.pathname);
    if (failure?.phase === 'before') {
      record.failure = 'before';
      req.socket.destroy();
      return;
    }
    const refused = checkKey(req.headers.authorization, options.apiKey);
    if (refused) return answer(refused);
    if (account !== null && !/^acct_[A-Za-z0-9_]+$/.test(account)) {
      return answer(apiError(403, 'invalid_request_error', `The provided key does not have access to account '${account}' (or that account does not exist).`, { code: 'account_invalid' }));
    }
    if (idempotencyKey !== null && idempotencyKey.length > 255) {
      return answer(apiError(400, 'invalid_request_error', 'Idempotency keys can be at most 255 characters long.'));
    }
    let params: FormObject;
    try {
      params = parseForm(method === 'POST' ? raw : url.search.slice(1));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return answer(apiError(400, 'invalid_request_error', error.message, error.param ? { param: error.param } : {}));
    }
    record.params = params;

    // Stripe: the same key with the same request answers the first result again, without doing
    // anything; with another request it is refused. Keys are per account.
    const cacheKey = idempotencyKey === null ? null : `${account ?? 'platform'}\u0000${idempotencyKey}`;
    const fingerprint = `${method} ${url.pathname} ${canonical(params)}`;
    const cached = cacheKey === null ? undefined : idempotent.get(cacheKey);
    let result: { status: number; body: unknown };
    if (cached && cached.fingerprint !== fingerprint) {
      result = apiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
      );
    } else if (cached) {
      record.replayed = true;
      result = cached;
    } else {
      const handled = handleApi(state, { method, path: url.pathname, params, account, requestId, idempotencyKey }, publicUrl);
      // A snapshot: the objects live on and change, the answer given does not.
      result = { status: handled.status, body: structuredClone(handled.body) };
      // Like Stripe, a request refused before it started executing (bad parameters) saves no result.
      if (cacheKey !== null && (result.status < 400 || result.status >= 500)) idempotent.set(cacheKey, { fingerprint, ...result });
    }
    void enqueue(state.takePending());
    if (failure?.phase === 'after') {
      record.failure = 'after';
      req.socket.destroy();
      return;
    }
    answer(result, record.replayed ? { 'Idempotent-Replayed': 'true' } : {});
  }

  async function handleCheckoutPage(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
    const owned = state.sessions.get(sessionId);
    if (!owned) return sendPage(res, 404, renderMessagePage('Checkout session not found', 'This checkout link is not valid.'));
    if (req.method === 'GET' || req.method === 'HEAD') {
      const shown = sessionPage(sessionId);
      return sendPage(res, shown.status, shown.html);
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }
    let form: FormObject;
    try {
      form = parseForm(await readBody(req));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return sendPage(res, 400, renderMessagePage('Bad request', error.message));
    }
    const pick = (key: string) => (typeof form[key] === 'string' ? (form[key] as string) : undefined);
    const values: CardForm = { card_number: pick('card_number'), expiry: pick('expiry'), cvc: pick('cvc'), name: pick('name') };
    const completion = completeSession(state, sessionId, values);
    const events = state.takePending();
    if (completion.outcome === 'completed') {
      // The customer is sent back only after the webhooks were delivered (or gave up), so the
      // business has usually recorded the payment by the time its page loads.
      await enqueue(events);
      log(`checkout ${sessionId} completed (${completion.session.mode})`);
    } else {
      void enqueue(events);
    }
    switch (completion.outcome) {
      case 'completed':
      case 'already_complete':
        res.writeHead(303, { Location: completion.redirect, 'Cache-Control': 'no-store' }).end();
        return;
      case 'declined':
        return sendPage(res, 402, renderCheckoutPage(state, completion.session, values, completion.decline));
      case 'expired':
        return sendPage(res, 410, expiredPage(completion.session.cancel_url));
      case 'not_found':
        return sendPage(res, 404, renderMessagePage('Checkout session not found', 'This checkout link is not valid.'));
    }
  }

  const expiredPage = (cancelUrl: string | null) =>
    renderMessagePage('This checkout session has expired', 'Go back and start again to get a new one.', cancelUrl ? { href: cancelUrl, label: 'Go back' } : undefined);

  /** What GET /checkout/:id shows: the form while open, else where the session ended up. */
  function sessionPage(sessionId: string): { status: number; html: string } {
    const owned = state.sessions.get(sessionId)!;
    const session = owned.object;
    expireIfDue(state, session, owned.account, { requestId: null, idempotencyKey: null });
    void enqueue(state.takePending());
    if (session.status === 'expired') return { status: 410, html: expiredPage(session.cancel_url) };
    if (session.status === 'complete') {
      const done = session.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, session.id);
      return { status: 200, html: renderMessagePage(session.mode === 'payment' ? 'Payment complete' : 'Card saved', 'This checkout session is already complete.', { href: done, label: 'Continue' }) };
    }
    return { status: 200, html: renderCheckoutPage(state, session) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    // Every versioned path is an API call, recorded even when the emulator does not implement it.
    if (/^\/v\d+\//.test(url.pathname)) return handleApiRequest(req, res, url);
    const checkout = /^\/checkout\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (checkout) return handleCheckoutPage(req, res, checkout[1]!);
    if (url.pathname === '/' && req.method === 'GET') {
      return sendJson(res, 200, { emulator: 'doorstep-stripe-emulator', livemode: false, webhookUrl: webhookUrl ?? null });
    }
    sendPage(res, 404, renderMessagePage('Not found', 'The local Stripe emulator has no page here.'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: { type: 'invalid_request_error', message: 'Request body too large.' } });
      log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      sendJson(res, 500, { error: { type: 'api_error', message: 'The local Stripe emulator failed on this request.' } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  return {
    url,
    port,
    webhookSecret: options.webhookSecret,
    connectWebhookSecret: options.connectWebhookSecret,
    requests,
    deliveries,
    events: state.events,
    state,
    failNext(failure = {}) {
      for (let i = 0; i < (failure.times ?? 1); i++) failures.push({ phase: failure.phase ?? 'before', ...(failure.match ? { match: failure.match } : {}) });
    },
    async completeCheckout(sessionId, form = {}) {
      const completion = completeSession(state, sessionId, { card_number: '4242 4242 4242 4242', ...form });
      await enqueue(state.takePending());
      return completion;
    },
    deliver: (event) => serially(() => deliver(event)),
    async renewCard(paymentMethodId, expiry) {
      const owned = state.paymentMethods.get(paymentMethodId);
      if (!owned) throw new Error(`no payment method ${paymentMethodId}`);
      changeCard(state, owned.object, owned.account, { requestId: null, idempotencyKey: null }, 'payment_method.automatically_updated', (pm) => {
        pm.card.exp_month = expiry.expMonth;
        pm.card.exp_year = expiry.expYear;
      });
      await enqueue(state.takePending());
      return structuredClone(owned.object);
    },
    sign: (payload, signing = {}) => signPayload(payload, signing.secret ?? options.webhookSecret, signing.timestamp ?? Math.floor(now() / 1000)),
    async idle() {
      let seen: Promise<unknown> | undefined;
      while (seen !== queue) {
        seen = queue;
        await queue;
      }
    },
    clearLogs() {
      requests.length = 0;
      deliveries.length = 0;
    },
    close() {
      closed = true;
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A fresh random webhook secret, for an emulator started together with its receiver. */
export const randomWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
