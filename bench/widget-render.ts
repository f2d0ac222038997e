// `npm run bench:widget -- [--runs 7] [--again 5] [--throttle 4] [--counts 50,500] [--dist dist]`
//
// How long the appointments view takes to render in Chromium with the CPU throttled 4× (DevTools
// `Emulation.setCPUThrottlingRate`), against a plain-DOM rendering of the same list. The page loads
// the built widget (dist/portal.js and dist/portal-app.js, from `npm run build`) and
// bench/pages/render-harness.js, which renders either
//
//   view   <portal-appointments> itself, given its API client, session, business and shell through
//          the contexts <portal-app> provides; its client answers the stubbed API response this
//          bench's page server serves (fetched before timing: the figure has no network in it), or
//   plain  the same markup, styles and Intl formatting built with document.createElement in one go,
//
// and times it from creating the element until every row is in the DOM and laid out. Before
// measuring, the bench checks that both produce the same elements, attributes and text.
//
// Each run is a fresh page: its first render is the cold figure (templates, styles and code met for
// the first time, as when a customer opens the portal); then `--again` renders on fresh elements in
// the same page are the warm figure (as when they come back to the view). Targets (issue 9): the
// view within 1.5× the plain-DOM time, and ≤ 16 ms for 50 rows, at 4× throttling.
//
// Prints median and p90 and writes bench/results/widget-render.json. A benchmark, not a test.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { presentCustomerAppointment } from '../server/src/services/present';
import type { Appointment } from '../server/src/store/types';
import { builtWidget, launchChromium, servePages, stats, throttledPage, type Stats } from './lib/browser';
import { machine, table, writeResults } from './lib/report';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    again: { type: 'string', default: '5' },
    throttle: { type: 'string', default: '4' },
    counts: { type: 'string', default: '50,500' },
    dist: { type: 'string', default: 'dist' },
  },
});
const runs = Number(values.runs);
const again = Number(values.again);
const throttle = Number(values.throttle);
const counts = values.counts.split(',').map(Number);
const dist = resolve(values.dist);
const TARGET_RATIO = 1.5;
const TARGET_MS_50 = 16;
type Variant = 'view' | 'plain';

builtWidget(dist, ['portal.js', 'portal-app.js']);

const DAY = 86_400_000;
const HOUR = 3_600_000;
const KINDS = ['Water heater install', 'Drain cleaning', 'Annual furnace tune-up', 'Leak repair', 'Sump pump replacement'];

/** `count` upcoming appointments as GET …/appointments presents them: windows, ends, addresses and crews vary. */
function appointments(count: number): ReturnType<typeof presentCustomerAppointment>[] {
  const first = Date.UTC(2027, 2, 1, 14);
  return Array.from({ length: count }, (_, i): Appointment => {
    const startsAt = first + i * DAY + (i % 5) * HOUR;
    return {
      id: `apt_${String(i).padStart(16, '0')}`,
      businessId: 'bench-plumbing',
      customerId: 'cus_bench',
      externalId: `job-${i + 1}`,
      startsAt,
      endsAt: i % 3 === 0 ? null : startsAt + 2 * HOUR,
      arrivalWindowMinutes: i % 3 === 0 ? 120 : null,
      description: `${KINDS[i % KINDS.length]} #${i + 1}`,
      address: i % 4 === 3 ? null : `${10 + (i % 90)} Elm St, Springfield, IL 62701`,
      technicians: i % 7 === 6 ? [] : i % 2 ? ['Sam Ortiz'] : ['Sam Ortiz', 'Lee Chan'],
      status: i % 10 === 5 ? 'in_progress' : 'scheduled',
      createdAt: first - 30 * DAY,
      updatedAt: first - 30 * DAY,
    };
  }).map(presentCustomerAppointment);
}

