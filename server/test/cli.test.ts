// The operator's command line (`npm run doorstep -- …`), driven as an operator would: a real
// process on a real SQLite file, JSON on stdout, a JSON error on stderr with exit code 1.
// Also D5: an online backup taken under write load is sound and a server starts on it.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { ManualClock } from '../src/lib/clock';
import { sha256 } from '../src/lib/crypto';
import { freePort } from './server-process';
import type { Deps } from '../src/services/deps';
import { SqliteStore } from '../src/store/sqlite';
import { backupDatabase } from '../src/store/sqlite/backup';
import { tempDir } from './harness';

const root = resolve(import.meta.dirname, '../..');
const tsx = resolve(root, 'node_modules/.bin/tsx');
const KEY_PATTERN = /^dsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;

// ---- Processes ----

const running = new Set<ChildProcess>();

/** Kills a process we spawned and everything it started (tsx runs node as a child). */
function killTree(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL'); // its own process group (spawned detached)
  } catch {
    child.kill('SIGKILL');
  }
}

function processEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'PUBLIC_URL', 'DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'MAIL_FROM', 'RESEND_API_KEY']) {
    delete env[name];
  }
  return { ...env, NODE_ENV: 'development', DOORSTEP_DEMO: '0', ...extra };
}

function start(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(tsx, [script, ...args], { cwd: root, env: processEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run doorstep -- <args>` with DATABASE_PATH=dbPath: waits for the process to end (bounded). */
function cli(dbPath: string, ...args: string[]): Promise<CliRun> {
  const child = start('server/src/cli.ts', args, { DATABASE_PATH: dbPath });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => killTree(child), 20_000);
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Parses stdout of a run that must have succeeded. */
function ok<T = any>(run: CliRun): T {
  if (run.code !== 0) throw new Error(`expected exit 0, got ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** The JSON error of a run that must have failed with exit code 1 and printed nothing on stdout. */
function failed(run: CliRun): { code: string; message: string } {
  if (run.code !== 1) throw new Error(`expected exit 1, got ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  expect(run.stdout).toBe('');
  const body = JSON.parse(run.stderr) as { error: { code: string; message: string } };
  expect(body.error.code).toMatch(/^[a-z_]+$/);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}


function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

// ---- Reading the database file as it is on disk ----

function count(dbPath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Every byte of the database: the main file and, while a connection holds it open, its WAL. */
function fileBytes(dbPath: string): Buffer {
  const parts = [readFileSync(dbPath)];
  if (existsSync(`${dbPath}-wal`)) parts.push(readFileSync(`${dbPath}-wal`));
  return Buffer.concat(parts);
}

// ---- The business every CLI test shares ----

const dir = tempDir();
const dbPath = join(dir, 'doorstep.db');
let created: { business: any; apiKey: { key: string; prefix: string } };
let store: SqliteStore;
let app: ReturnType<typeof createApp>;

function settings(key: string) {
  return app.request('/v1/admin/settings', { headers: { Authorization: `Bearer ${key}` } });
}

async function expectSettings(key: string, status: number) {
  const res = await settings(key);
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

beforeAll(async () => {
  created = ok(
    await cli(
      dbPath,
      'create-business',
      '--id', 'acme-plumbing',
      '--name', 'Acme Plumbing',
      '--portal-url', 'https://acme.example.com/customers/portal',
      '--origin', 'https://www.acme.example.com',
      '--origin', 'http://localhost:5173',
      '--owner-email', 'Owner@Acme.Example.com',
    ),
  );
  // The API, in process, on the same file the CLI wrote.
  store = SqliteStore.open(dbPath);
  const deps: Deps = { store, clock: new ManualClock(), publicUrl: 'https://portal.test', paymentsConfigured: true };
  app = createApp(deps, { distDir: join(dir, 'dist') });
}, 30_000);

afterAll(async () => {
  const children = [...running];
  for (const child of children) killTree(child);
  await Promise.all(children.map(exited));
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('create-business', () => {
  it('prints the business and an API key that works against the admin API', async () => {
    expect(created.business).toMatchObject({ id: 'acme-plumbing', name: 'Acme Plumbing', portalUrl: 'https://acme.example.com/customers/portal' });
    expect(created.business.allowedOrigins).toEqual(['https://acme.example.com', 'https://www.acme.example.com', 'http://localhost:5173']);
    expect(created.business.notificationEmail).toBe('owner@acme.example.com');
    expect(created.apiKey.key).toMatch(KEY_PATTERN);
    expect(created.apiKey.key.startsWith(`${created.apiKey.prefix}_`)).toBe(true);

    const body = await expectSettings(created.apiKey.key, 200);
    expect(body).toMatchObject({ id: 'acme-plumbing', name: 'Acme Plumbing' });
    expect(body.allowedOrigins).toEqual(expect.arrayContaining(['https://acme.example.com', 'https://www.acme.example.com', 'http://localhost:5173']));
  });

  it('makes the owner staff, with the email lower-cased', () => {
    expect(count(dbPath, `select count(*) as n from staff where business_id = ? and email = ? and role = 'owner'`, 'acme-plumbing', 'owner@acme.example.com')).toBe(1);
  });

  it('stores only the SHA-256 of the key, never the key itself', () => {
    const { key } = created.apiKey;
    const bytes = fileBytes(dbPath);
    // dsk_<12 hex>_<43 base64url chars>: the secret may itself contain '_', so cut by position.
    const secret = key.slice('dsk_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(bytes.includes(Buffer.from(sha256(key)))).toBe(true);
  });

  it('rejects bad input with exit 1 and a JSON error, creating nothing', async () => {
    const businesses = () => count(dbPath, 'select count(*) as n from businesses');
    const keys = () => count(dbPath, 'select count(*) as n from api_keys');
    const [businessesBefore, keysBefore] = [businesses(), keys()];

    const [duplicate, badSlug, noName, unknownCommand, unknownOption, badOrigin, noCommand] = await Promise.all([
      cli(dbPath, 'create-business', '--id', 'acme-plumbing', '--name', 'Someone Else'),
      cli(dbPath, 'create-business', '--id', 'Acme Plumbing!', '--name', 'Acme'),
      cli(dbPath, 'create-business', '--id', 'no-name'),
      cli(dbPath, 'create-bussiness', '--id', 'typo', '--name', 'Typo'),
      cli(dbPath, 'create-business', '--id', 'extra', '--name', 'Extra', '--color', 'red'),
      cli(dbPath, 'create-business', '--id', 'bad-origin', '--name', 'Bad', '--origin', 'https://x.example.com/path'),
      cli(dbPath),
    ]);

    expect(failed(duplicate).code).toBe('business_exists');
    expect(failed(badSlug)).toMatchObject({ code: 'invalid_arguments', message: expect.stringMatching(/^id: /) });
    expect(failed(noName)).toMatchObject({ code: 'invalid_arguments', message: expect.stringContaining('--name') });
    expect(failed(unknownCommand)).toMatchObject({ code: 'unknown_command', message: expect.stringContaining('create-bussiness') });
    expect(failed(unknownOption).message).toContain('--color');
    expect(failed(badOrigin)).toMatchObject({ code: 'invalid_arguments', message: expect.stringMatching(/^origins\.0: /) });
    expect(failed(noCommand)).toMatchObject({ code: 'unknown_command', message: expect.stringContaining('Usage') });

    expect(businesses()).toBe(businessesBefore);
    expect(keys()).toBe(keysBefore);
    // The existing business was not touched by the duplicate.
    expect(await expectSettings(created.apiKey.key, 200)).toMatchObject({ name: 'Acme Plumbing' });
  }, 30_000);
});

describe('create-api-key and revoke-api-key', () => {
  it('issues a second working key; revoking it locks that key out and leaves the first one working', async () => {
    const second = ok(await cli(dbPath, 'create-api-key', '--business', 'acme-plumbing', '--name', 'Zapier'));
    expect(second).toMatchObject({ businessId: 'acme-plumbing' });
    expect(second.key).toMatch(KEY_PATTERN);
    expect(second.key).not.toBe(created.apiKey.key);
    expect(second.key.startsWith(`${second.prefix}_`)).toBe(true);
    expect((await expectSettings(second.key, 200)).id).toBe('acme-plumbing');

    const revoked = ok(await cli(dbPath, 'revoke-api-key', second.prefix));
    expect(revoked).toMatchObject({ prefix: second.prefix, businessId: 'acme-plumbing' });
    expect(Number.isNaN(Date.parse(revoked.revokedAt))).toBe(false);

    const denied = await expectSettings(second.key, 401);
    expect(denied.error.code).toBe('unauthorized');
    expect((await expectSettings(created.apiKey.key, 200)).id).toBe('acme-plumbing');

    expect(failed(await cli(dbPath, 'revoke-api-key', second.prefix)).code).toBe('not_found');
    expect((await expectSettings(created.apiKey.key, 200)).id).toBe('acme-plumbing');
  }, 30_000);

  it('refuses a key for a business that does not exist, or a revoke without a prefix', async () => {
    const keysBefore = count(dbPath, 'select count(*) as n from api_keys');
    const [unknownBusiness, noPrefix] = await Promise.all([
      cli(dbPath, 'create-api-key', '--business', 'nobody'),
      cli(dbPath, 'revoke-api-key'),
    ]);
    expect(failed(unknownBusiness).code).toBe('not_found');
    expect(failed(noPrefix).code).toBe('invalid_arguments');
    expect(count(dbPath, 'select count(*) as n from api_keys')).toBe(keysBefore);
  }, 30_000);
});

describe('add-staff', () => {
  it('adds a staff member with the email lower-cased, once', async () => {
    const added = ok(await cli(dbPath, 'add-staff', '--business', 'acme-plumbing', '--email', 'Dana.Tech@Acme.Example.com'));
    expect(added).toMatchObject({ businessId: 'acme-plumbing', email: 'dana.tech@acme.example.com', role: 'staff' });
    expect(added.id).toEqual(expect.any(String));
    const rows = () => count(dbPath, 'select count(*) as n from staff where business_id = ? and email = ?', 'acme-plumbing', 'dana.tech@acme.example.com');
    expect(rows()).toBe(1);

    expect(failed(await cli(dbPath, 'add-staff', '--business', 'acme-plumbing', '--email', 'dana.tech@acme.example.com')).code).toBe('staff_exists');
    expect(rows()).toBe(1);
  }, 30_000);
});

describe('backup', () => {
  it('writes a checked copy that a server starts on and serves with the same key', async () => {
    const backupPath = join(dir, 'backups', 'nightly.db');
    const result = ok(await cli(dbPath, 'backup', backupPath));
    expect(result).toEqual({ file: backupPath, bytes: statSync(backupPath).size, integrityCheck: 'ok' });
    expect(result.bytes).toBeGreaterThan(0);

    const port = await freePort();
    const server = start('server/src/index.ts', [], { DATABASE_PATH: backupPath, PORT: String(port) });
    let output = '';
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 15_000;
      let health: Response | undefined;
      while (!health) {
        if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`the server did not answer /health within 15 s:\n${output}`);
        health = await fetch(`${base}/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100)); // waiting for the process to start listening
      }
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      const res = await fetch(`${base}/v1/admin/settings`, { headers: { Authorization: `Bearer ${created.apiKey.key}` } });
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ id: 'acme-plumbing', name: 'Acme Plumbing' });

      const anonymous = await fetch(`${base}/v1/admin/settings`);
      expect(anonymous.status).toBe(401);
      await anonymous.body?.cancel();
    } finally {
      killTree(server);
      await exited(server);
    }
  }, 40_000);

  it('refuses a backup without a destination', async () => {
    expect(failed(await cli(dbPath, 'backup')).code).toBe('invalid_arguments');
  }, 30_000);
});

