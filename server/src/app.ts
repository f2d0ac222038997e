// createApp(deps): the whole HTTP surface, with no I/O of its own so tests call app.request().
import { Hono } from 'hono';
import { fileURLToPath } from 'node:url';
import { afterCommit, handleError, handleNotFound, jsonBodies, limitBody, securityHeaders } from './lib/http';
import { adminRoutes } from './routes/admin';
import { consoleRoutes } from './routes/console';
import { assetRoutes } from './routes/assets';
import { publicRoutes } from './routes/b';
import { devMailRoutes } from './routes/dev-mail';
import { pageRoutes } from './routes/pages';
import { stripeWebhookRoutes } from './routes/stripe-webhook';
import type { Deps } from './services/deps';

export interface AppOptions {
  /** Where the built widget (portal.js) is read from. */
  distDir: string;
  /** Serve the development mailbox at /dev/mail (development without a mail provider only). */
  devMail?: boolean;
}

export const defaultDistDir = fileURLToPath(new URL('../../dist', import.meta.url));

export function createApp(deps: Deps, options: AppOptions = { distDir: defaultDistDir }) {
  const app = new Hono()
    .use('*', afterCommit(deps.store), securityHeaders)
    // Only requests that may carry a body go through the body checks.
    .on(['POST', 'PUT', 'PATCH', 'DELETE'], '/v1/*', limitBody, jsonBodies)
    .get('/health', (c) => c.json({ status: 'ok' }, 200))
    .route('/', assetRoutes(options.distDir))
    .route('/', pageRoutes(deps))
    .route('/v1/admin', adminRoutes(deps))
    .route('/', consoleRoutes(deps, options.distDir))
    .route('/v1/b/:business', publicRoutes(deps))
    // Inside /v1/*: the 100 KB limit applies and Stripe's JSON passes jsonBodies; the handler reads the raw body.
    .route('/v1/webhooks', stripeWebhookRoutes(deps));
  if (options.devMail) app.route('/', devMailRoutes(deps.store));
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

export type App = ReturnType<typeof createApp>;
export type AppType = App;
