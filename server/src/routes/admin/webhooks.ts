// Outgoing webhook endpoints (SPEC §4.6): register, list, delete, inspect deliveries, send a test.
// The signing secret is shown in full only in the answer to the POST that creates the endpoint.
import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { pageQuery, webhookCreate, webhookTest } from '../../schemas/admin';
import type { Deps } from '../../services/deps';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpointOrThrow,
  listWebhookDeliveries,
  listWebhookEndpoints,
  presentWebhookDelivery,
  presentWebhookEndpoint,
  sendTestWebhook,
} from '../../services/webhooks';
import type { AdminEnv } from './auth';

export const webhookRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/webhooks', async (c) => {
      const endpoints = await listWebhookEndpoints(deps, c.var.businessId);
      return c.json({ data: endpoints.map((endpoint) => presentWebhookEndpoint(endpoint)), nextCursor: null }, 200);
    })
    .post('/webhooks', validate('json', webhookCreate), async (c) => {
      const endpoint = await createWebhookEndpoint(deps, c.var.businessId, c.req.valid('json'), { allowLocalHttp: deps.dev === true });
      return c.json(presentWebhookEndpoint(endpoint, { revealSecret: true }), 201);
    })
    .get('/webhooks/:id', async (c) => {
      return c.json(presentWebhookEndpoint(await getWebhookEndpointOrThrow(deps, c.var.businessId, c.req.param('id'))), 200);
    })
    .delete('/webhooks/:id', async (c) => {
      await deleteWebhookEndpoint(deps, c.var.businessId, c.req.param('id'));
      return c.body(null, 204);
    })
    .get('/webhooks/:id/deliveries', validate('query', pageQuery), async (c) => {
      const page = await listWebhookDeliveries(deps, c.var.businessId, c.req.param('id'), c.req.valid('query'));
      return c.json({ data: page.data.map(presentWebhookDelivery), nextCursor: page.nextCursor }, 200);
    })
    .post('/webhooks/:id/test', validate('json', webhookTest), async (c) => {
      const delivery = await sendTestWebhook(deps, c.var.businessId, c.req.param('id'));
      return c.json(presentWebhookDelivery(delivery), 202);
    });
