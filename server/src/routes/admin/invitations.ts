import { Hono } from 'hono';
import { validate } from '../../lib/validate';
import { bulkInvitation, invitationCreate } from '../../schemas/admin';
import { BULK_SYNC_LIMIT, getBulkJobOrThrow, presentBulkJob, startBulkInvitation } from '../../services/bulk-invitations';
import type { Deps } from '../../services/deps';
import { inviteCustomer, inviteInBulk, listInvitations } from '../../services/invitations';
import type { InvitationRecord } from '../../store/types';
import type { AdminEnv } from './auth';
import { iso } from '../../lib/iso';

const present = (i: InvitationRecord) => ({ ...i, createdAt: iso(i.createdAt), expiresAt: iso(i.expiresAt), usedAt: iso(i.usedAt) });

export const invitationRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .post('/customers/:id/invitations', validate('json', invitationCreate), async (c) => {
      const invitation = await inviteCustomer(deps, c.var.businessId, c.req.param('id'), c.req.valid('json').email);
      return c.json(present(invitation), 201);
    })
    .get('/customers/:id/invitations', async (c) => {
      const history = await listInvitations(deps, c.var.businessId, c.req.param('id'));
      return c.json({ data: history.map(present), nextCursor: null }, 200);
    })
    .post('/invitations/bulk', validate('json', bulkInvitation), async (c) => {
      const { customerIds, dryRun, background } = c.req.valid('json');
      if (!dryRun && (background || new Set(customerIds).size > BULK_SYNC_LIMIT)) {
        const job = await startBulkInvitation(deps, c.var.businessId, customerIds);
        return c.json({ dryRun: false, ...presentBulkJob(job) }, 202);
      }
      const result = await inviteInBulk(deps, c.var.businessId, customerIds, dryRun ?? false);
      return c.json({ dryRun: dryRun ?? false, ...result }, dryRun ? 200 : 201);
    })
    .get('/invitations/bulk/:jobId', async (c) => {
      return c.json(presentBulkJob(await getBulkJobOrThrow(deps, c.var.businessId, c.req.param('jobId'))), 200);
    });
