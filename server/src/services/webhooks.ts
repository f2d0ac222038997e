// Outgoing webhooks: how deliveries are signed (and how a receiving business verifies them), and
// the endpoints a business manages through the admin API.
//
// Verifying a delivery (the recipe in the README): take `Doorstep-Signature: t=<unix seconds>,
// v1=<hex>`, compute HMAC-SHA256 over the bytes `<t>.<raw request body>` keyed with the endpoint's
// whole secret (`whsec_…`), compare it with each v1 in constant time, and refuse a t more than
// five minutes from your clock. Dedupe on `Doorstep-Event-Id`: retries carry the same event id.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { newId } from '../lib/crypto';
import { AppError, notFound } from '../lib/errors';
import type { PageRequest, WebhookDelivery, WebhookEndpoint } from '../store/types';
import type { WebhookEventType } from '../store/webhook-events';
import type { Deps } from './deps';
import { iso } from '../lib/iso';

export const SIGNATURE_HEADER = 'Doorstep-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** A business's endpoints are few; the cap keeps one event from fanning out without bound. */
export const MAX_ENDPOINTS_PER_BUSINESS = 16;

/** `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const hmacHex = (secret: string, body: string | Uint8Array, timestampSeconds: number) =>
  createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');

/** The `Doorstep-Signature` value for a body sent at `timestampSeconds`. */
export function signPayload(secret: string, body: string | Uint8Array, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, body, timestampSeconds)}`;
}

/**
 * Whether `header` signs exactly `rawBody` with `secret` at a time within `toleranceSeconds` of
 * `nowSeconds`. Pass the body as received, before any JSON parsing. Several v1 values are allowed
 * (any one matching passes), so a sender can sign with an old and a new secret during a rotation.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, rawBody, timestamp), 'hex');
  // Every candidate is compared, so the time taken does not say which one matched.
  return signatures.reduce((ok, signature) => timingSafeEqual(signature, expected) || ok, false);
}

/** The headers of one delivery attempt, signed at `timestampSeconds`. */
export function webhookHeaders(
  delivery: Pick<WebhookDelivery, 'eventId' | 'eventType' | 'payload'>,
  secret: string,
  timestampSeconds: number,
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'Doorstep-Webhooks/1',
    'Doorstep-Event-Id': delivery.eventId,
    'Doorstep-Event-Type': delivery.eventType,
    [SIGNATURE_HEADER]: signPayload(secret, delivery.payload, timestampSeconds),
  };
}

// ---- Endpoint URLs ----

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Loopback, private, link-local (cloud metadata) and unspecified addresses: never reachable from outside. */
function isInternalAddress(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '').toLowerCase();
  const version = isIP(address);
  if (version === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (version === 6) {
    return address === '::' || address === '::1' || /^f[cd]/.test(address) || /^fe[89ab]/.test(address) || address.startsWith('::ffff:');
  }
  return false;
}

/**
 * An endpoint URL Doorstep will post to: https to a public host; with `allowLocalHttp`
 * (development), also http to localhost, 127.0.0.1 or [::1]. Throws a 400 naming the problem.
 */
export function checkWebhookUrl(value: string, options: { allowLocalHttp: boolean }): string {
  const invalid = (why: string) => new AppError(400, 'invalid_body', `url: ${why}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('must be an absolute URL such as https://example.com/doorstep/webhooks.');
  }
  if (url.username || url.password) throw invalid('must not contain a user name or password.');
  if (url.hash) throw invalid('must not contain a #fragment.');
  const host = url.hostname.toLowerCase();
  const local = LOCAL_HOSTS.has(host) || host.endsWith('.localhost');
  if (url.protocol === 'http:' && options.allowLocalHttp && LOCAL_HOSTS.has(host)) return url.href;
  if (url.protocol !== 'https:') {
    throw invalid(options.allowLocalHttp ? 'must be https (http only to localhost, 127.0.0.1 or [::1] in development).' : 'must be https.');
  }
  if (!options.allowLocalHttp && (local || isInternalAddress(host))) {
    throw invalid('must be a public address, not localhost or a private network address.');
  }
  return url.href;
}

