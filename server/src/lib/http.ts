// Cross-cutting HTTP behaviour: security headers, body limits, JSON-only bodies, and the one
// error shape for everything that goes wrong.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { AppError, errorBody } from './errors';

export const MAX_BODY_BYTES = 100 * 1024;

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  if (c.req.path.startsWith('/v1/') || c.req.path === '/health') c.header('Cache-Control', 'no-store');
  const type = c.res.headers.get('Content-Type') ?? '';
  if (type.startsWith('text/html')) {
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', "frame-ancestors 'none'");
    c.header('X-Frame-Options', 'DENY');
  }
};

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  },
});

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
