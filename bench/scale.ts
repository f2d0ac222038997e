// `npm run bench:scale -- [--duration 8] [--connections 20] [--login-pool 2000]`
//
// One machine, one run, three setups of the real server (`tsx server/src/index.ts`,
// NODE_ENV=production), each seeded with the same data through Doorstep's own services:
//
//   sqlite × 1     the embedded default: one process on a SQLite file
//   postgres × 1   one process on PostgreSQL
//   postgres × 2   two processes on the same PostgreSQL, the load split evenly between them, as a
//                  round-robin load balancer would (two autocannon instances, half the connections each)
//
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL when set (a database is created on that
// server and dropped afterwards), otherwise a throwaway server started with scripts/postgres.sh.
// On a 2-core machine the client, the API processes and PostgreSQL all share the same cores, so the
// figures say more about the cost per request of each setup than about the capacity a second
// process adds on a machine of its own. Writes bench/results/scale.json.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, killAll, repoRoot, startServer, type RunningServer } from '../server/test/server-process';
import { adminQuery, databaseUrl } from '../server/test/database';
import { PgStore } from '../server/src/store/pg';
import { machine, table, writeResults } from './lib/report';
import { adminCustomer, appointmentsPath, customerRead, loginLinks, type Counter, type Request } from './lib/scenarios';
import { seed, seedStore, type Seeded } from './lib/seed';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '20' },
    'login-pool': { type: 'string', default: '2000' },
  },
});
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const loginPool = Number(values['login-pool']);

const dir = mkdtempSync(join(tmpdir(), 'doorstep-bench-scale-'));
const postgresScript = join(repoRoot, 'scripts/postgres.sh');
let ownPostgres: string | undefined;
let benchDb: { serverUrl: string; name: string } | undefined;
process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));

async function cleanUp(): Promise<void> {
  await killAll();
  if (benchDb) await adminQuery(benchDb.serverUrl, `drop database if exists ${benchDb.name} with (force)`).catch(() => {});
  if (ownPostgres) execFileSync(postgresScript, ['stop', ownPostgres], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

interface Scenario {
  name: string;
  title: string;
  /** The autocannon options for one client; `counter` numbers the requests across all clients. */
  options(seeded: Seeded, counter: Counter, setup: string): Request;
}

const scenarios: Scenario[] = [
  { name: 'appointments', title: 'GET …/appointments?when=upcoming&limit=50', options: (s) => customerRead(s, appointmentsPath(s)) },
  { name: 'login-links', title: 'POST …/login-links (new IP and email per request)', options: loginLinks },
  { name: 'admin-customer', title: 'POST /v1/admin/customers (a new customer per request)', options: (s, counter, setup) => adminCustomer(s, counter, `scale-${setup}`) },
];

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Runs the scenario against every server at once, `connections` split evenly; req/s summed, the worst p50/p99 kept. */
async function measure(servers: RunningServer[], scenario: Scenario, seeded: Seeded, seconds: number, counter: Counter, setup: string): Promise<Figures> {
  const share = Math.max(1, Math.round(connections / servers.length));
  const results = await Promise.all(
    servers.map((server) => {
      const { path, ...request } = scenario.options(seeded, counter, setup);
      return autocannon({ url: `${server.base}${path}`, connections: share, duration: seconds, timeout: 10, ...request });
    }),
  );
  return {
    requestsPerSecond: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
  };
}

async function startServers(count: number, env: Record<string, string>, label: string): Promise<RunningServer[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) =>
      startServer({ port: await freePort(), timeoutMs: 60_000, env: { NODE_ENV: 'production', TRUST_PROXY: '1', ...env }, logFile: join(dir, `${label}-${i}.log`) }),
    ),
  );
}

try {
  let serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    ownPostgres = join(dir, 'postgres');
    console.log('Starting a throwaway PostgreSQL server (scripts/postgres.sh)…');
    serverUrl = execFileSync(postgresScript, ['start', ownPostgres], { encoding: 'utf8' }).trim();
  }
  benchDb = { serverUrl, name: `doorstep_bench_${process.pid}` };
  await adminQuery(serverUrl, `drop database if exists ${benchDb.name} with (force)`);
  await adminQuery(serverUrl, `create database ${benchDb.name}`);
  const pgUrl = databaseUrl(serverUrl, benchDb.name);

  console.log(`Seeding SQLite and PostgreSQL alike (50 upcoming appointments, ${loginPool} login customers)…`);
  const sqlitePath = join(dir, 'doorstep.db');
  const seededSqlite = await seed(sqlitePath, { loginPool });
  const pgStore = await PgStore.connect(pgUrl);
  const seededPg = await seedStore(pgStore, { loginPool }).finally(() => pgStore.close());

  const setups: { name: string; processes: number; env: Record<string, string>; seeded: Seeded }[] = [
    { name: 'sqlite × 1', processes: 1, env: { DATABASE_PATH: sqlitePath }, seeded: seededSqlite },
    { name: 'postgres × 1', processes: 1, env: { DATABASE_URL: pgUrl }, seeded: seededPg },
    { name: 'postgres × 2', processes: 2, env: { DATABASE_URL: pgUrl }, seeded: seededPg },
  ];

  const rows: { scenario: string; setup: string; figures: Figures }[] = [];
  for (const setup of setups) {
    console.log(`Starting ${setup.name}…`);
    const label = setup.name.replace(/\W+/g, '-');
    const servers = await startServers(setup.processes, setup.env, label);
    try {
      for (const scenario of scenarios) {
        const counter = { n: 0 };
        process.stdout.write(`  ${scenario.name} (${connections} connections): `);
        if (warmup > 0) await measure(servers, scenario, setup.seeded, warmup, counter, label);
        const figures = await measure(servers, scenario, setup.seeded, duration, counter, label);
        console.log(`${figures.requestsPerSecond} req/s, p99 ${figures.p99} ms, ${figures.errors} errors`);
        rows.push({ scenario: scenario.name, setup: setup.name, figures });
      }
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
    }
  }

  const base = (scenario: string) => rows.find((r) => r.scenario === scenario && r.setup === 'sqlite × 1')!.figures.requestsPerSecond;
  console.log(`\nScale benchmark: ${duration} s per run after ${warmup} s of warm-up, ${connections} connections; ${machine().cpus} cores (${machine().model})`);
  console.log(`Client, API processes and PostgreSQL share these ${machine().cpus} cores: a second process competes with the rest for them.\n`);
  console.log(
    table(
      ['scenario', 'setup', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs sqlite × 1'],
      rows.map((r) => [r.scenario, r.setup, r.figures.requestsPerSecond, r.figures.p50, r.figures.p99, r.figures.errors, `${(r.figures.requestsPerSecond / Math.max(1, base(r.scenario))).toFixed(2)}×`]),
    ),
  );
  const file = writeResults('scale', { machine: machine(), duration, warmup, connections, loginPool, scenarios: scenarios.map(({ name, title }) => ({ name, title })), rows });
  console.log(`\nWritten to ${file}`);
} finally {
  await cleanUp();
}
