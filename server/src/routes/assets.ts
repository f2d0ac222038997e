// The widget bundles, served to any website that embeds them (public, cacheable, CORS-open):
// portal.js, and portal-app.js, the ES module <customer-portal> imports from beside portal.js
// (a module fetched cross-origin needs the CORS header; a classic script does not, but has it too).
import { Hono, type Context } from 'hono';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../lib/errors';

export const assetRoutes = (distDir: string) => {
  const serve = (file: string) => async (c: Context) => {
    const code = await readFile(join(distDir, file), 'utf8').catch(() => {
      throw new AppError(503, 'widget_not_built', 'The widget bundle is missing: run `npm run build`.');
    });
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(code, 200);
  };
  return new Hono().get('/portal.js', serve('portal.js')).get('/portal-app.js', serve('portal-app.js'));
};
