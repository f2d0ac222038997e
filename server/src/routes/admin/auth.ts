// Admin API authentication: the business comes only from the credential — a Bearer API key, or
// the staff session cookie the admin console signs in with. Writes made with the cookie (which the
// browser attaches by itself) must come from the console's own origin.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { sha256 } from '../../lib/crypto';
import { AppError } from '../../lib/errors';
import { API_KEY_USE_REFRESH_MS } from '../../services/api-keys';
import type { Deps } from '../../services/deps';
import { authenticateStaff } from '../../services/staff';

export type AdminEnv = {
  Variables: { businessId: string; credential: 'api_key' | 'staff'; staffId: string | null; staffRole: 'owner' | 'staff' | null };
};

export const STAFF_COOKIE = 'doorstep_staff';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 403 unless a cookie-authenticated write comes from the console's own origin (CSRF). */
export function requireOwnOrigin(c: Context, publicUrl: string): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const ownOrigin = new URL(publicUrl).origin;
  if (c.req.header('Origin') !== ownOrigin) {
    throw new AppError(403, 'origin_not_allowed', `Changes made with the console's sign-in must come from the console (${ownOrigin}).`);
  }
}

export const requireAdmin = (deps: Deps) =>
  createMiddleware<AdminEnv>(async (c, next) => {
    const authorization = c.req.header('Authorization');
    // A request that names a key is judged by the key alone, never by a cookie riding along.
    if (authorization === undefined) {
      const signedIn = await authenticateStaff(deps, getCookie(c, STAFF_COOKIE));
      if (signedIn) {
        requireOwnOrigin(c, deps.publicUrl);
        c.set('businessId', signedIn.session.businessId);
        c.set('credential', 'staff');
        c.set('staffId', signedIn.staff.id);
        c.set('staffRole', signedIn.staff.role);
        await next();
        return;
      }
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const businessId = match ? await deps.store.useApiKey(sha256(match[1]!), deps.clock.now(), API_KEY_USE_REFRESH_MS) : undefined;
    if (!businessId) {
      throw new AppError(401, 'unauthorized', 'Send a valid admin API key as "Authorization: Bearer <key>", or sign in to the admin console.');
    }
    c.set('businessId', businessId);
    c.set('credential', 'api_key');
    c.set('staffId', null);
    c.set('staffRole', null);
    await next();
  });

/**
 * 403 unless an owner signed in to the console makes the request, before its body is read. Who may
 * act for the business (API keys, staff) is decided there only: a leaked API key must not be able
 * to mint itself a successor or add its holder as staff, and staff without the owner role manage
 * neither.
 */
export const consoleOwnerOnly = (what: string) =>
  createMiddleware<AdminEnv>(async (c, next) => {
    if (c.var.credential !== 'staff') {
      throw new AppError(
        403,
        'api_key_not_allowed',
        `An API key cannot manage ${what}. An owner does this signed in to the admin console (or the operator with the command line).`,
      );
    }
    if (c.var.staffRole !== 'owner') throw new AppError(403, 'owner_only', `Only an owner of the business can manage ${what}.`);
    await next();
  });