const page = (count: number) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Appointments (${count})</title></head>
<body>
<div id="host" style="max-width: 48rem; margin: 0 auto"></div>
<script src="/portal.js"></script>
<script type="module" src="/portal-app.js"></script>
<script type="module" src="/render-harness.js"></script>
</body>
</html>`;

const server = await servePages({
  '/portal.js': { type: 'text/javascript', body: readFileSync(resolve(dist, 'portal.js')) },
  '/portal-app.js': { type: 'text/javascript', body: readFileSync(resolve(dist, 'portal-app.js')) },
  '/render-harness.js': { type: 'text/javascript', body: readFileSync(resolve(import.meta.dirname, 'pages/render-harness.js')) },
  '/favicon.ico': { type: 'image/x-icon', body: '' },
  '/': (_req, res, url) => {
    const body = page(Number(url.searchParams.get('count')));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  },
  // The stubbed widget API: one page holding every appointment.
  '/v1/b/bench-plumbing/appointments': (_req, res, url) => {
    const body = JSON.stringify({ data: appointments(Number(url.searchParams.get('count'))), nextCursor: null });
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
  },
});
const browser = await launchChromium();

interface Bench {
  run(variant: Variant, count: number, again: number): Promise<number[]>;
  describe(variant: Variant, count: number): Promise<string>;
}

async function inPage<T>(count: number, fn: (bench: Bench) => Promise<T>): Promise<T> {
  const tab = await throttledPage(browser, throttle);
  const errors: string[] = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  try {
    await tab.goto(`${server.base}/?count=${count}`);
    await tab.waitForFunction(() => 'bench' in window);
    const result = await fn({
      run: (variant, n, k) => tab.evaluate(([v, c, a]) => (window as unknown as { bench: Bench }).bench.run(v, c, a), [variant, n, k] as const),
      describe: (variant, n) => tab.evaluate(([v, c]) => (window as unknown as { bench: Bench }).bench.describe(v, c), [variant, n] as const),
    });
    if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
    return result;
  } finally {
    await tab.close();
  }
}

try {
  const built = statSync(resolve(dist, 'portal-app.js')).mtime.toISOString();
  console.log(`Chromium ${browser.version}, CPU throttled ${throttle}×; widget from ${dist} (portal-app.js built ${built})`);

  // Both must draw the same thing, or the comparison means nothing.
  for (const count of counts) {
    const [view, plain] = await inPage(count, async (bench) => [await bench.describe('view', count), await bench.describe('plain', count)]);
    if (view !== plain) {
      let at = 0;
      while (view[at] === plain[at]) at++;
      throw new Error(`${count} rows: the plain-DOM rendering differs from the view at character ${at}:\n  view:  …${view.slice(Math.max(0, at - 120), at + 120)}\n  plain: …${plain.slice(Math.max(0, at - 120), at + 120)}`);
    }
    console.log(`  ${count} rows: both render the same ${count} rows (${view.length} characters of markup and text)`);
  }

  const samples: Record<string, { first: number[]; again: number[] }> = {};
  for (let run = 0; run < runs; run++) {
    for (const count of counts) {
      // Alternate who goes first so drift on a shared machine does not always favour one side.
      const order: Variant[] = (run + count) % 2 === 0 ? ['view', 'plain'] : ['plain', 'view'];
      for (const variant of order) {
        const [first, ...rest] = await inPage(count, (bench) => bench.run(variant, count, again));
        const s = (samples[`${variant} ${count}`] ??= { first: [], again: [] });
        s.first.push(first!);
        s.again.push(...rest);
      }
    }
    process.stdout.write(`  run ${run + 1}/${runs} done\r`);
  }
  console.log();

  const rows = counts.flatMap((count) =>
    (['first', 'again'] as const).map((when) => {
      const view = stats(samples[`view ${count}`]![when]);
      const plain = stats(samples[`plain ${count}`]![when]);
      const ratio = Math.round((view.median / Math.max(0.1, plain.median)) * 100) / 100;
      const targets: Record<string, boolean> = { [`≤ ${TARGET_RATIO}× plain DOM`]: ratio <= TARGET_RATIO };
      if (count === 50) targets[`≤ ${TARGET_MS_50} ms`] = view.median <= TARGET_MS_50;
      return { rows: count, render: when === 'first' ? 'first in a fresh page' : 're-render in the same page', view, plain, ratio, targets };
    }),
  );

  const m = machine();
  console.log(`\nWidget render: <portal-appointments> vs plain DOM, ms until the rows are in the DOM and laid out; CPU throttled ${throttle}×`);
  console.log(`${runs} fresh pages per figure (+ ${again} re-renders each); Chromium ${browser.version}; ${m.cpus} cores (${m.model}), load average ${m.loadAverage.join(' ')}`);
  console.log('Shared, noisy machine: read the ratio, measured in the same run, rather than the raw times.\n');
  const fmt = (s: Stats) => `${s.median} / ${s.p90}`;
  console.log(
    table(
      ['rows', 'render', 'view median / p90', 'plain DOM median / p90', 'ratio', 'targets'],
      rows.map((r) => [
        r.rows,
        r.render,
        fmt(r.view),
        fmt(r.plain),
        r.ratio,
        Object.entries(r.targets)
          .map(([name, ok]) => `${ok ? 'met' : 'MISSED'}: ${name}`)
          .join('; '),
      ]),
    ),
  );
  const missed = rows.flatMap((r) => Object.entries(r.targets).filter(([, ok]) => !ok).map(([name]) => `${r.rows} rows, ${r.render}: ${name}`));
  console.log(missed.length ? `\nTargets missed: ${missed.join('; ')}` : '\nAll targets met.');
  const file = writeResults('widget-render', { chromium: browser.version, cpuThrottling: throttle, runs, rerendersPerRun: again, widgetBuiltAt: built, figures: rows, samples, missed });
  console.log(`Results: ${file}`);
} finally {
  await browser.close();
  await server.close();
}