// ---- Endpoints for the admin API ----

export interface WebhookEndpointInput {
  url: string;
  events?: WebhookEventType[] | undefined;
  description?: string | null | undefined;
}

export async function getWebhookEndpointOrThrow(deps: Deps, businessId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.store.getWebhookEndpoint(businessId, id);
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

export function listWebhookEndpoints(deps: Deps, businessId: string): Promise<WebhookEndpoint[]> {
  return deps.store.listWebhookEndpoints(businessId);
}

/** Registers an endpoint with a new signing secret; the result is the only time it is shown in full. */
export async function createWebhookEndpoint(
  deps: Deps,
  businessId: string,
  input: WebhookEndpointInput,
  options: { allowLocalHttp: boolean },
): Promise<WebhookEndpoint> {
  const url = checkWebhookUrl(input.url, options);
  if ((await deps.store.listWebhookEndpoints(businessId)).length >= MAX_ENDPOINTS_PER_BUSINESS) {
    throw new AppError(409, 'too_many_webhook_endpoints', `A business can have at most ${MAX_ENDPOINTS_PER_BUSINESS} webhook endpoints; delete one first.`);
  }
  return deps.store.createWebhookEndpoint(
    businessId,
    { id: newId('whe'), url, secret: newWebhookSecret(), events: [...new Set(input.events ?? [])], description: input.description || null },
    deps.clock.now(),
  );
}

export async function deleteWebhookEndpoint(deps: Deps, businessId: string, id: string): Promise<void> {
  if (!(await deps.store.deleteWebhookEndpoint(businessId, id))) throw notFound('Webhook endpoint');
}

export async function listWebhookDeliveries(deps: Deps, businessId: string, endpointId: string, page: PageRequest) {
  await getWebhookEndpointOrThrow(deps, businessId, endpointId);
  return deps.store.listWebhookDeliveries(businessId, endpointId, page);
}

/** Stops sending to the endpoint; events keep being queued for it and wait. Pausing twice changes nothing. */
export async function pauseWebhookEndpoint(deps: Deps, businessId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.store.pauseWebhookEndpoint(businessId, id, deps.clock.now());
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** Sends to the endpoint again, starting with everything queued while it was paused. */
export async function resumeWebhookEndpoint(deps: Deps, businessId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.store.resumeWebhookEndpoint(businessId, id);
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** Queues a `webhook.test` event to the endpoint; the worker delivers it like any other. */
export async function sendTestWebhook(deps: Deps, businessId: string, endpointId: string): Promise<WebhookDelivery> {
  const endpoint = await getWebhookEndpointOrThrow(deps, businessId, endpointId);
  if (endpoint.disabledAt !== null) throw new AppError(409, 'webhook_endpoint_paused', 'This webhook endpoint is paused: resume it to send a test event.');
  const delivery = await deps.store.queueTestWebhook(businessId, endpointId, deps.clock.now());
  if (!delivery) throw notFound('Webhook endpoint');
  return delivery;
}

// ---- How they are shown ----

/** The secret's prefix and last four characters: enough to tell secrets apart, useless to sign. */
export const maskSecret = (secret: string) => `whsec_…${secret.slice(-4)}`;

export function presentWebhookEndpoint(endpoint: WebhookEndpoint, options: { revealSecret?: boolean } = {}) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.disabledAt === null,
    secret: options.revealSecret ? endpoint.secret : maskSecret(endpoint.secret),
    createdAt: iso(endpoint.createdAt),
    disabledAt: iso(endpoint.disabledAt),
  };
}

export function presentWebhookDelivery(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? iso(delivery.nextAttemptAt) : null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
    createdAt: iso(delivery.createdAt),
    // The body as posted, so the business sees exactly what its endpoint was sent.
    event: JSON.parse(delivery.payload) as unknown,
  };
}
