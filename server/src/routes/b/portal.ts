import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { appointmentsQuery, approveBody, declineBody, messageBody, portalPageQuery } from '../../schemas/portal';
import type { Deps } from '../../services/deps';
import * as portal from '../../services/portal';
import {
  presentCustomerAppointment,
  presentCustomerEstimate,
  presentCustomerInvoice,
  presentMessage,
  presentSummary,
} from '../../services/present';
import { requireSession, type PublicEnv } from './scope';

export const portalRoutes = (deps: Deps) => {
  // Per route, not '*': a mounted '*' would also guard the sign-in routes and unknown paths.
  const signedIn = requireSession(deps);
  return new Hono<PublicEnv>()
    .get('/summary', signedIn, async (c) => c.json(presentSummary(await portal.summary(deps, c.var)), 200))
    .get('/appointments', signedIn, validate('query', appointmentsQuery), async (c) => {
      const { when, ...page } = c.req.valid('query');
      const result = await portal.listAppointments(deps, c.var, when, page);
      return c.json({ data: result.data.map(presentCustomerAppointment), nextCursor: result.nextCursor }, 200);
    })
    .get('/invoices', signedIn, validate('query', portalPageQuery), async (c) => {
      const result = await portal.listInvoices(deps, c.var, c.req.valid('query'));
      return c.json({ data: result.data.map(presentCustomerInvoice), nextCursor: result.nextCursor }, 200);
    })
    .get('/invoices/:id', signedIn, async (c) => c.json(presentCustomerInvoice(await portal.getInvoice(deps, c.var, c.req.param('id'))), 200))
    .get('/estimates', signedIn, validate('query', portalPageQuery), async (c) => {
      const result = await portal.listEstimates(deps, c.var, c.req.valid('query'));
      const now = deps.clock.now();
      return c.json({ data: result.data.map((e) => presentCustomerEstimate(e, now)), nextCursor: result.nextCursor }, 200);
    })
    .get('/estimates/:id', signedIn, async (c) => c.json(presentCustomerEstimate(await portal.getEstimate(deps, c.var, c.req.param('id')), deps.clock.now()), 200))
    .post('/estimates/:id/approve', signedIn, validate('json', approveBody), async (c) => {
      const estimate = await portal.approveEstimate(deps, c.var, c.req.param('id'), c.req.valid('json').optionId);
      return c.json(presentCustomerEstimate(estimate, deps.clock.now()), 200);
    })
    .post('/estimates/:id/decline', signedIn, validate('json', declineBody), async (c) => {
      const estimate = await portal.declineEstimate(deps, c.var, c.req.param('id'), c.req.valid('json').reason || undefined);
      return c.json(presentCustomerEstimate(estimate, deps.clock.now()), 200);
    })
    .get('/messages', signedIn, validate('query', portalPageQuery), async (c) => {
      const result = await portal.listMessages(deps, c.var, c.req.valid('query'));
      return c.json({ data: result.data.map((m) => presentMessage(m, 'customer')), nextCursor: result.nextCursor }, 200);
    })
    .post('/messages', signedIn, validate('json', messageBody), async (c) => {
      const message = await portal.sendMessage(deps, c.var, c.req.valid('json'));
      return c.json(presentMessage(message, 'customer'), 201);
    });
};
