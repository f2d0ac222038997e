import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { settingsPatch } from '../../schemas/admin';
import type { Deps } from '../../services/deps';
import { presentSettings } from '../../services/present';
import { getBusinessOrThrow, snippet, updateSettings } from '../../services/settings';
import type { AdminEnv } from './auth';

export const settingsRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/settings', async (c) => {
      const business = await getBusinessOrThrow(deps, c.var.businessId);
      return c.json(presentSettings(business, deps.paymentsConfigured), 200);
    })
    .patch('/settings', validate('json', settingsPatch), async (c) => {
      const business = await updateSettings(deps, c.var.businessId, c.req.valid('json'));
      return c.json(presentSettings(business, deps.paymentsConfigured), 200);
    })
    .get('/snippet', async (c) => {
      const business = await getBusinessOrThrow(deps, c.var.businessId);
      return c.json(snippet(business, deps.publicUrl), 200);
    });
