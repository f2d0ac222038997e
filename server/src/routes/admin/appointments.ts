import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { appointmentCreate, appointmentPatch, workListQuery } from '../../schemas/admin';
import { deleteAppointment, getAppointmentOrThrow, listAppointments, saveAppointment, updateAppointment } from '../../services/appointments';
import type { Deps } from '../../services/deps';
import { presentAppointment } from '../../services/present';
import type { AdminEnv } from './auth';

export const appointmentRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .get('/appointments', validate('query', workListQuery), async (c) => {
      const page = await listAppointments(deps, c.var.businessId, c.req.valid('query'));
      return c.json({ data: page.data.map(presentAppointment), nextCursor: page.nextCursor }, 200);
    })
    .post('/appointments', validate('json', appointmentCreate), async (c) => {
      const { value, created } = await saveAppointment(deps, c.var.businessId, c.req.valid('json'));
      return c.json(presentAppointment(value), created ? 201 : 200);
    })
    .get('/appointments/:id', async (c) => {
      return c.json(presentAppointment(await getAppointmentOrThrow(deps, c.var.businessId, c.req.param('id'))), 200);
    })
    .patch('/appointments/:id', validate('json', appointmentPatch), async (c) => {
      const appointment = await updateAppointment(deps, c.var.businessId, c.req.param('id'), c.req.valid('json'));
      return c.json(presentAppointment(appointment), 200);
    })
    .delete('/appointments/:id', async (c) => {
      await deleteAppointment(deps, c.var.businessId, c.req.param('id'));
      return c.body(null, 204);
    });
