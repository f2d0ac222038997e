// The data the benchmarks run on, written through Doorstep's own services (so the rows are exactly
// what the API would have written) with `synchronous = OFF` while seeding only: one business, one
// signed-in customer with 50 upcoming appointments (and some past ones, open invoices and
// estimates, for the summary), and a pool of customers whose emails the login-link benchmark uses.
import { systemClock } from '../../server/src/lib/clock';
import { createBusiness } from '../../server/src/services/businesses';
import { saveAppointment } from '../../server/src/services/appointments';
import { exchangeLink, requestLoginLink } from '../../server/src/services/auth';
import { saveCustomer } from '../../server/src/services/customers';
import { saveEstimate } from '../../server/src/services/estimates';
import { saveInvoice } from '../../server/src/services/invoices';
import type { Deps } from '../../server/src/services/deps';
import { getBusinessOrThrow } from '../../server/src/services/settings';
import { SqliteStore } from '../../server/src/store/sqlite';
import type { Store } from '../../server/src/store/types';

export const BUSINESS = 'bench-plumbing';
const DAY = 86_400_000;

export interface Seeded {
  business: string;
  apiKey: string;
  /** Session token of the customer with 50 upcoming appointments. */
  sessionToken: string;
  customerId: string;
  /** Customers `login-<i>@bench-customers.test` for i < loginPool exist. */
  loginPool: number;
}

export const loginEmail = (i: number) => `login-${i}@bench-customers.test`;

export async function seed(dbPath: string, options: { loginPool: number }): Promise<Seeded> {
  const store = SqliteStore.open(dbPath);
  store.db.$client.pragma('synchronous = OFF'); // seeding only; the servers open the file with FULL
  try {
    return await seedStore(store, options);
  } finally {
    store.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
  }
}

/** Seeds any store (SQLite or PostgreSQL); the caller closes it. */
export async function seedStore(store: Store, options: { loginPool: number }): Promise<Seeded> {
  const deps: Deps = { store, clock: systemClock, publicUrl: 'http://127.0.0.1', paymentsConfigured: false, trustProxy: true };
  const { apiKey } = await createBusiness(deps, { id: BUSINESS, name: 'Bench Plumbing', portalUrl: 'https://bench.test/portal', ownerEmail: 'owner@bench.test' });
  const now = Date.now();
  const { value: customer } = await saveCustomer(deps, BUSINESS, {
    name: 'Dana Rivera',
    email: 'dana@bench-customers.test',
    phone: '+1 555 0100',
    addresses: [{ line1: '12 Elm St', city: 'Springfield', region: 'IL', postalCode: '62701' }],
  });
  for (let i = 0; i < 50; i++) {
    await saveAppointment(deps, BUSINESS, {
      customerId: customer.id,
      startsAt: new Date(now + (i + 1) * DAY + i * 3_600_000).toISOString(),
      ...(i % 3 === 0 ? { arrivalWindowMinutes: 120 } : { endsAt: new Date(now + (i + 1) * DAY + i * 3_600_000 + 2 * 3_600_000).toISOString() }),
      description: `${['Water heater install', 'Drain cleaning', 'Annual furnace tune-up', 'Leak repair'][i % 4]} #${i + 1}`,
      technicians: i % 2 ? ['Sam Ortiz'] : ['Sam Ortiz', 'Lee Chan'],
      externalId: `job-${i + 1}`,
    });
  }
  for (let i = 0; i < 10; i++) {
    await saveAppointment(deps, BUSINESS, { customerId: customer.id, startsAt: new Date(now - (i + 1) * 7 * DAY).toISOString(), description: `Past visit #${i + 1}`, status: 'completed' });
  }
  const items = [
    { description: 'Water heater install', quantity: 1, unitAmount: 125000 },
    { description: 'Labor (hours)', quantity: 2.5, unitAmount: 9500 },
  ];
  for (let i = 0; i < 6; i++) {
    await saveInvoice(deps, BUSINESS, { customerId: customer.id, number: `INV-${1000 + i}`, currency: i === 5 ? 'eur' : 'usd', lineItems: items, taxAmount: 1200, status: i < 4 ? 'open' : 'paid', dueDate: '2027-03-31' });
  }
  for (let i = 0; i < 3; i++) {
    await saveEstimate(deps, BUSINESS, { customerId: customer.id, number: `EST-${100 + i}`, currency: 'usd', options: [{ name: 'Repair', lineItems: items }, { name: 'Replace', lineItems: items }] });
  }
  for (let i = 0; i < options.loginPool; i++) {
    await saveCustomer(deps, BUSINESS, { name: `Login customer ${i}`, email: loginEmail(i) });
  }

  // Sign the customer in as the widget does: a login link, the token from the queued email, the exchange.
  const business = await getBusinessOrThrow(deps, BUSINESS);
  await requestLoginLink(deps, business, 'dana@bench-customers.test', '10.0.0.1');
  const mail = (await store.listOutbox(BUSINESS)).find((m) => m.to === 'dana@bench-customers.test');
  const token = /#portal-token=([\w-]{43})/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error('seed: no login link was queued');
  const signedIn = await exchangeLink(deps, business, token, '10.0.0.2');
  return { business: BUSINESS, apiKey: apiKey.key, sessionToken: signedIn.token, customerId: customer.id, loginPool: options.loginPool };
}
