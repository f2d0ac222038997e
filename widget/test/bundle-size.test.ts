// Budget for dist/portal.js, the script every page that embeds Doorstep loads (run `npm run build` first).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const BUDGET_BYTES = 10 * 1024;
const bundle = readFileSync(new URL('../../dist/portal.js', import.meta.url));

describe('dist/portal.js', () => {
  it(`is at most ${BUDGET_BYTES} bytes gzipped`, () => {
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    expect(
      gzipped,
      `dist/portal.js is ${gzipped} bytes gzipped (${bundle.length} raw), over the ${BUDGET_BYTES}-byte budget`,
    ).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('evaluates no strings as code, so pages with a strict CSP can embed it', () => {
    const text = bundle.toString('utf8');
    expect(text, 'dist/portal.js calls eval(').not.toContain('eval(');
    expect(text, 'dist/portal.js uses new Function').not.toContain('new Function');
  });
});
