// The demo business's website, served on a different origin from the API so that embedding the
// portal is as cross-origin as on a real business's site.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./site/', import.meta.url));
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const pages: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/portal.html': 'portal.html',
  '/strict.html': 'strict.html',
  '/site.css': 'site.css',
  '/logo.svg': 'logo.svg',
};

export interface DemoSite {
  origin: string;
  close(): Promise<void>;
}

/** Serves demo/site on 127.0.0.1:`port`, with `{{API}}` in pages replaced by the Doorstep server's URL. */
export function startDemoSite(port: number, apiUrl: string): Promise<DemoSite> {
  const apiOrigin = new URL(apiUrl).origin;
  // A host page with a strict policy of its own: the portal needs only its script's origin.
  const csp = [`default-src 'self'`, `script-src ${apiOrigin}`, `connect-src ${apiOrigin}`, `img-src 'self' ${apiOrigin} data:`, `style-src 'self'`, `frame-ancestors 'none'`].join('; ');
  // /strict.html: the strictest policy a host may set (SECURITY E2): no styles of its own at all,
  // and Trusted Types allowing only Lit's policy.
  const strictCsp = [
    `default-src 'none'`,
    `script-src ${apiOrigin}`,
    `connect-src ${apiOrigin}`,
    `img-src 'self' data:`,
    `style-src 'none'`,
    `require-trusted-types-for 'script'`,
    `trusted-types lit-html`,
    `frame-ancestors 'none'`,
  ].join('; ');
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const file = pages[path];
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    let body = await readFile(join(root, file), 'utf8');
    if (file.endsWith('.html')) body = body.replaceAll('{{API}}', apiUrl);
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': file === 'strict.html' ? strictCsp : csp, 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}
