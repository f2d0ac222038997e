// The business's staff (the console's "Staff" page): anyone signed in may list them; adding,
// changing a role and removing are for an owner signed in to the console, never an API key.
import { Hono } from 'hono';
import { z } from 'zod';
import { validate } from '../../lib/validate';
import { emailAddress } from '../../schemas/admin';
import type { Deps } from '../../services/deps';
import { addStaffMember, changeStaffRole, listStaff, presentStaff, removeStaffMember } from '../../services/staff-members';
import { consoleOwnerOnly, type AdminEnv } from './auth';

const role = z.enum(['owner', 'staff'], { message: 'must be owner or staff' });
const staffCreate = z.strictObject({ email: emailAddress, role: role.default('staff') });
const staffPatch = z.strictObject({ role });
const ownerOnly = consoleOwnerOnly('staff');

export const staffRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/staff', async (c) => {
      const staff = await listStaff(deps, c.var.businessId);
      return c.json({ data: staff.map(presentStaff), nextCursor: null }, 200);
    })
    .post('/staff', ownerOnly, validate('json', staffCreate), async (c) => {
      return c.json(presentStaff(await addStaffMember(deps, c.var.businessId, c.req.valid('json'))), 201);
    })
    .patch('/staff/:id', ownerOnly, validate('json', staffPatch), async (c) => {
      return c.json(presentStaff(await changeStaffRole(deps, c.var.businessId, c.req.param('id'), c.req.valid('json').role)), 200);
    })
    .delete('/staff/:id', ownerOnly, async (c) => {
      await removeStaffMember(deps, c.var.businessId, c.var.staffId!, c.req.param('id'));
      return c.body(null, 204);
    });
