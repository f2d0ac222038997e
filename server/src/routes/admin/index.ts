// The admin API (`/v1/admin/...`): every route behind an API key that decides the business.
import { Hono } from 'hono';
import type { Deps } from '../../services/deps';
import { appointmentRoutes } from './appointments';
import { requireApiKey, type AdminEnv } from './auth';
import { customerRoutes } from './customers';
import { estimateRoutes } from './estimates';
import { invitationRoutes } from './invitations';
import { invoiceRoutes } from './invoices';
import { messageRoutes } from './messages';
import { settingsRoutes } from './settings';
import { webhookRoutes } from './webhooks';

export const adminRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .use('*', requireApiKey(deps))
    .route('/', settingsRoutes(deps))
    .route('/', customerRoutes(deps))
    .route('/', invitationRoutes(deps))
    .route('/', appointmentRoutes(deps))
    .route('/', invoiceRoutes(deps))
    .route('/', estimateRoutes(deps))
    .route('/', messageRoutes(deps))
    .route('/', webhookRoutes(deps));
