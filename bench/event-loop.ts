// `npm run bench:event-loop -- [--customers 5000]`
//
// How long the server's event loop stalls while a bulk invitation of 5,000 customers runs (target:
// p99 ≤ 100 ms). The real server (`tsx server/src/index.ts`, NODE_ENV=production, its own process)
// measures itself with perf_hooks.monitorEventLoopDelay (server/test/preload.mjs, reset and read
// through SIGUSR2), and this process probes GET /health every 20 ms to see what a customer would:
//
//   idle          2 s with nothing to do
//   bulk invite   from the first POST /v1/admin/invitations/bulk until every invitation is recorded
//                 (one request with all ids if the API takes it, else the largest requests it takes;
//                 a 202 job is polled until it finishes)
//   outbox        until the outbox worker has delivered all 5,000 invitation emails (dev mailbox)
//   synchronous   for comparison, no target: 2,500 customers with `background: false`, invited
//                 within the request — left out when the API runs it in the background anyway
//
// Prints the figures and writes bench/results/event-loop.json. A benchmark, not a test.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../server/src/lib/clock';
import { createBusiness } from '../server/src/services/businesses';
import { saveCustomer } from '../server/src/services/customers';
import type { Deps } from '../server/src/services/deps';
import { SqliteStore } from '../server/src/store/sqlite';
import { freePort, killAll, startServer } from '../server/test/server-process';
import { machine, table, writeResults } from './lib/report';

const { values } = parseArgs({ options: { customers: { type: 'string', default: '5000' }, 'outbox-wait': { type: 'string', default: '180' } } });
const customerCount = Number(values.customers);
const TARGET_P99_MS = 100;
const BUSINESS = 'bulk-plumbing';

const dir = mkdtempSync(join(tmpdir(), 'doorstep-bench-eld-'));
process.on('SIGINT', () => void killAll().then(() => process.exit(130)));

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);
const round = (n: number) => Math.round(n * 10) / 10;

