import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { invoiceCreate, invoicePatch, workListQuery } from '../../schemas/admin';
import type { Deps } from '../../services/deps';
import { getInvoiceOrThrow, listInvoices, saveInvoice, sendInvoice, updateInvoice } from '../../services/invoices';
import { presentInvoice } from '../../services/present';
import type { AdminEnv } from './auth';

export const invoiceRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/invoices', validate('query', workListQuery), async (c) => {
      const page = await listInvoices(deps, c.var.businessId, c.req.valid('query'));
      return c.json({ data: page.data.map(presentInvoice), nextCursor: page.nextCursor }, 200);
    })
    .post('/invoices', validate('json', invoiceCreate), async (c) => {
      const { value, created } = await saveInvoice(deps, c.var.businessId, c.req.valid('json'));
      return c.json(presentInvoice(value), created ? 201 : 200);
    })
    .get('/invoices/:id', async (c) => {
      return c.json(presentInvoice(await getInvoiceOrThrow(deps, c.var.businessId, c.req.param('id'))), 200);
    })
    .patch('/invoices/:id', validate('json', invoicePatch), async (c) => {
      const invoice = await updateInvoice(deps, c.var.businessId, c.req.param('id'), c.req.valid('json'));
      return c.json(presentInvoice(invoice), 200);
    })
    .post('/invoices/:id/send', async (c) => {
      return c.json(presentInvoice(await sendInvoice(deps, c.var.businessId, c.req.param('id'))), 200);
    });
