// SECURITY D2 (a 2xx means committed; kill -9 loses nothing acknowledged) and D3 (every outbox row
// delivered exactly once, surviving a restart), proved on the real server process:
//
//   1. a fresh SQLite file with one business (opened by the store before the server starts);
//   2. `tsx server/src/index.ts` on 127.0.0.1 (dev mailbox transport: no RESEND_API_KEY);
//   3. a few customers signed in through the real login-link flow, reading the link from the dev mailbox;
//   4. thousands of writes at concurrency 20 through the admin and widget APIs — customers (with a
//      client-generated externalId), invoices with line items, invitations, estimates, estimate
//      approvals, customer messages — every 2xx answer recorded with what was sent;
//   5. SIGKILL of the whole process group at a moment drawn from a seeded PRNG;
//   6. a restart on the same file; then every acknowledged write must be there and whole (fields
//      equal what was sent and what the 2xx answered), every multi-row write all-or-nothing,
//      `PRAGMA integrity_check` = ok, `PRAGMA foreign_key_check` empty, and, once the restarted
//      server's outbox worker has run, every outbox row sent exactly once (one dev-mailbox message
//      per outbox id, none twice, none pending after a bounded wait).
//
// Loopback only, bounded in writes and time, and every child process is killed on the way out.
import Database from 'better-sqlite3';
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/lib/clock';
import { createBusiness } from '../../src/services/businesses';
import { SqliteStore } from '../../src/store/sqlite';
import { freePort, startServer, type RunningServer } from '../server-process';

export interface DurabilityOptions {
  seed: number;
  /** Writes attempted at most (the kill normally comes first). */
  writes: number;
  /** Requests in flight at once. */
  concurrency: number;
  /**
   * The kill moment, drawn from the seed: after [min, max] × `writes` acknowledged writes or
   * [min, max] × `maxLoadMs` under load, whichever comes first (so a slow machine still gets a
   * random moment), plus 0–5 ms so it lands anywhere inside a request.
   */
  killBetween: [number, number];
  /** The longest the load runs. */
  maxLoadMs: number;
  /** Customers signed in through the login-link flow (they write messages and approve estimates). */
  signedIn: number;
  /** How long the restarted server's outbox worker gets to deliver everything. */
  outboxWaitMs: number;
  /**
   * The outbox rows the killed process had claimed stay locked until their claim lapses (60 s).
   * `shift`: the restarted server's clock runs that much ahead, as if it came back a minute later
   * (preload.mjs); `wait`: wait for the claims to lapse in real time.
   */
  claimLapse: 'shift' | 'wait';
  /** Keep the database directory (it is always kept when the round fails). */
  keepFiles?: boolean;
  /**
   * For the harness's own test: changes the file between the kill and the restart (a lost or torn
   * write, a lost email) so the checks can be shown to catch it.
   */
  tamper?: (db: Database.Database, acknowledged: { kind: Kind; sent: any; body: any }[]) => void;
  log?: (line: string) => void;
}

export const defaultOptions: Omit<DurabilityOptions, 'seed'> = {
  writes: 5000,
  concurrency: 20,
  killBetween: [0.2, 0.95],
  maxLoadMs: 40_000,
  signedIn: 3,
  outboxWaitMs: 30_000,
  claimLapse: 'shift',
};

/** The outbox worker's claim (mail/worker.ts lockMs default) plus a margin. */
const OUTBOX_CLAIM_MS = 60_000;
const CLAIM_LAPSE_MS = OUTBOX_CLAIM_MS + 2_000;
const BUSINESS = 'durable';

export interface RoundReport {
  seed: number;
  ok: boolean;
  failures: string[];
  dir: string | undefined;
  figures: {
    attempted: number;
    acknowledged: Record<Kind, number>;
    acknowledgedTotal: number;
    /** 2xx answers whose body the kill cut off (checked by the client's own keys). */
    acknowledgedWithoutBody: number;
    /** Requests sent but never answered: in flight at the kill. */
    unanswered: number;
    /** Of those, writes whose rows are in the database anyway (committed, answer lost). */
    unansweredButCommitted: number;
    rejected: number;
    loadMs: number;
    writesPerSecond: number;
    killedAfterAcks: number;
    restartMs: number;
    outboxRows: number;
    /** Outbox rows not yet sent at the kill, and of those the ones the killed process had claimed. */
    pendingAtKill: number;
    claimedAtKill: number;
    /** Delivered to the mailbox before the kill, marked sent only by the restarted server. */
    deliveredBeforeKillMarkedAfter: number;
    outboxDrainMs: number;
    totalMs: number;
  };
}

