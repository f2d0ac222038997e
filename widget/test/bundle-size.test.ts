// Budgets for the widget bundles (run `npm run build` first): dist/portal.js is on every page of a
// business's site; the chunks it loads (portal-app.js, and any portal-*.js later) come only with
// <customer-portal>.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const KB = 1024;
const dist = new URL('../../dist/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, dist));
const gzipped = (file: string) => gzipSync(read(file), { level: 9 }).length;

/** portal.js and every chunk of the widget (not the admin console's bundle). */
const widgetFiles = readdirSync(dist).filter((file) => /^portal(-[\w-]+)?\.js$/.test(file));

describe('widget bundles', () => {
  it('are built: portal.js and its portal-app.js chunk', () => {
    expect(widgetFiles).toContain('portal.js');
    expect(widgetFiles).toContain('portal-app.js');
  });

  it('portal.js is at most 10 KB gzipped', () => {
    const size = gzipped('portal.js');
    expect(size, `dist/portal.js is ${size} bytes gzipped (${read('portal.js').length} raw), over 10 KB`).toBeLessThanOrEqual(10 * KB);
  });

  it('portal.js and every chunk together are at most 40 KB gzipped', () => {
    const sizes = Object.fromEntries(widgetFiles.map((file) => [file, gzipped(file)]));
    const total = Object.values(sizes).reduce((sum, size) => sum + size, 0);
    expect(total, `together ${total} bytes gzipped: ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(40 * KB);
  });

  it('evaluate no strings as code, so pages with a strict CSP can embed them', () => {
    for (const file of widgetFiles) {
      const text = read(file).toString('utf8');
      expect(text, `${file} calls eval(`).not.toContain('eval(');
      expect(text, `${file} uses new Function`).not.toContain('new Function');
    }
  });

  it('hold one lit-html between them: a page allowing only the "lit-html" Trusted Types policy gets one', () => {
    const policies = widgetFiles.map((file) => read(file).toString('utf8').split('createPolicy(').length - 1);
    expect(policies.reduce((a, b) => a + b, 0), JSON.stringify(Object.fromEntries(widgetFiles.map((f, i) => [f, policies[i]])))).toBe(1);
    expect(read('portal.js').toString('utf8')).toContain('createPolicy("lit-html"');
  });

  it('are ASCII, so a page in another encoding reads them right', () => {
    for (const file of widgetFiles) expect(/[^\x00-\x7f]/.test(read(file).toString('utf8')), `${file} has non-ASCII characters`).toBe(false);
  });

  it('portal.js is a classic script that loads its chunk with import() from beside itself', () => {
    const text = read('portal.js').toString('utf8');
    expect(text.startsWith('!function(){') || text.startsWith('(function(){'), 'not an IIFE').toBe(true);
    expect(text).not.toMatch(/^\s*(import|export)\s/m);
    expect(text).toContain('portal-app.js?v=');
    expect(text).toMatch(/import\(/);
  });
});
