// The admin API (`/v1/admin/...`): every route behind an API key or a staff session that decides the business.
import { Hono } from 'hono';
import type { Deps } from '../../services/deps';
import { appointmentRoutes } from './appointments';
import { apiKeyRoutes } from './api-keys';
import { requireAdmin, type AdminEnv } from './auth';
import { customerRoutes } from './customers';
import { estimateRoutes } from './estimates';
import { invitationRoutes } from './invitations';
import { invoiceRoutes } from './invoices';
import { messageRoutes } from './messages';
import { overviewRoutes } from './overview';
import { settingsRoutes } from './settings';
import { staffRoutes } from './staff';
import { webhookRoutes } from './webhooks';

export const adminRoutes = (deps: Deps) =>
  new Hono<AdminEnv>()
    .use('*', requireAdmin(deps))
    .route('/', settingsRoutes(deps))
    .route('/', customerRoutes(deps))
    .route('/', invitationRoutes(deps))
    .route('/', appointmentRoutes(deps))
    .route('/', invoiceRoutes(deps))
    .route('/', estimateRoutes(deps))
    .route('/', messageRoutes(deps))
    .route('/', webhookRoutes(deps))
    .route('/', apiKeyRoutes(deps))
    .route('/', staffRoutes(deps))
    .route('/', overviewRoutes(deps));