export type Kind = 'customer' | 'invoice' | 'invitation' | 'estimate' | 'approval' | 'message' | 'settings' | 'session';

interface Attempt {
  kind: Kind;
  sent: any;
  /** Extra context: customer id invited, estimate approved, etc. */
  target?: string;
  /** `acked-status-only`: a 2xx arrived but the kill cut its body off; found by the client's own keys instead. */
  outcome: 'pending' | 'acked' | 'acked-status-only' | 'rejected' | 'unanswered';
  status?: number;
  body?: any;
}

// ---- Seeded randomness ----

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- One round ----

export async function runRound(options: DurabilityOptions): Promise<RoundReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const random = mulberry32(options.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const dir = mkdtempSync(join(tmpdir(), 'doorstep-durability-'));
  const dbPath = join(dir, 'doorstep.db');
  const failures: string[] = [];
  const fail = (message: string) => {
    if (failures.length < 50) failures.push(message);
    else if (failures.length === 50) failures.push('… more failures left out');
  };
  const attempts: Attempt[] = [];
  let server: RunningServer | undefined;
  const figures: RoundReport['figures'] = {
    attempted: 0,
    acknowledged: { customer: 0, invoice: 0, invitation: 0, estimate: 0, approval: 0, message: 0, settings: 0, session: 0 },
    acknowledgedTotal: 0,
    acknowledgedWithoutBody: 0,
    unanswered: 0,
    unansweredButCommitted: 0,
    rejected: 0,
    loadMs: 0,
    writesPerSecond: 0,
    killedAfterAcks: 0,
    restartMs: 0,
    outboxRows: 0,
    pendingAtKill: 0,
    claimedAtKill: 0,
    deliveredBeforeKillMarkedAfter: 0,
    outboxDrainMs: 0,
    totalMs: 0,
  };

  try {
    // 1. The business, written by the store before the server ever runs.
    const store = SqliteStore.open(dbPath);
    const { apiKey } = await createBusiness(
      { store, clock: systemClock, publicUrl: 'http://127.0.0.1', paymentsConfigured: false },
      { id: BUSINESS, name: 'Durable Plumbing', portalUrl: 'https://durable.test/portal', ownerEmail: 'owner@durable.test' },
    );
    store.close();
    const adminHeaders = { Authorization: `Bearer ${apiKey.key}` };

    // 2. The real server.
    server = await startServer({ dbPath, port: await freePort(), env: { TRUST_PROXY: '1' }, logFile: join(dir, 'server.log') });
    log(`seed ${options.seed}: server up on ${server.base}, database ${dbPath}`);

    let base = server.base;
    let ipSeq = 0;
    const freshIp = () => {
      ipSeq++;
      return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
    };

    async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = adminHeaders): Promise<{ status: number; body: any }> {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    }

    /** Sends a write and records it: acked only with a 2xx and its whole body read. */
    async function write(kind: Kind, method: string, path: string, sent: unknown, headers?: Record<string, string>, target?: string): Promise<Attempt> {
      const attempt: Attempt = { kind, sent, outcome: 'pending', ...(target ? { target } : {}) };
      attempts.push(attempt);
      figures.attempted++;
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { ...(headers ?? adminHeaders), 'Content-Type': 'application/json' },
          body: JSON.stringify(sent),
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        attempt.outcome = 'unanswered';
        return attempt;
      }
      attempt.status = res.status;
      const ok = res.status >= 200 && res.status < 300;
      try {
        const text = await res.text();
        attempt.body = text ? JSON.parse(text) : undefined;
        attempt.outcome = ok ? 'acked' : 'rejected';
      } catch {
        attempt.outcome = ok ? 'acked-status-only' : 'rejected';
      }
      return attempt;
    }

    // 3. Messaging on, and customers signed in through the real login-link flow.
    const settings = await write('settings', 'PATCH', '/v1/admin/settings', { messagingEnabled: true });
    if (settings.outcome !== 'acked') throw new Error(`enabling messaging failed: ${settings.status} ${JSON.stringify(settings.body)}`);

    let customerSeq = 0;
    const customerBody = () => {
      const n = ++customerSeq;
      const addresses = Array.from({ length: int(0, 2) }, (_, i) => ({
        line1: `${int(1, 9999)} ${pick(['Elm', 'Oak', 'Birch', 'Ñandú', 'Łąkowa'])} St`,
        ...(random() < 0.5 ? { city: pick(['Springfield', 'Shelbyville', 'São Paulo']) } : {}),
        ...(random() < 0.5 ? { postalCode: String(int(10000, 99999)) } : {}),
        ...(i === 0 && random() < 0.3 ? { label: 'Home' } : {}),
      }));
      return {
        name: `${pick(['Dana', 'Eli', 'Zoë', 'Émile', 'Kai', "O'Neil"])} ${pick(['Rivera', 'Stone', 'Park', '李', 'Nguyễn'])} ${n}`,
        email: `d${options.seed}-c${n}@durable-customers.test`,
        ...(random() < 0.7 ? { phone: `+1 555 ${String(int(0, 9999)).padStart(4, '0')}` } : {}),
        addresses,
        externalId: `d${options.seed}-c${n}`,
      };
    };
    const customers: string[] = [];
    const sessions: { token: string; customerId: string }[] = [];

    async function signIn(): Promise<void> {
      const created = await write('customer', 'POST', '/v1/admin/customers', customerBody());
      if (created.outcome !== 'acked') throw new Error(`creating a customer to sign in failed: ${created.status}`);
      const email: string = created.sent.email;
      const link = await call('POST', `/v1/b/${BUSINESS}/login-links`, { email }, { 'X-Forwarded-For': freshIp() });
      if (link.status !== 202) throw new Error(`login link: HTTP ${link.status}`);
      const deadline = Date.now() + 15_000;
      let token: string | undefined;
      while (!token) {
        if (Date.now() > deadline) throw new Error(`no login link reached the dev mailbox for ${email} within 15 s`);
        await new Promise((r) => setTimeout(r, 100));
        const mail = await call('GET', '/dev/mail/messages', undefined, {});
        const message = (mail.body?.data ?? []).find((m: { to: string }) => m.to === email);
        token = message && /#portal-token=([\w-]{43})/.exec(message.text)?.[1];
      }
      const exchanged = await write('session', 'POST', `/v1/b/${BUSINESS}/sessions`, { token }, { 'X-Forwarded-For': freshIp() });
      if (exchanged.outcome !== 'acked') throw new Error(`session: HTTP ${exchanged.status} ${JSON.stringify(exchanged.body)}`);
      sessions.push({ token: exchanged.body.session.token, customerId: created.body.id });
    }
    await Promise.all(Array.from({ length: options.signedIn }, () => signIn()));
    log(`seed ${options.seed}: ${sessions.length} customers signed in through login links`);

    // 4. The load, and 5. the kill.
    let invoiceSeq = 0;
    let estimateSeq = 0;
    let messageSeq = 0;
    const openEstimates: { id: string; session: (typeof sessions)[number] }[] = [];
    const [lo, hi] = options.killBetween;
    const killAfter = Math.max(1, Math.floor(options.writes * (lo + random() * (hi - lo))));
    const killAtMs = Math.round(options.maxLoadMs * (lo + random() * (hi - lo)));
    const killJitterMs = random() * 5;
    let acked = 0;
    let stop = false;
    let killedAt = 0;
    let killing: Promise<void> | undefined;
    const loadStarted = Date.now();

    const kill = () => {
      if (killing) return;
      stop = true;
      killing = (async () => {
        await new Promise((r) => setTimeout(r, killJitterMs));
        figures.killedAfterAcks = acked;
        killedAt = Date.now();
        await server!.kill('SIGKILL');
      })();
    };
    const deadline = setTimeout(kill, killAtMs);

    const lineItems = () =>
      Array.from({ length: int(1, 3) }, () => ({
        description: pick(['Water heater', 'Labor (hours)', 'Valve — ½"', 'Service call', 'Filter 20×25']),
        quantity: pick([1, 2, 3, 0.5, 2.5]),
        unitAmount: int(0, 250_000),
      }));

    async function oneWrite(): Promise<void> {
      const roll = random();
      const session = sessions.length ? pick(sessions) : undefined;
      const customer = customers.length ? pick(customers) : undefined;
      const bearer: Record<string, string> = session ? { Authorization: `Bearer ${session.token}` } : {};
      let attempt: Attempt;
      if (roll < 0.3 || !customer) {
        attempt = await write('customer', 'POST', '/v1/admin/customers', customerBody());
        if (attempt.outcome === 'acked') customers.push(attempt.body.id);
      } else if (roll < 0.5) {
        const n = ++invoiceSeq;
        attempt = await write('invoice', 'POST', '/v1/admin/invoices', {
          customerId: customer,
          number: `D${options.seed}-I${n}`,
          currency: pick(['usd', 'eur']),
          lineItems: lineItems(),
          taxAmount: int(0, 5000),
          ...(random() < 0.5 ? { dueDate: `2027-0${int(1, 9)}-1${int(0, 9)}` } : {}),
          status: pick(['draft', 'open', 'open']),
          externalId: `d${options.seed}-i${n}`,
        });
      } else if (roll < 0.65) {
        attempt = await write('invitation', 'POST', `/v1/admin/customers/${customer}/invitations`, {}, undefined, customer);
      } else if (roll < 0.77 && session) {
        const n = ++estimateSeq;
        attempt = await write('estimate', 'POST', '/v1/admin/estimates', {
          customerId: session.customerId,
          number: `D${options.seed}-E${n}`,
          currency: 'usd',
          options: [{ name: pick(['Repair', 'Replace', 'Good']), lineItems: lineItems(), taxAmount: int(0, 1000) }],
          externalId: `d${options.seed}-e${n}`,
        });
        if (attempt.outcome === 'acked') openEstimates.push({ id: attempt.body.id, session });
      } else if (roll < 0.88 && openEstimates.length) {
        const estimate = openEstimates.splice(Math.floor(random() * openEstimates.length), 1)[0]!;
        attempt = await write('approval', 'POST', `/v1/b/${BUSINESS}/estimates/${estimate.id}/approve`, {}, { Authorization: `Bearer ${estimate.session.token}` }, estimate.id);
      } else if (session) {
        const n = ++messageSeq;
        attempt = await write('message', 'POST', `/v1/b/${BUSINESS}/messages`, { kind: pick(['new_appointment', 'other']), body: `Durability message ${options.seed}/${n}: ${Array.from({ length: int(1, 20) }, () => '½ ✓').join(' ')}` }, bearer);
      } else {
        attempt = await write('customer', 'POST', '/v1/admin/customers', customerBody());
        if (attempt.outcome === 'acked') customers.push(attempt.body.id);
      }
      if (attempt.outcome === 'acked') {
        acked++;
        if (acked >= killAfter) kill();
      } else if (attempt.outcome === 'rejected' && !stop) {
        fail(`before the kill, ${attempt.kind} got HTTP ${attempt.status}: ${JSON.stringify(attempt.body).slice(0, 300)}`);
      }
    }

    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (!stop && figures.attempted < options.writes) await oneWrite();
      }),
    );
    kill(); // the planned writes ran out first (or the deadline came): kill now
    await killing;
    clearTimeout(deadline);
    figures.loadMs = killedAt - loadStarted;
    log(`seed ${options.seed}: SIGKILL after ${figures.killedAfterAcks} acknowledged writes, ${figures.loadMs} ms of load`);

    // The file as the kill left it, read without recovering it (the restarted server does that).
    const crashed = new Database(dbPath, { readonly: true });
    try {
      checkSqlite(crashed, 'on the file the kill left (read-only)', fail);
      const outbox = crashed.prepare(`select count(*) as n, sum(case when locked_until > ? then 1 else 0 end) as claimed from email_outbox where status = 'pending'`).get(killedAt) as { n: number; claimed: number | null };
      figures.pendingAtKill = outbox.n;
      figures.claimedAtKill = outbox.claimed ?? 0;
    } finally {
      crashed.close();
    }
    if (options.tamper) {
      const db = new Database(dbPath);
      try {
        options.tamper(db, attempts.filter((a) => a.outcome === 'acked').map(({ kind, sent, body }) => ({ kind, sent, body })));
      } finally {
        db.close();
      }
    }

    // 6. Restart on the same file.
    const restartStarted = Date.now();
    const offset = options.claimLapse === 'shift' ? CLAIM_LAPSE_MS : 0;
    server = await startServer({ dbPath, port: await freePort(), env: { TRUST_PROXY: '1', ...(offset ? { DOORSTEP_TEST_CLOCK_OFFSET_MS: String(offset) } : {}) }, logFile: join(dir, 'server.log') });
    base = server.base;
    const restartedAt = Date.now();
    figures.restartMs = restartedAt - restartStarted;

    for (const attempt of attempts) {
      if (attempt.outcome === 'acked') {
        figures.acknowledged[attempt.kind]++;
        figures.acknowledgedTotal++;
      }
      if (attempt.outcome === 'acked-status-only') figures.acknowledgedWithoutBody++;
      if (attempt.outcome === 'unanswered') figures.unanswered++;
      if (attempt.outcome === 'rejected') figures.rejected++;
    }
    figures.writesPerSecond = Math.round((figures.acknowledgedTotal / Math.max(1, figures.loadMs)) * 1000);

    const db = new Database(dbPath);
    try {
      checkSqlite(db, 'after the restart', fail);
      await checkAcknowledged(attempts, db, call, fail);
      figures.unansweredButCommitted = checkAllOrNothing(attempts, db, fail);

      // The outbox: the restarted worker must deliver everything, each row once.
      if (options.claimLapse === 'wait') {
        const lapse = (db.prepare(`select max(locked_until) as t from email_outbox where status = 'pending'`).get() as { t: number | null }).t;
        if (lapse !== null) log(`seed ${options.seed}: waiting ${Math.max(0, lapse - Date.now())} ms for the killed process's outbox claims to lapse`);
      }
      // Time from the restart (process spawn) to the last email sent.
      const waitMs = options.outboxWaitMs + (options.claimLapse === 'wait' ? CLAIM_LAPSE_MS : 0);
      const pending = () => (db.prepare(`select count(*) as n from email_outbox where status = 'pending'`).get() as { n: number }).n;
      const lastSent = () => (db.prepare(`select max(sent_at) as t from email_outbox where sent_at > ?`).get(killedAt) as { t: number | null }).t;
      while (pending() > 0 && Date.now() - restartedAt < waitMs) await new Promise((r) => setTimeout(r, 100));
      // sent_at is on the restarted server's (possibly shifted) clock.
      const last = lastSent();
      figures.outboxDrainMs = last === null ? 0 : Math.max(0, last - offset - restartStarted);
      const outbox = checkOutbox(db, killedAt, fail);
      figures.outboxRows = outbox.rows;
      figures.deliveredBeforeKillMarkedAfter = outbox.deliveredBeforeKillMarkedAfter;
      if (outbox.pending > 0) fail(`${outbox.pending} outbox rows still pending ${waitMs} ms after the restart`);
    } finally {
      db.close();
    }

    // A clean stop, then the file once more with nobody holding it.
    await server.kill('SIGTERM');
    server = undefined;
    const after = new Database(dbPath, { readonly: true });
    try {
      checkSqlite(after, 'after a clean stop', fail);
    } finally {
      after.close();
    }
  } catch (error) {
    fail(`the round could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}${server ? `\nserver output:\n${server.output().slice(-4000)}` : ''}`);
  } finally {
    if (server) await server.kill('SIGKILL');
    figures.totalMs = Date.now() - started;
    if (failures.length === 0 && !options.keepFiles) rmSync(dir, { recursive: true, force: true });
  }
  const ok = failures.length === 0;
  return { seed: options.seed, ok, failures, dir: ok && !options.keepFiles ? undefined : dir, figures };
}

