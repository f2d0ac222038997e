// `npm run bench:api -- [--duration 10] [--connections 10,100] [--only appointments,summary,login-links,admin-customer]`
//
// autocannon on loopback against the real server (`tsx server/src/index.ts`, NODE_ENV=production,
// its own process) and, in the same run, against bench/baseline-server.ts — raw node:http and raw
// prepared better-sqlite3 statements on a copy of the same database, answering the same bytes for
// the reads: the practical ceiling. autocannon runs in this process; each server in its own.
//
//   GET  /v1/b/:business/appointments?when=upcoming&limit=50   a customer with 50 upcoming appointments
//   GET  /v1/b/:business/summary
//   POST /v1/b/:business/login-links   a new client address (TRUST_PROXY=1, X-Forwarded-For) and a new
//        email on every request, half of them customers', so the per-IP and per-email rate limits never
//        decide the answer: this measures the work of a link request, not the limiter
//   POST /v1/admin/customers           a new customer on every request
//
// Prints req/s, p50/p99 latency, errors and the ratio to the baseline with the targets, and writes
// bench/results/api.json. A benchmark, not a test: it exits 0 when targets are missed (it says so).
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, killAll, startServer, startTsx, waitForHealth } from '../server/test/server-process';
import { machine, table, writeResults } from './lib/report';
import { adminCustomer, appointmentsPath, customerRead, loginLinks, summaryPath, type Counter, type Request } from './lib/scenarios';
import { seed } from './lib/seed';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10,100' },
    only: { type: 'string' },
    // Larger than the customer requests of all the login-link runs together: an email asked for
    // again within a minute is refused by its per-email limit, and the run would measure less work.
    'login-pool': { type: 'string', default: '50000' },
  },
});
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connectionCounts = values.connections.split(',').map(Number);
const loginPool = Number(values['login-pool']);

interface Scenario {
  name: string;
  kind: 'read' | 'login' | 'write';
  title: string;
  /** The autocannon request for one server; `counter` numbers the requests sent to that server. */
  request(counter: Counter): Request;
}

type Target = 'doorstep' | 'baseline';

const dir = mkdtempSync(join(tmpdir(), 'doorstep-bench-'));
process.on('SIGINT', () => void killAll().then(() => process.exit(130)));

