// Outgoing webhook endpoints (SPEC §4.6): register, list, delete, pause and resume, inspect
// deliveries, send a test. The signing secret is shown in full only in the answer to the POST that
// creates the endpoint. A paused endpoint is sent nothing; its events are queued and go out on resume.
import { Hono } from 'hono';
import { z } from 'zod';
import { validate } from '../../lib/validate';
import { pageQuery, webhookCreate, webhookTest } from '../../schemas/admin';
import type { Deps } from '../../services/deps';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpointOrThrow,
  listWebhookDeliveries,
  listWebhookEndpoints,
  pauseWebhookEndpoint,
  presentWebhookDelivery,
  presentWebhookEndpoint,
  resumeWebhookEndpoint,
  sendTestWebhook,
} from '../../services/webhooks';
import type { AdminEnv } from './auth';

/** Pausing and resuming take no fields: no body, or `{}`. */
const noFields = z.strictObject({});

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
    .post('/webhooks/:id/pause', validate('json', noFields), async (c) => {
      return c.json(presentWebhookEndpoint(await pauseWebhookEndpoint(deps, c.var.businessId, c.req.param('id'))), 200);
    })
    .post('/webhooks/:id/resume', validate('json', noFields), async (c) => {
      return c.json(presentWebhookEndpoint(await resumeWebhookEndpoint(deps, c.var.businessId, c.req.param('id'))), 200);
    })
    .get('/webhooks/:id/deliveries', validate('query', pageQuery), async (c) => {
      const page = await listWebhookDeliveries(deps, c.var.businessId, c.req.param('id'), c.req.valid('query'));
      return c.json({ data: page.data.map(presentWebhookDelivery), nextCursor: page.nextCursor }, 200);
    })
    .post('/webhooks/:id/test', validate('json', webhookTest), async (c) => {
      const delivery = await sendTestWebhook(deps, c.var.businessId, c.req.param('id'));
      return c.json(presentWebhookDelivery(delivery), 202);
    });
