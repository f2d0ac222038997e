// The admin console (SPEC §4.7): its page at /admin, its script at /admin.js (dist/admin.js, built
// by rollup), and staff sign-in under /admin/api. The page runs no inline script or style.
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../lib/errors';
import type { Deps } from '../../services/deps';
import { staffAuthRoutes } from './auth';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' https: data:",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Doorstep admin console</title>
<script type="module" src="/admin.js"></script>
</head>
<body>
<doorstep-admin></doorstep-admin>
<noscript>The admin console needs JavaScript. <span lang="es">La consola de administración necesita JavaScript.</span></noscript>
</body>
</html>
`;

export const consoleRoutes = (deps: Deps, distDir: string) =>
  new Hono()
    .get('/admin', (c) => {
      c.header('Content-Security-Policy', CONSOLE_CSP);
      c.header('Cache-Control', 'no-store');
      return c.html(PAGE, 200);
    })
    .get('/admin.js', async (c) => {
      const code = await readFile(join(distDir, 'admin.js'), 'utf8').catch(() => {
        throw new AppError(503, 'console_not_built', 'The admin console bundle is missing: run `npm run build`.');
      });
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Cache-Control', 'no-cache');
      return c.body(code, 200);
    })
    .route('/admin/api', staffAuthRoutes(deps));