try {
  console.log(`Seeding ${customerCount} customers with an email each…`);
  const dbPath = join(dir, 'doorstep.db');
  const store = SqliteStore.open(dbPath);
  store.db.$client.pragma('synchronous = OFF'); // seeding only
  const deps: Deps = { store, clock: systemClock, publicUrl: 'http://127.0.0.1', paymentsConfigured: false };
  const { apiKey } = await createBusiness(deps, { id: BUSINESS, name: 'Bulk Plumbing', portalUrl: 'https://bulk.test/portal', ownerEmail: 'owner@bulk.test' });
  const ids: string[] = [];
  for (let i = 0; i < customerCount; i++) {
    ids.push((await saveCustomer(deps, BUSINESS, { name: `Customer ${i}`, email: `customer-${i}@bulk-customers.test` })).value.id);
  }
  store.db.$client.pragma('wal_checkpoint(TRUNCATE)');
  store.close();

  const eldFile = join(dir, 'eld.json');
  const server = await startServer({ dbPath, port: await freePort(), env: { NODE_ENV: 'production', DOORSTEP_BENCH_ELD_FILE: eldFile }, logFile: join(dir, 'doorstep.log') });
  const serverPid = Number(readFileSync(`${eldFile}.pid`, 'utf8'));
  const admin = { Authorization: `Bearer ${apiKey.key}`, 'Content-Type': 'application/json' };

  /** The server's event-loop delay since the last call (it resets on each). */
  async function serverDelay() {
    const before = (() => {
      try {
        return readFileSync(eldFile, 'utf8');
      } catch {
        return '';
      }
    })();
    process.kill(serverPid, 'SIGUSR2');
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      try {
        const text = readFileSync(eldFile, 'utf8');
        if (text && text !== before) return JSON.parse(text) as { count: number; mean: number; p50: number; p99: number; max: number };
      } catch {
        // not written yet
      }
    }
    throw new Error('the server did not report its event-loop delay (is server/test/preload.mjs loaded?)');
  }

  /** Probes /health every 20 ms from this process until stopped; latencies in ms. */
  function probe() {
    const latencies: number[] = [];
    let running = true;
    const done = (async () => {
      while (running) {
        const started = performance.now();
        const res = await fetch(`${server.base}/health`).catch(() => undefined);
        await res?.body?.cancel();
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    return async () => {
      running = false;
      await done;
      const sorted = [...latencies].sort((a, b) => a - b);
      return { count: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0) };
    };
  }

  const db = new Database(dbPath, { readonly: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

  async function phase<T>(name: string, run: () => Promise<T>) {
    await serverDelay(); // reset
    const stopProbe = probe();
    const started = performance.now();
    const detail = await run();
    const ms = Math.round(performance.now() - started);
    const eventLoop = await serverDelay();
    const health = await stopProbe();
    console.log(`  ${name}: ${ms} ms, event-loop delay p99 ${eventLoop.p99} ms (max ${eventLoop.max}), /health p99 ${health.p99} ms (max ${health.max})`);
    return { phase: name, ms, eventLoopDelay: eventLoop, healthProbe: health, detail };
  }

  console.log('Measuring…');
  const phases = [];
  phases.push(await phase('idle', () => new Promise((r) => setTimeout(() => r({}), 2000))));

  phases.push(
    await phase(`bulk invite ${customerCount}`, async () => {
      const requests: { customers: number; status: number; ms: number; job?: string }[] = [];
      const jobs: string[] = [];
      // All at once if the API takes it; otherwise the largest requests it takes.
      let size = ids.length;
      for (let from = 0; from < ids.length; ) {
        const chunk = ids.slice(from, from + size);
        const started = performance.now();
        const res = await fetch(`${server.base}/v1/admin/invitations/bulk`, { method: 'POST', headers: admin, body: JSON.stringify({ customerIds: chunk }) });
        const body = (await res.json()) as any;
        const ms = Math.round(performance.now() - started);
        if ((res.status === 413 || res.status === 400) && size > 1) {
          requests.push({ customers: chunk.length, status: res.status, ms });
          const max = /at most (\d+)/.exec(body?.error?.message ?? '');
          size = res.status === 400 && max ? Math.min(Number(max[1]), Math.ceil(size / 2)) : Math.ceil(size / 2);
          continue;
        }
        if (res.status >= 300) throw new Error(`bulk invitation: HTTP ${res.status} ${JSON.stringify(body)}`);
        requests.push({ customers: chunk.length, status: res.status, ms, ...(body.jobId ? { job: body.jobId } : {}) });
        if (body.jobId) jobs.push(body.jobId);
        from += chunk.length;
      }
      const deadline = Date.now() + 300_000;
      for (const job of jobs) {
        for (;;) {
          const res = await fetch(`${server.base}/v1/admin/invitations/bulk/${job}`, { headers: admin });
          const body = (await res.json()) as any;
          if (body.finishedAt || ['done', 'completed', 'finished', 'failed'].includes(body.status)) break;
          if (Date.now() > deadline) throw new Error(`bulk job ${job} did not finish within 300 s: ${JSON.stringify(body)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const invitations = count(`select count(*) as n from invitations`);
      return { requests, jobs: jobs.length, invitations };
    }),
  );

  const outboxWaitMs = Number(values['outbox-wait']) * 1000;
  phases.push(
    await phase('outbox sends the emails', async () => {
      const deadline = Date.now() + outboxWaitMs;
      while (count(`select count(*) as n from email_outbox where status = 'pending'`) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      return { pendingLeft: count(`select count(*) as n from email_outbox where status = 'pending'`), sent: count(`select count(*) as n from email_outbox where status = 'sent'`) };
    }),
  );
  // For comparison: the same work inside one request, if the API still offers it.
  const syncIds = ids.slice(0, Math.min(ids.length, 2500));
  const sync = await phase(`bulk invite ${syncIds.length}, background: false`, async () => {
    const started = performance.now();
    const res = await fetch(`${server.base}/v1/admin/invitations/bulk`, { method: 'POST', headers: admin, body: JSON.stringify({ customerIds: syncIds, background: false }) });
    const body = (await res.json()) as any;
    return { status: res.status, ms: Math.round(performance.now() - started), invited: Array.isArray(body.invited) ? body.invited.length : undefined, error: body.error?.code };
  });
  const syncDetail = sync.detail as { status: number; invited?: number };
  if (syncDetail.status === 201 && syncDetail.invited !== undefined) phases.push(sync);
  else console.log(`  (not synchronous: the API answered ${syncDetail.status} to background: false for ${syncIds.length} customers, so that phase is left out)`);
  db.close();
  await server.kill('SIGTERM');

  const bulk = phases[1]!;
  const m = machine();
  console.log(`\nEvent-loop delay benchmark: ${customerCount} customers; ${m.cpus} cores (${m.model}), load average ${m.loadAverage.join(' ')}; shared, noisy machine.\n`);
  console.log(
    table(
      ['phase', 'ms', 'loop p50', 'loop p99', 'loop max', '/health p50', '/health p99', '/health max'],
      phases.map((p) => [p.phase, p.ms, p.eventLoopDelay.p50, p.eventLoopDelay.p99, p.eventLoopDelay.max, p.healthProbe.p50, p.healthProbe.p99, p.healthProbe.max]),
    ),
  );
  console.log(`\nbulk invite: ${JSON.stringify(bulk.detail)}`);
  const met = bulk.eventLoopDelay.p99 <= TARGET_P99_MS;
  console.log(`Target: event-loop delay p99 ≤ ${TARGET_P99_MS} ms while the bulk invite runs — ${met ? 'met' : 'MISSED'} (${bulk.eventLoopDelay.p99} ms; max ${bulk.eventLoopDelay.max} ms).`);
  const file = writeResults('event-loop', { customers: customerCount, targetP99Ms: TARGET_P99_MS, met, phases });
  console.log(`Results: ${file}`);
} finally {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
}