try {
  console.log(`Seeding (a customer with 50 upcoming appointments, ${loginPool} login customers)…`);
  const doorstepDb = join(dir, 'doorstep.db');
  const baselineDb = join(dir, 'baseline.db');
  const seeded = await seed(doorstepDb, { loginPool });
  copyFileSync(doorstepDb, baselineDb);
  const bearer = { Authorization: `Bearer ${seeded.sessionToken}` };
  const widget = `/v1/b/${seeded.business}`;

  const all: Scenario[] = [
    { name: 'appointments', kind: 'read', title: `GET ${widget}/appointments?when=upcoming&limit=50`, request: () => customerRead(seeded, appointmentsPath(seeded)) },
    { name: 'summary', kind: 'read', title: `GET ${widget}/summary`, request: () => customerRead(seeded, summaryPath(seeded)) },
    { name: 'login-links', kind: 'login', title: `POST ${widget}/login-links (new IP and email per request)`, request: (counter) => loginLinks(seeded, counter) },
    { name: 'admin-customer', kind: 'write', title: 'POST /v1/admin/customers (a new customer per request)', request: (counter) => adminCustomer(seeded, counter) },
  ];
  const scenarios = all.filter((s) => !values.only || values.only.split(',').includes(s.name));

  console.log('Starting the servers (each in its own process)…');
  const doorstep = await startServer({ dbPath: doorstepDb, port: await freePort(), env: { NODE_ENV: 'production', TRUST_PROXY: '1' }, logFile: join(dir, 'doorstep.log') });
  const baselinePort = await freePort();
  const baselineChild = startTsx('bench/baseline-server.ts', [baselineDb, String(baselinePort)], { logFile: join(dir, 'baseline.log') });
  const baseline = { base: `http://127.0.0.1:${baselinePort}` };
  await waitForHealth(baseline.base, baselineChild, 20_000);
  const bases: Record<Target, string> = { doorstep: doorstep.base, baseline: baseline.base };

  // The reads must be the same bytes, or the comparison means nothing.
  for (const scenario of scenarios.filter((s) => s.kind === 'read')) {
    const { path } = scenario.request({ n: 0 });
    const [a, b] = await Promise.all((['doorstep', 'baseline'] as const).map((t) => fetch(`${bases[t]}${path}`, { headers: bearer }).then(async (r) => ({ status: r.status, body: await r.text() }))));
    if (a!.status !== 200 || a!.status !== b!.status || a!.body !== b!.body) {
      throw new Error(`${scenario.name}: the baseline does not answer the same bytes as Doorstep (${a!.status} ${a!.body.length} B vs ${b!.status} ${b!.body.length} B)\n${a!.body.slice(0, 400)}\n${b!.body.slice(0, 400)}`);
    }
    console.log(`  ${scenario.name}: both answer the same ${Buffer.byteLength(a!.body)} bytes`);
  }

  const counters: Record<string, { n: number }> = {};
  const linkRows = (db: string) => {
    const conn = new Database(db, { readonly: true });
    try {
      return (conn.prepare(`select count(*) as n from link_tokens where kind = 'login'`).get() as { n: number }).n;
    } finally {
      conn.close();
    }
  };

  async function measure(target: Target, scenario: Scenario, connections: number, seconds: number) {
    const counter = (counters[`${target} ${scenario.name}`] ??= { n: 0 });
    const { path, ...request } = scenario.request(counter);
    const result = await autocannon({ url: `${bases[target]}${path}`, connections, duration: seconds, timeout: 10, ...request });
    return {
      requestsPerSecond: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      errors: result.errors + result.timeouts + result.non2xx,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)])),
    };
  }

  const rows: Record<string, unknown>[] = [];
  let turn = 0;
  for (const scenario of scenarios) {
    for (const connections of connectionCounts) {
      // Alternate who goes first so drift on a shared machine does not always favour one side.
      const order: Target[] = turn++ % 2 === 0 ? ['baseline', 'doorstep'] : ['doorstep', 'baseline'];
      const figures: Partial<Record<Target, Awaited<ReturnType<typeof measure>> & { linksIssued?: number; customerRequests?: number }>> = {};
      for (const target of order) {
        process.stdout.write(`  ${scenario.name} × ${connections} connections: ${target}… `);
        if (warmup > 0) await measure(target, scenario, connections, warmup);
        const linksBefore = scenario.kind === 'login' ? linkRows(target === 'doorstep' ? doorstepDb : baselineDb) : 0;
        const sentBefore = counters[`${target} ${scenario.name}`]?.n ?? 0;
        const result = await measure(target, scenario, connections, duration);
        figures[target] =
          scenario.kind === 'login'
            ? {
                ...result,
                linksIssued: linkRows(target === 'doorstep' ? doorstepDb : baselineDb) - linksBefore,
                // Every other request names a customer (the rest are strangers): each should get a link.
                customerRequests: Math.ceil((counters[`${target} ${scenario.name}`]!.n - sentBefore) / 2),
              }
            : result;
        console.log(`${result.requestsPerSecond} req/s, p99 ${result.p99} ms`);
      }
      const d = figures.doorstep!;
      const b = figures.baseline!;
      const ratio = Math.round((d.requestsPerSecond / Math.max(1, b.requestsPerSecond)) * 100) / 100;
      const targets: Record<string, boolean> = { 'zero errors': d.errors === 0 };
      if (scenario.kind === 'read') targets['≥ 80% of baseline'] = ratio >= 0.8;
      if (connections === 10 && scenario.kind !== 'login') targets['p99 ≤ 10 ms'] = d.p99 <= 10;
      if (connections === 10 && scenario.kind === 'login') targets['p99 ≤ 20 ms'] = d.p99 <= 20;
      rows.push({ scenario: scenario.name, title: scenario.title, connections, doorstep: d, baseline: b, ratio, targets });
    }
  }
  const requestsSent = Object.fromEntries(Object.entries(counters).map(([k, v]) => [k, v.n]));

  console.log(`\nAPI benchmark: ${duration} s per run after ${warmup} s of warm-up; ${machine().cpus} cores (${machine().model}), load average ${machine().loadAverage.join(' ')}`);
  console.log('Shared, noisy machine: autocannon, both servers and any other load share the same 2 cores.\n');
  console.log(
    table(
      ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'baseline req/s', 'p50', 'p99', 'ratio', 'targets'],
      rows.map((r: any) => [
        r.scenario,
        r.connections,
        r.doorstep.requestsPerSecond,
        r.doorstep.p50,
        r.doorstep.p99,
        r.doorstep.errors,
        r.baseline.requestsPerSecond,
        r.baseline.p50,
        r.baseline.p99,
        r.ratio,
        Object.entries(r.targets as Record<string, boolean>)
          .map(([name, ok]) => `${ok ? 'met' : 'MISSED'}: ${name}`)
          .join('; '),
      ]),
    ),
  );
  const login = rows.filter((r: any) => r.scenario === 'login-links') as any[];
  if (login.length) {
    console.log(`\nlogin-links: links issued (Doorstep / baseline): ${login.map((r) => `${r.connections} conns ${r.doorstep.linksIssued} / ${r.baseline.linksIssued}`).join(', ')}; the Doorstep outbox worker sends those emails (dev mailbox) while the benchmark runs, the baseline has no worker.`);
    const short = login.flatMap((r) => (['doorstep', 'baseline'] as const).filter((t) => r[t].linksIssued < 0.9 * r[t].customerRequests).map((t) => `${t} × ${r.connections}: ${r[t].linksIssued} links for ${r[t].customerRequests} customer requests`));
    if (short.length) console.log(`Warning: fewer links than customer requests (${short.join('; ')}): emails came round again within a minute and their limit refused them; raise --login-pool.`);
  }
  const missed = rows.flatMap((r: any) => Object.entries(r.targets as Record<string, boolean>).filter(([, ok]) => !ok).map(([name]) => `${r.scenario} × ${r.connections}: ${name}`));
  console.log(missed.length ? `\nTargets missed: ${missed.join('; ')}` : '\nAll targets met.');
  const file = writeResults('api', { durationSeconds: duration, warmupSeconds: warmup, loginPool, requestsSent, scenarios: rows, missed });
  console.log(`Results: ${file}`);
} finally {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
}
