// A Doorstep app on a fresh database (a temp SQLite file, or a PostgreSQL database in the postgres
// project: see database.ts) with a manual clock and two businesses, driven through app.request()
// exactly as HTTP clients would.
import { join } from 'node:path';
import { createApp } from '../src/app';
import { ManualClock } from '../src/lib/clock';
import { createBusiness } from '../src/services/businesses';
import type { Deps } from '../src/services/deps';
import type { Store } from '../src/store/types';
import { createTestDatabase, type TestDatabase } from './database';

export { tempDir } from './database';

export interface Harness extends Pick<TestDatabase, 'dialect' | 'dir' | 'dbPath' | 'query' | 'rowsOf' | 'openStore' | 'queueWebhookEvents'> {
  app: ReturnType<typeof createApp>;
  store: Store;
  clock: ManualClock;
  deps: Deps;
  /** Admin API keys of business A (`acme`) and business B (`bravo`). */
  keyA: string;
  keyB: string;
  /** JSON request with an admin key; `body` is sent as JSON when given. */
  admin(method: string, path: string, body?: unknown, key?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function createHarness(options: { paymentsConfigured?: boolean } = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const { store, dir } = database;
  const clock = new ManualClock();
  const deps: Deps = { store, clock, publicUrl: 'https://portal.test', paymentsConfigured: options.paymentsConfigured ?? true, trustProxy: true };
  const app = createApp(deps, { distDir: join(dir, 'dist') });
  const a = await createBusiness(deps, { id: 'acme', name: 'Acme Plumbing', portalUrl: 'https://acme.test/portal', ownerEmail: 'owner@acme.test' });
  const b = await createBusiness(deps, { id: 'bravo', name: 'Bravo HVAC', ownerEmail: 'owner@bravo.test' });
  const keyA = a.apiKey.key;
  const keyB = b.apiKey.key;
  return {
    app,
    store,
    clock,
    deps,
    dialect: database.dialect,
    dir,
    dbPath: database.dbPath,
    query: database.query,
    rowsOf: database.rowsOf,
    openStore: database.openStore,
    queueWebhookEvents: database.queueWebhookEvents,
    keyA,
    keyB,
    admin(method, path, body, key = keyA) {
      const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      return Promise.resolve(app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
    close: database.close,
  };
}

/** Reads a JSON body and fails loudly with the body when the status is not the one expected. */
export async function expectJson<T = any>(response: Response | Promise<Response>, status: number): Promise<T> {
  const res = await response;
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const sampleCustomer = { name: 'Dana Rivera', email: 'dana@example.com', phone: '+1 555 0100', addresses: [{ line1: '12 Elm St', city: 'Springfield', region: 'IL', postalCode: '62701' }] };

export const sampleLineItems = [
  { description: 'Water heater install', quantity: 1, unitAmount: 125000 },
  { description: 'Labor (hours)', quantity: 2.5, unitAmount: 9500 },
];