describe('D5: online backup under write load', () => {
  it('copies a consistent database while customers keep being saved', async () => {
    const loadDir = tempDir();
    const livePath = join(loadDir, 'live.db');
    const copyPath = join(loadDir, 'copy.db');
    const live = SqliteStore.open(livePath);
    let copy: SqliteStore | undefined;
    try {
      const clock = new ManualClock();
      await live.createBusiness({ id: 'acme', name: 'Acme', apiKey: { id: 'key_1', prefix: 'dsk_000000000000', hash: sha256('k') } }, clock.now());

      const total = 2000;
      const startBackupAt = 1000;
      let written = 0;
      let backup: Promise<{ result: Awaited<ReturnType<typeof backupDatabase>>; startedAt: number; finishedAt: number }> | undefined;
      for (let i = 0; i < total; i++) {
        await live.saveCustomer(
          'acme',
          `cus_${String(i).padStart(5, '0')}`,
          {
            name: `Customer ${i} ${'x'.repeat(150)}`,
            emails: [{ address: `customer${i}@example.com`, primary: true }],
            phone: '+1 555 0100',
            addresses: [{ line1: `${i} Elm St`, city: 'Springfield', region: 'IL', postalCode: '62701' }],
            externalId: `ext-${i}`,
            disabled: false,
          },
          clock.now(),
        );
        written++;
        if (written === startBackupAt) {
          const startedAt = written;
          backup = backupDatabase(live, copyPath).then((result) => ({ result, startedAt, finishedAt: written }));
        }
        // Let the backup take its steps between writes, as it would between requests.
        await new Promise((r) => setImmediate(r));
      }
      const { result, startedAt, finishedAt } = await backup!;

      expect(result).toEqual({ file: copyPath, bytes: statSync(copyPath).size, integrityCheck: 'ok' });
      // The backup really ran while writes were committing.
      expect(finishedAt).toBeGreaterThan(startedAt);

      const raw = new Database(copyPath, { readonly: true });
      let copied: number;
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(raw.pragma('foreign_key_check')).toEqual([]);
        copied = (raw.prepare('select count(*) as n from customers').get() as { n: number }).n;
        // Every customer has exactly its one email row: no torn write.
        expect(raw.prepare('select count(*) as n from customer_emails').get()).toEqual({ n: copied });
      } finally {
        raw.close();
      }
      expect(copied).toBeGreaterThanOrEqual(startedAt);
      expect(copied).toBeLessThanOrEqual(total);

      copy = SqliteStore.open(copyPath);
      expect((await copy.getBusiness('acme'))?.name).toBe('Acme');
      const first = await copy.getCustomer('acme', 'cus_00000');
      expect(first?.emails).toEqual([{ address: 'customer0@example.com', primary: true }]);
      expect(await copy.useApiKey(sha256('k'), Date.now(), 60_000)).toBe('acme');
    } finally {
      copy?.close();
      live.close();
      rmSync(loadDir, { recursive: true, force: true });
    }
  }, 40_000);
});
