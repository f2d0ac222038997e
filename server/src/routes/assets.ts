// The widget bundle, served to any website that embeds it (public, cacheable, CORS-open).
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../lib/errors';

export const assetRoutes = (distDir: string) =>
  new Hono().get('/portal.js', async (c) => {
    const code = await readFile(join(distDir, 'portal.js'), 'utf8').catch(() => {
      throw new AppError(503, 'widget_not_built', 'The widget bundle is missing: run `npm run build`.');
    });
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(code, 200);
  });
