// Cross-cutting HTTP behaviour: security headers, body limits, JSON-only bodies, and the one
// error shape for everything that goes wrong.
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import type { ServerResponse } from 'node:http';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Store } from '../store/types';
import { AppError, errorBody } from './errors';

export const MAX_BODY_BYTES = 100 * 1024;

/** Node's response, when Hono runs under @hono/node-server (not in `app.request()`). */
const nodeResponse = (c: Context): ServerResponse | undefined => (c.env as Partial<HttpBindings> | undefined)?.outgoing;

/**
 * Sets a header of the answer being made. Under Node it goes on Node's own response, which merges
 * it into the one Hono writes: a header set through Hono's context makes a Fetch `Headers` for the
 * answer, and making and reading those was a tenth of a small API read (bench/api.ts).
 */
export function setHeader(c: Context, name: string, value: string, options?: { append: boolean }): void {
  const outgoing = nodeResponse(c);
  if (!outgoing) c.header(name, value, options);
  else if (options?.append) outgoing.appendHeader(name, value);
  else outgoing.setHeader(name, value);
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  const api = c.req.path.startsWith('/v1/') || c.req.path === '/health';
  // Set before the handler, so they are part of the response as it is made: each header set on a
  // finished response makes Hono rebuild it (around a stream) on every request.
  setHeader(c, 'X-Content-Type-Options', 'nosniff');
  setHeader(c, 'Referrer-Policy', 'no-referrer');
  if (api) setHeader(c, 'Cache-Control', 'no-store');
  await next();
  // The API answers JSON and sets none of these itself. Other answers are checked again, for one
  // made without the context, so that these values win, and for pages.
  if (api) return;
  if (c.res.headers.get('X-Content-Type-Options') !== 'nosniff') c.header('X-Content-Type-Options', 'nosniff');
  if (c.res.headers.get('Referrer-Policy') !== 'no-referrer') c.header('Referrer-Policy', 'no-referrer');
  const type = c.res.headers.get('Content-Type') ?? '';
  if (type.startsWith('text/html')) {
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', "frame-ancestors 'none'");
    c.header('X-Frame-Options', 'DENY');
  }
};

/**
 * No answer goes out before the writes it may have seen are committed: SQLite commits the writes
 * of one turn of the event loop together, at its end, and a read in that turn already sees them.
 * If that commit fails, the answer is an error rather than data that never existed.
 */
export const afterCommit =
  (store: Pick<Store, 'settled'>): MiddlewareHandler =>
  async (_c, next) => {
    await next();
    await store.settled();
  };

const tooLarge = () => new AppError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);

const streamedBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

/**
 * GET and HEAD bodies are never read, and a declared Content-Length is checked from the header
 * (Node reads no more than it declares): looking at the body itself builds a whole Fetch Request
 * per call. A streamed (chunked) body is counted by Hono's middleware as it is read.
 */
export const limitBody: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const length = c.req.header('Content-Length');
  if (length === undefined || c.req.header('Transfer-Encoding') !== undefined) return streamedBodyLimit(c, next);
  if (Number.parseInt(length, 10) > MAX_BODY_BYTES) throw tooLarge();
  return next();
};

/** Bodies must be JSON: anything else is refused before a handler sees it. */
export const jsonBodies: MiddlewareHandler = async (c, next) => {
  if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    // An empty body needs no type (POST …/send); reading it is cheap, the body limit applies, and
    // Hono caches it for the handler.
    if (type !== 'application/json' && (await c.req.text()).length > 0) {
      throw new AppError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
    }
  }
  await next();
};

export function handleError(error: Error, c: Context) {
  if (error instanceof AppError) {
    const retryAfter = error.details?.['retryAfter'];
    if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
    return c.json(errorBody(error.code, error.message, error.details), error.status);
  }
  if (error instanceof HTTPException) {
    const malformed = /json/i.test(error.message);
    const status = error.status;
    return c.json(
      errorBody(malformed ? 'invalid_json' : 'bad_request', malformed ? 'The request body is not valid JSON.' : error.message || 'Bad request.'),
      status,
    );
  }
  console.error(error);
  return c.json(errorBody('internal_error', 'Something went wrong on our side. Please try again.'), 500);
}

export function handleNotFound(c: Context) {
  return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404);
}
