import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { customerCreate, customerListQuery, customerPatch } from '../../schemas/admin';
import { deleteCustomer, getCustomerOrThrow, listCustomers, saveCustomer, updateCustomer } from '../../services/customers';
import type { Deps } from '../../services/deps';
import { presentCustomer } from '../../services/present';
import type { AdminEnv } from './auth';

export const customerRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/customers', validate('query', customerListQuery), async (c) => {
      const page = await listCustomers(deps, c.var.businessId, c.req.valid('query'));
      return c.json({ data: page.data.map(presentCustomer), nextCursor: page.nextCursor }, 200);
    })
    .post('/customers', validate('json', customerCreate), async (c) => {
      const { value, created } = await saveCustomer(deps, c.var.businessId, c.req.valid('json'));
      return c.json(presentCustomer(value), created ? 201 : 200);
    })
    .get('/customers/:id', async (c) => {
      return c.json(presentCustomer(await getCustomerOrThrow(deps, c.var.businessId, c.req.param('id'))), 200);
    })
    .patch('/customers/:id', validate('json', customerPatch), async (c) => {
      const customer = await updateCustomer(deps, c.var.businessId, c.req.param('id'), c.req.valid('json'));
      return c.json(presentCustomer(customer), 200);
    })
    .delete('/customers/:id', async (c) => {
      await deleteCustomer(deps, c.var.businessId, c.req.param('id'));
      return c.body(null, 204);
    });
