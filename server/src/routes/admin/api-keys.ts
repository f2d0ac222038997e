// A business's admin API keys (for the console's "API keys" page): list, create (the key is in the
// answer to the POST and nowhere else, ever), revoke by prefix. Creating and revoking are for an
// owner signed in to the console: a request made with an API key is refused.
import { Hono } from 'hono';
import { z } from 'zod';
import { validate } from '../../lib/validate';
import { createBusinessApiKey, listApiKeys, presentApiKey, revokeBusinessApiKey } from '../../services/api-keys';
import type { Deps } from '../../services/deps';
import { consoleOwnerOnly, type AdminEnv } from './auth';

const apiKeyCreate = z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional() });

export const apiKeyRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/api-keys', async (c) => {
      const keys = await listApiKeys(deps, c.var.businessId);
      return c.json({ data: keys.map(presentApiKey), nextCursor: null }, 200);
    })
    .post('/api-keys', consoleOwnerOnly('API keys'), validate('json', apiKeyCreate), async (c) => {
      return c.json(await createBusinessApiKey(deps, c.var.businessId, c.req.valid('json').name), 201);
    })
    .delete('/api-keys/:prefix', consoleOwnerOnly('API keys'), async (c) => {
      await revokeBusinessApiKey(deps, c.var.businessId, c.req.param('prefix'));
      return c.body(null, 204);
    });