// ---- Checks ----

type Fail = (message: string) => void;
type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;

function checkSqlite(db: Database.Database, when: string, fail: Fail): void {
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') fail(`PRAGMA integrity_check ${when}: ${String(integrity)}`);
  const foreignKeys = db.pragma('foreign_key_check') as unknown[];
  if (foreignKeys.length > 0) fail(`PRAGMA foreign_key_check ${when}: ${foreignKeys.length} violations, e.g. ${JSON.stringify(foreignKeys[0])}`);
}

const differs = (what: string, got: unknown, want: unknown) => `${what}: got ${JSON.stringify(got)?.slice(0, 400)}, want ${JSON.stringify(want)?.slice(0, 400)}`;

function omit(value: Record<string, unknown>, ...keys: string[]) {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Every acknowledged write is in the database and served whole by the restarted server. */
async function checkAcknowledged(attempts: Attempt[], db: Database.Database, call: Call, fail: Fail): Promise<void> {
  const acked = attempts.filter((a) => a.outcome === 'acked');
  const approved = new Map(acked.filter((a) => a.kind === 'approval').map((a) => [a.target!, a.body]));
  const customerRow = db.prepare(`select * from customers where business_id = ? and external_id = ?`);
  const emailRows = db.prepare(`select address, is_primary as "primary" from customer_emails where customer_id = ? order by is_primary desc, created_at, id`);

  const checks = acked.map((a) => async () => {
    const sent = a.sent;
    switch (a.kind) {
      case 'customer': {
        // Found by the client's own id, as an integration that lost the answer would find it.
        const row = customerRow.get(BUSINESS, sent.externalId) as Record<string, any> | undefined;
        if (!row) return fail(`acknowledged customer ${sent.externalId} (${a.body.id}) is missing`);
        if (row.id !== a.body.id) fail(differs(`customer ${sent.externalId} id`, row.id, a.body.id));
        const stored = { name: row.name, phone: row.phone, addresses: JSON.parse(row.addresses), emails: (emailRows.all(row.id) as { address: string; primary: number }[]).map((e) => ({ address: e.address, primary: e.primary === 1 })) };
        const want = { name: sent.name, phone: sent.phone ?? null, addresses: sent.addresses, emails: [{ address: sent.email, primary: true }] };
        if (!isDeepStrictEqual(stored, want)) fail(differs(`customer ${sent.externalId} in the database`, stored, want));
        const served = await call('GET', `/v1/admin/customers/${a.body.id}`);
        if (served.status !== 200 || !isDeepStrictEqual(served.body, a.body)) fail(differs(`GET customer ${a.body.id} after the restart`, served.body, a.body));
        return;
      }
      case 'invoice': {
        const served = await call('GET', `/v1/admin/invoices/${a.body.id}`);
        if (served.status !== 200 || !isDeepStrictEqual(served.body, a.body)) return fail(differs(`GET invoice ${a.body.id} after the restart`, served.body, a.body));
        const got = { ...served.body, lineItems: served.body.lineItems.map((l: any) => omit(l, 'amount')) };
        for (const [key, value] of Object.entries(sent)) {
          if (!isDeepStrictEqual(got[key], value)) fail(differs(`invoice ${sent.number}.${key}`, got[key], value));
        }
        return;
      }
      case 'invitation': {
        const served = await call('GET', `/v1/admin/customers/${a.target}/invitations`);
        const found = served.body?.data?.find((i: { id: string }) => i.id === a.body.id);
        if (!found || !isDeepStrictEqual(found, a.body)) fail(differs(`invitation ${a.body.id} after the restart`, found, a.body));
        return;
      }
      case 'estimate': {
        const served = await call('GET', `/v1/admin/estimates/${a.body.id}`);
        if (served.status !== 200) return fail(`acknowledged estimate ${a.body.id}: HTTP ${served.status}`);
        const decided = approved.get(a.body.id);
        const moving = ['status', 'approvedOptionId', 'decidedAt', 'updatedAt'];
        if (!isDeepStrictEqual(omit(served.body, ...moving), omit(a.body, ...moving))) fail(differs(`estimate ${a.body.id} after the restart`, served.body, a.body));
        // Approved only if an approval was sent (answered or in flight at the kill).
        const tried = attempts.some((t) => t.kind === 'approval' && t.target === a.body.id);
        if (decided ? served.body.status !== 'approved' : !(served.body.status === 'open' || (tried && served.body.status === 'approved'))) {
          fail(differs(`estimate ${a.body.id} status`, served.body.status, decided ? 'approved' : 'open'));
        }
        for (const [key, value] of Object.entries(a.sent)) {
          const got = key === 'options' ? served.body.options.map((o: any) => ({ name: o.name, lineItems: o.lineItems.map((l: any) => omit(l, 'amount')), taxAmount: o.taxAmount })) : served.body[key];
          if (!isDeepStrictEqual(got, value)) fail(differs(`estimate ${a.sent.number}.${key}`, got, value));
        }
        return;
      }
      case 'approval': {
        const served = await call('GET', `/v1/admin/estimates/${a.target}`);
        const want = { status: 'approved', approvedOptionId: a.body.approvedOptionId, decidedAt: a.body.decidedAt };
        const got = served.body && { status: served.body.status, approvedOptionId: served.body.approvedOptionId, decidedAt: served.body.decidedAt };
        if (!isDeepStrictEqual(got, want)) fail(differs(`approval of estimate ${a.target} after the restart`, got, want));
        return;
      }
      case 'message': {
        const served = await call('GET', `/v1/admin/messages/${a.body.id}`);
        const got = served.body && omit(served.body, 'customerId', 'customerName');
        if (served.status !== 200 || !isDeepStrictEqual(got, a.body)) fail(differs(`message ${a.body.id} after the restart`, got, a.body));
        if (served.body && (served.body.body !== a.sent.body || served.body.kind !== a.sent.kind)) fail(differs(`message ${a.body.id} text`, served.body.body, a.sent.body));
        return;
      }
      case 'settings': {
        const served = await call('GET', '/v1/admin/settings');
        if (served.body?.messagingEnabled !== true) fail(differs('settings.messagingEnabled after the restart', served.body?.messagingEnabled, true));
        return;
      }
      case 'session': {
        const served = await call('GET', `/v1/b/${BUSINESS}/me`, undefined, { Authorization: `Bearer ${a.body.session.token}` });
        if (served.status !== 200 || served.body.id !== a.body.customer.id) fail(differs('a session acknowledged before the kill, after the restart', served.status, 200));
        return;
      }
    }
  });
  // A 2xx whose body was cut off: the write is there, found by what the client chose.
  for (const a of attempts.filter((t) => t.outcome === 'acked-status-only')) {
    const found = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) !== undefined;
    const ok =
      a.kind === 'customer' ? found(`select 1 from customers where business_id = ? and external_id = ?`, BUSINESS, a.sent.externalId)
      : a.kind === 'invoice' ? found(`select 1 from invoices where business_id = ? and number = ?`, BUSINESS, a.sent.number)
      : a.kind === 'estimate' ? found(`select 1 from estimates where business_id = ? and number = ?`, BUSINESS, a.sent.number)
      : a.kind === 'message' ? found(`select 1 from messages where business_id = ? and body = ?`, BUSINESS, a.sent.body)
      : a.kind === 'approval' ? found(`select 1 from estimates where id = ? and status = 'approved'`, a.target)
      : a.kind === 'invitation' ? found(`select 1 from invitations where business_id = ? and customer_id = ?`, BUSINESS, a.target)
      : true;
    if (!ok) fail(`a ${a.kind} answered 2xx (body cut off by the kill) is missing: ${JSON.stringify(a.sent).slice(0, 200)}`);
  }

  // Twenty at a time against the restarted server.
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < checks.length) await checks[next++]!();
    }),
  );
}

