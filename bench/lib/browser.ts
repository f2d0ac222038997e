// What the browser benchmarks share: Debian's Chromium driven by playwright-core with a fresh
// profile and no network chatter, CPU throttling through the DevTools protocol, a small page server
// on loopback, and the statistics they print.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROME_PATH'] || '/usr/bin/chromium';

/** Quiet on a closed network; `headless: true` adds --headless. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

/** Chromium with a user-data-dir of its own, removed on close. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'doorstep-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const version = context.browser()?.version() ?? (await versionOf(context));
  return {
    context,
    version,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function versionOf(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    const { product } = (await cdp.send('Browser.getVersion')) as { product: string };
    return product;
  } finally {
    await page.close();
  }
}

/** A new page whose CPU runs `rate` times slower (DevTools `Emulation.setCPUThrottlingRate`). */
export async function throttledPage(browser: Browser, rate: number): Promise<Page> {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return page;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/** A static page server on 127.0.0.1; `routes` maps a path to its content type and body. */
export async function servePages(routes: Record<string, { type: string; body: string | Buffer } | Handler>): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    const route = routes[url.pathname];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') return route(req, res, url);
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(route.body) }).end(route.body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export interface Stats {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Median and p90 (nearest rank) of some samples, to 0.1. */
export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  const mid = sorted.length % 2 ? rank(50) : ((sorted[sorted.length / 2 - 1] ?? 0) + (sorted[sorted.length / 2] ?? 0)) / 2;
  return { n: sorted.length, median: round(mid), p90: round(rank(90)), min: round(sorted[0] ?? 0), max: round(sorted.at(-1) ?? 0) };
}

/**
 * The built widget files in `dist`, or an exit with what to run. Warns when a widget source is
 * newer than the build: the figures would be those of older code.
 */
export function builtWidget(dist: string, files: string[]): void {
  for (const file of files) {
    if (!existsSync(resolve(dist, file))) {
      console.error(`${resolve(dist, file)} is missing: run \`npm run build\` first.`);
      process.exit(1);
    }
  }
  const built = Math.min(...files.map((file) => statSync(resolve(dist, file)).mtimeMs));
  const sources = resolve(import.meta.dirname, '../../widget/src');
  const newer = (readdirSync(sources, { recursive: true }) as string[]).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && statSync(resolve(sources, file)).mtimeMs > built,
  );
  if (newer.length) console.warn(`Warning: ${newer.length} widget source file(s) changed since ${dist} was built (${newer.slice(0, 3).join(', ')}…): run \`npm run build\` to measure them.`);
}
