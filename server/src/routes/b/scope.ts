// The widget API's per-business scope: the business comes from the path, CORS is decided by its
// own allowed origins (exact match, no credentials), and a session, when needed, must belong to it.
import { createMiddleware } from 'hono/factory';
import { AppError, notFound } from '../../lib/errors';
import { setHeader } from '../../lib/http';
import { authenticate } from '../../services/auth';
import type { Deps } from '../../services/deps';
import type { Business, Session } from '../../store/types';

export type PublicEnv = { Variables: { business: Business; session: Session; bearer: string } };

export const businessScope = (deps: Deps) => {
  const ownOrigin = new URL(deps.publicUrl).origin;
  return createMiddleware<PublicEnv>(async (c, next) => {
    setHeader(c, 'Vary', 'Origin', { append: true });
    const business = await deps.store.getBusiness(c.req.param('business') ?? '');
    if (!business) throw notFound('Business');
    const origin = c.req.header('Origin');
    if (origin !== undefined) {
      // Our own origin serves the hosted portal page (/p/:business) for every business.
      if (origin !== ownOrigin && !business.allowedOrigins.includes(origin)) {
        throw new AppError(403, 'origin_not_allowed', `${origin} is not an allowed origin of this business's portal.`);
      }
      setHeader(c, 'Access-Control-Allow-Origin', origin);
      setHeader(c, 'Access-Control-Expose-Headers', 'Retry-After');
    }
    if (c.req.method === 'OPTIONS') {
      setHeader(c, 'Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
      setHeader(c, 'Access-Control-Allow-Headers', 'Authorization, Content-Type');
      setHeader(c, 'Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    c.set('business', business);
    await next();
  });
};

export const requireSession = (deps: Deps) =>
  createMiddleware<PublicEnv>(async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    c.set('session', await authenticate(deps, c.var.business.id, bearer));
    c.set('bearer', bearer!);
    await next();
  });