/**
 * Whatever is in the database — acknowledged or in flight at the kill — is whole: each write of
 * several rows is there entirely or not at all. Returns how many unanswered writes were committed.
 */
function checkAllOrNothing(attempts: Attempt[], db: Database.Database, fail: Fail): number {
  const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
  let committedUnanswered = 0;

  // Customers: the row and its email row together, with exactly the fields sent.
  const byExternal = new Map(attempts.filter((a) => a.kind === 'customer').map((a) => [a.sent.externalId as string, a]));
  const rows = db.prepare(`select c.external_id as externalId, c.name, c.phone, c.addresses, (select count(*) from customer_emails e where e.customer_id = c.id) as emails, (select address from customer_emails e where e.customer_id = c.id and e.is_primary = 1) as email from customers c where c.business_id = ?`).all(BUSINESS) as Record<string, any>[];
  for (const row of rows) {
    const attempt = byExternal.get(row.externalId);
    if (!attempt) {
      fail(`a customer nobody sent is in the database: ${row.externalId}`);
      continue;
    }
    if (attempt.outcome === 'unanswered') committedUnanswered++;
    const want = { name: attempt.sent.name, phone: attempt.sent.phone ?? null, addresses: attempt.sent.addresses, emails: 1, email: attempt.sent.email };
    const got = { name: row.name, phone: row.phone, addresses: JSON.parse(row.addresses), emails: row.emails, email: row.email };
    if (!isDeepStrictEqual(got, want)) fail(differs(`customer ${row.externalId} (whole write)`, got, want));
  }

  // Invoices: every stored invoice equals one that was sent.
  const invoices = new Map(attempts.filter((a) => a.kind === 'invoice').map((a) => [a.sent.number as string, a]));
  for (const row of db.prepare(`select number, customer_id, currency, line_items, tax_amount, due_date, status, external_id from invoices where business_id = ?`).all(BUSINESS) as Record<string, any>[]) {
    const attempt = invoices.get(row.number);
    if (!attempt) {
      fail(`an invoice nobody sent is in the database: ${row.number}`);
      continue;
    }
    if (attempt.outcome === 'unanswered') committedUnanswered++;
    const s = attempt.sent;
    const got = { customerId: row.customer_id, currency: row.currency, lineItems: JSON.parse(row.line_items).map((l: any) => omit(l, 'amount')), taxAmount: row.tax_amount, dueDate: row.due_date, status: row.status, externalId: row.external_id };
    const want = { customerId: s.customerId, currency: s.currency, lineItems: s.lineItems, taxAmount: s.taxAmount, dueDate: s.dueDate ?? null, status: s.status, externalId: s.externalId };
    if (!isDeepStrictEqual(got, want)) fail(differs(`invoice ${row.number} (whole write)`, got, want));
  }

  // Estimates by number, messages by text.
  const estimates = new Map(attempts.filter((a) => a.kind === 'estimate').map((a) => [a.sent.number as string, a]));
  for (const row of db.prepare(`select number from estimates where business_id = ?`).all(BUSINESS) as { number: string }[]) {
    const attempt = estimates.get(row.number);
    if (!attempt) fail(`an estimate nobody sent is in the database: ${row.number}`);
    else if (attempt.outcome === 'unanswered') committedUnanswered++;
  }
  const messages = new Map(attempts.filter((a) => a.kind === 'message').map((a) => [a.sent.body as string, a]));
  for (const row of db.prepare(`select body, kind from messages where business_id = ?`).all(BUSINESS) as { body: string; kind: string }[]) {
    const attempt = messages.get(row.body);
    if (!attempt || attempt.sent.kind !== row.kind) fail(`a message nobody sent is in the database: ${row.body.slice(0, 80)}`);
    else if (attempt.outcome === 'unanswered') committedUnanswered++;
  }

  // Writes of several rows in different tables: all there or none.
  const invitations = one<{ n: number; linked: number }>(
    `select count(*) as n, sum(case when l.id is not null and l.kind = 'invitation' and l.customer_id = i.customer_id then 1 else 0 end) as linked from invitations i left join link_tokens l on l.id = i.link_token_id where i.business_id = ?`,
    BUSINESS,
  );
  if (invitations.n !== (invitations.linked ?? 0)) fail(`${invitations.n - invitations.linked} invitations without their link token`);
  const outboxOf = (kind: string) => one<{ n: number }>(`select count(*) as n from email_outbox where business_id = ? and kind = ?`, BUSINESS, kind).n;
  if (outboxOf('invitation') !== invitations.n) fail(differs('invitation emails in the outbox vs invitations', outboxOf('invitation'), invitations.n));
  const messageCount = one<{ n: number }>(`select count(*) as n from messages where business_id = ?`, BUSINESS).n;
  if (outboxOf('notify_message_received') !== messageCount) fail(differs('message notifications in the outbox vs messages', outboxOf('notify_message_received'), messageCount));
  const approvedCount = one<{ n: number }>(`select count(*) as n from estimates where business_id = ? and status = 'approved'`, BUSINESS).n;
  if (outboxOf('notify_estimate_approved') !== approvedCount) fail(differs('approval notifications in the outbox vs approved estimates', outboxOf('notify_estimate_approved'), approvedCount));
  const sessions = one<{ n: number }>(`select count(*) as n from sessions where business_id = ?`, BUSINESS).n;
  const usedLogins = one<{ n: number }>(`select count(*) as n from link_tokens where business_id = ? and kind = 'login' and used_at is not null`, BUSINESS).n;
  if (sessions !== usedLogins) fail(differs('sessions vs used login links', sessions, usedLogins));

  // Approvals that were in flight: committed or not, the estimate is whole either way.
  for (const attempt of attempts) {
    if (attempt.kind !== 'approval' || attempt.outcome !== 'unanswered') continue;
    const row = one<{ status: string } | undefined>(`select status from estimates where id = ?`, attempt.target);
    if (row?.status === 'approved') committedUnanswered++;
  }
  return committedUnanswered;
}

