// The console's overview numbers: invited and signed-in customers, this month's payments and
// approvals, and 12 weeks of activity.
import { Hono } from 'hono';
import { z } from 'zod';
import { validate } from '../../lib/validate';
import type { Deps } from '../../services/deps';
import { overview } from '../../services/overview';
import type { AdminEnv } from './auth';

const overviewQuery = z.object({
  /** Where "this month" starts for the viewer, e.g. local midnight of the 1st as an ISO time. */
  monthStart: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});

export const overviewRoutes = (deps: Deps) =>
  new Hono<AdminEnv>().get('/overview', validate('query', overviewQuery), async (c) => {
    const { monthStart } = c.req.valid('query');
    return c.json(await overview(deps, c.var.businessId, { monthStart: monthStart ? Date.parse(monthStart) : undefined }), 200);
  });
