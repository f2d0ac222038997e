import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { workListQuery } from '../../schemas/admin';
import { replyBody } from '../../schemas/portal';
import type { Deps } from '../../services/deps';
import { getMessageForBusiness, replyToMessage } from '../../services/portal';
import { presentMessage } from '../../services/present';
import { getBusinessOrThrow } from '../../services/settings';
import type { AdminEnv } from './auth';

export const messageRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/messages', validate('query', workListQuery), async (c) => {
      const { customerId, ...page } = c.req.valid('query');
      const result = await deps.store.listMessages(c.var.businessId, page, customerId);
      return c.json({ data: result.data.map((m) => presentMessage(m, 'business')), nextCursor: result.nextCursor }, 200);
    })
    .get('/messages/:id', async (c) => c.json(presentMessage(await getMessageForBusiness(deps, c.var.businessId, c.req.param('id')), 'business'), 200))
    .post('/messages/:id/replies', validate('json', replyBody), async (c) => {
      const business = await getBusinessOrThrow(deps, c.var.businessId);
      const message = await replyToMessage(deps, business, c.req.param('id'), c.req.valid('json').body);
      return c.json(presentMessage(message, 'business'), 201);
    });
