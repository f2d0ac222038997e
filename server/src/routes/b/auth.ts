import { Hono } from 'hono';
import { z } from 'zod';
import { clientIp } from '../../lib/ip';
import { validate } from '../../lib/validate';
import { emailAddress } from '../../schemas/admin';
import { exchangeLink, LOGIN_LINK_ACCEPTED, requestLoginLink, signOut } from '../../services/auth';
import type { Deps } from '../../services/deps';
import { presentMe, presentPublicBusiness } from '../../services/present';
import { requireSession, type PublicEnv } from './scope';

const loginLinkBody = z.strictObject({ email: emailAddress });
const sessionBody = z.strictObject({ token: z.string().min(1).max(200) });

/** `invoice:inv_…` → `{ type: 'invoice', id: 'inv_…' }`: where the portal opens after sign-in. */
const presentLanding = (landing: string | null) => {
  const [type, id] = landing?.split(':') ?? [];
  return type && id ? { type, id } : null;
};

export const authRoutes = (deps: Deps) =>
  new Hono<PublicEnv>()
    .get('/', (c) => c.json(presentPublicBusiness(c.var.business, deps.publicUrl, deps.paymentsConfigured), 200))
    .post('/login-links', validate('json', loginLinkBody), async (c) => {
      await requestLoginLink(deps, c.var.business, c.req.valid('json').email, clientIp(c, deps.trustProxy));
      return c.json(LOGIN_LINK_ACCEPTED, 202);
    })
    .post('/sessions', validate('json', sessionBody), async (c) => {
      const signedIn = await exchangeLink(deps, c.var.business, c.req.valid('json').token, clientIp(c, deps.trustProxy));
      return c.json(
        {
          session: {
            token: signedIn.token,
            expiresAt: new Date(signedIn.session.expiresAt).toISOString(),
            idleExpiresAt: new Date(signedIn.session.idleExpiresAt).toISOString(),
          },
          customer: presentMe(signedIn.customer),
          landing: presentLanding(signedIn.landing),
        },
        201,
      );
    })
    .delete('/session', requireSession(deps), async (c) => {
      await signOut(deps, c.var.business.id, c.var.bearer);
      return c.body(null, 204);
    })
    .get('/me', requireSession(deps), async (c) => {
      const customer = await deps.store.getCustomer(c.var.business.id, c.var.session.customerId);
      return c.json(presentMe(customer!), 200);
    });
