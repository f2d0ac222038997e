import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { estimateCreate, estimatePatch, workListQuery } from '../../schemas/admin';
import type { Deps } from '../../services/deps';
import { cancelEstimate, getEstimateOrThrow, listEstimates, saveEstimate, updateEstimate } from '../../services/estimates';
import { presentEstimate } from '../../services/present';
import type { AdminEnv } from './auth';

export const estimateRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/estimates', validate('query', workListQuery), async (c) => {
      const page = await listEstimates(deps, c.var.businessId, c.req.valid('query'));
      const now = deps.clock.now();
      return c.json({ data: page.data.map((e) => presentEstimate(e, now)), nextCursor: page.nextCursor }, 200);
    })
    .post('/estimates', validate('json', estimateCreate), async (c) => {
      const { value, created } = await saveEstimate(deps, c.var.businessId, c.req.valid('json'));
      return c.json(presentEstimate(value, deps.clock.now()), created ? 201 : 200);
    })
    .get('/estimates/:id', async (c) => {
      return c.json(presentEstimate(await getEstimateOrThrow(deps, c.var.businessId, c.req.param('id')), deps.clock.now()), 200);
    })
    .patch('/estimates/:id', validate('json', estimatePatch), async (c) => {
      const estimate = await updateEstimate(deps, c.var.businessId, c.req.param('id'), c.req.valid('json'));
      return c.json(presentEstimate(estimate, deps.clock.now()), 200);
    })
    .post('/estimates/:id/cancel', async (c) => {
      return c.json(presentEstimate(await cancelEstimate(deps, c.var.businessId, c.req.param('id')), deps.clock.now()), 200);
    });
