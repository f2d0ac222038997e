// The widget API (`/v1/b/:business/...`): what the embedded portal calls from the business's site.
import { Hono } from 'hono';
import type { Deps } from '../../services/deps';
import { authRoutes } from './auth';
import { paymentRoutes } from './payments';
import { portalRoutes } from './portal';
import { businessScope, type PublicEnv } from './scope';

export const publicRoutes = (deps: Deps) =>
  new Hono<PublicEnv>().use('*', businessScope(deps)).route('/', authRoutes(deps)).route('/', portalRoutes(deps)).route('/', paymentRoutes(deps));
