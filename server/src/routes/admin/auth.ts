// Admin API authentication: the Bearer key alone decides the business.
import { createMiddleware } from 'hono/factory';
import { sha256 } from '../../lib/crypto';
import { AppError } from '../../lib/errors';
import type { Deps } from '../../services/deps';

export type AdminEnv = { Variables: { businessId: string } };

export const requireApiKey = (deps: Deps) =>
  createMiddleware<AdminEnv>(async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '');
    const businessId = match ? await deps.store.businessIdForApiKey(sha256(match[1]!)) : undefined;
    if (!businessId) {
      throw new AppError(401, 'unauthorized', 'Send a valid admin API key as "Authorization: Bearer <key>".');
    }
    c.set('businessId', businessId);
    await next();
  });
