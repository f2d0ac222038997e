// Staff sign-in for the admin console (`/admin/api/...`): request a link, exchange it for a session
// cookie, sign out, and who is signed in. Same-origin only: every write must carry the console's
// own Origin, so no other site can sign a browser in or out (login CSRF).
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError } from '../../lib/errors';
import { jsonBodies, limitBody } from '../../lib/http';
import { clientIp } from '../../lib/ip';
import { validate } from '../../lib/validate';
import { emailAddress } from '../../schemas/admin';
import type { Deps } from '../../services/deps';
import { presentPublicBusiness } from '../../services/present';
import { authenticateStaff, exchangeStaffLink, requestStaffLink, signOutStaff, STAFF_LINK_ACCEPTED, STAFF_SESSION_ABSOLUTE_MS } from '../../services/staff';
import { requireOwnOrigin, STAFF_COOKIE } from '../admin/auth';

const loginLinkBody = z.strictObject({ email: emailAddress });
const sessionBody = z.strictObject({ token: z.string().min(1).max(200) });

export const staffAuthRoutes = (deps: Deps) => {
  const secure = new URL(deps.publicUrl).protocol === 'https:';
  const cookieOptions = { httpOnly: true, sameSite: 'Lax', path: '/', secure } as const;
  return new Hono()
    .use('*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    })
    .use('*', limitBody, jsonBodies, async (c, next) => {
      requireOwnOrigin(c, deps.publicUrl);
      await next();
    })
    .post('/login-links', validate('json', loginLinkBody), async (c) => {
      await requestStaffLink(deps, c.req.valid('json').email, clientIp(c, deps.trustProxy));
      return c.json(STAFF_LINK_ACCEPTED, 202);
    })
    .post('/sessions', validate('json', sessionBody), async (c) => {
      const signedIn = await exchangeStaffLink(deps, c.req.valid('json').token, clientIp(c, deps.trustProxy));
      setCookie(c, STAFF_COOKIE, signedIn.token, { ...cookieOptions, maxAge: Math.floor(STAFF_SESSION_ABSOLUTE_MS / 1000) });
      return c.json(
        {
          staff: { id: signedIn.staff.id, email: signedIn.staff.email, name: signedIn.staff.name, role: signedIn.staff.role },
          business: presentPublicBusiness(signedIn.business, deps.publicUrl, deps.paymentsConfigured),
          expiresAt: new Date(signedIn.expiresAt).toISOString(),
        },
        201,
      );
    })
    .delete('/session', async (c) => {
      const token = getCookie(c, STAFF_COOKIE);
      if (token) await signOutStaff(deps, token);
      deleteCookie(c, STAFF_COOKIE, cookieOptions);
      return c.body(null, 204);
    })
    .get('/me', async (c) => {
      const signedIn = await authenticateStaff(deps, getCookie(c, STAFF_COOKIE));
      const business = signedIn && (await deps.store.getBusiness(signedIn.session.businessId));
      if (!signedIn || !business) throw new AppError(401, 'unauthorized', 'Sign in to the admin console.');
      return c.json(
        {
          staff: { id: signedIn.staff.id, email: signedIn.staff.email, name: signedIn.staff.name, role: signedIn.staff.role },
          business: presentPublicBusiness(business, deps.publicUrl, deps.paymentsConfigured),
          expiresAt: new Date(signedIn.session.expiresAt).toISOString(),
        },
        200,
      );
    });
};