/** After the drain: every outbox row sent, exactly one dev-mailbox message for each, nothing else. */
function checkOutbox(db: Database.Database, killedAt: number, fail: Fail) {
  const one = <T>(sql: string) => db.prepare(sql).get() as T;
  const rows = one<{ n: number }>(`select count(*) as n from email_outbox`).n;
  const pending = one<{ n: number }>(`select count(*) as n from email_outbox where status = 'pending'`).n;
  const failed = one<{ n: number }>(`select count(*) as n from email_outbox where status = 'failed'`).n;
  if (failed > 0) fail(`${failed} outbox rows failed for good`);
  const duplicates = db.prepare(`select outbox_id, count(*) as n from dev_mailbox group by outbox_id having count(*) > 1`).all();
  if (duplicates.length > 0) fail(`${duplicates.length} outbox rows delivered more than once, e.g. ${JSON.stringify(duplicates[0])}`);
  const sentNotDelivered = one<{ n: number }>(`select count(*) as n from email_outbox o where o.status = 'sent' and not exists (select 1 from dev_mailbox m where m.outbox_id = o.id)`).n;
  if (sentNotDelivered > 0) fail(`${sentNotDelivered} outbox rows marked sent that never reached the mailbox`);
  const orphans = one<{ n: number }>(`select count(*) as n from dev_mailbox m where not exists (select 1 from email_outbox o where o.id = m.outbox_id)`).n;
  if (orphans > 0) fail(`${orphans} mailbox messages with no outbox row`);
  const mismatched = one<{ n: number }>(`select count(*) as n from dev_mailbox m join email_outbox o on o.id = m.outbox_id where m.to_address <> o.to_address or m.subject <> o.subject or m.text <> o.text`).n;
  if (mismatched > 0) fail(`${mismatched} mailbox messages differ from their outbox row`);
  const deliveredBeforeKillMarkedAfter = db
    .prepare(`select count(*) as n from dev_mailbox m join email_outbox o on o.id = m.outbox_id where m.created_at <= ? and o.sent_at > ?`)
    .get(killedAt, killedAt) as { n: number };
  return { rows, pending, deliveredBeforeKillMarkedAfter: deliveredBeforeKillMarkedAfter.n };
}
