// The hosted portal page (SPEC §2): businesses without a website send customers to
// /p/:business, a minimal branded page carrying <customer-portal>.
import { Hono } from 'hono';
import { escapeHtml } from '../mail/layout';
import type { Deps } from '../services/deps';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' https: data:",
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>
  html { background: #f4f4f5; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #18181b; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px 16px 48px; }
  customer-portal { display: block; }
  h1 { font-size: 1.5rem; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export const pageRoutes = (deps: Deps) =>
  new Hono().get('/p/:business', async (c) => {
    c.header('Content-Security-Policy', CSP);
    const business = await deps.store.getBusiness(c.req.param('business'));
    if (!business) {
      return c.html(page('en', 'Portal not found', '<h1>Portal not found</h1><p>No business uses this address. Check the link you were given.</p>'), 404);
    }
    const body = `<script src="/portal.js" async></script>
<customer-portal business="${escapeHtml(business.id)}" lang="${business.language}"></customer-portal>`;
    return c.html(page(business.language, `${business.name} — Customer portal`, body), 200);
  });
