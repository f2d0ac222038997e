// Demo data for `npm start`: one branded business with a dozen customers and everything a customer
// can see — upcoming and past jobs, unpaid and paid invoices, estimates in every state — seeded only
// into an empty database.
import { addStaff, createBusiness } from '../server/src/services/businesses';
import { saveAppointment } from '../server/src/services/appointments';
import type { CustomerInput } from '../server/src/schemas/admin';
import { saveCustomer } from '../server/src/services/customers';
import type { Deps } from '../server/src/services/deps';
import { cancelEstimate, saveEstimate } from '../server/src/services/estimates';
import { saveInvoice } from '../server/src/services/invoices';

export const DEMO_BUSINESS = 'rivera-plumbing';
export const DEMO_CUSTOMER_EMAIL = 'jordan.lee@example.com';
export const DEMO_STAFF_EMAIL = 'office@rivera-plumbing.example';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 9:00 local-ish (UTC) on the day `days` from now. */
const at = (now: number, days: number, hour = 9) => new Date(Math.floor((now + days * DAY) / DAY) * DAY + hour * HOUR).toISOString();
const date = (now: number, days: number) => new Date(now + days * DAY).toISOString().slice(0, 10);

const customers: ({ key: string } & CustomerInput & { name: string })[] = [
  { key: 'jordan', name: 'Jordan Lee', emails: [{ address: DEMO_CUSTOMER_EMAIL, primary: true }, { address: 'jordan@lee-family.example' }], phone: '+1 555 0142', addresses: [{ line1: '48 Maple Ave', city: 'Springfield', region: 'IL', postalCode: '62704' }] },
  { key: 'priya', name: 'Priya Natarajan', email: 'priya.n@example.com', phone: '+1 555 0118', addresses: [{ line1: '903 Oak Ridge Dr', city: 'Springfield', region: 'IL', postalCode: '62711' }] },
  { key: 'marcus', name: 'Marcus Johnson', email: 'marcus.j@example.com', addresses: [{ line1: '17 Elm St', city: 'Chatham', region: 'IL', postalCode: '62629' }] },
  { key: 'sofia', name: 'Sofía Hernández', email: 'sofia.hernandez@example.com', phone: '+1 555 0177', addresses: [{ line1: '225 W Lawrence Ave', city: 'Springfield', region: 'IL', postalCode: '62704' }] },
  { key: 'ben', name: 'Ben Okafor', email: 'ben.okafor@example.com', addresses: [{ line1: '6 Lakeview Ct', city: 'Rochester', region: 'IL', postalCode: '62563' }] },
  { key: 'alice', name: 'Alice Wong', email: 'alice.wong@example.com' },
  { key: 'tom', name: 'Tom Becker', phone: '+1 555 0190', addresses: [{ line1: '1200 S 6th St', city: 'Springfield', region: 'IL', postalCode: '62703' }] },
  { key: 'grace', name: 'Grace Miller', email: 'grace.miller@example.com' },
  { key: 'dev', name: 'Dev Patel', email: 'dev.patel@example.com' },
  { key: 'nora', name: 'Nora Schmidt', phone: '+1 555 0163' },
  { key: 'luis', name: 'Luis García', email: 'luis.garcia@example.com', addresses: [{ line1: '77 Sangamon Ave', city: 'Springfield', region: 'IL', postalCode: '62702' }] },
  { key: 'emma', name: 'Emma Davis', email: 'emma.davis@example.com' },
];

export interface DemoSeed {
  business: string;
  apiKey: string;
  customerEmail: string;
  staffEmail: string;
}

/** Seeds the demo business unless the database already holds any business; undefined when it does. */
export async function seedDemo(deps: Deps, site: { origin: string }): Promise<DemoSeed | undefined> {
  if (await deps.store.getBusiness(DEMO_BUSINESS)) return undefined;
  const now = deps.clock.now();
  const { apiKey } = await createBusiness(deps, {
    id: DEMO_BUSINESS,
    name: 'Rivera Plumbing & Heating',
    portalUrl: `${site.origin}/portal.html`,
    origins: [site.origin],
    ownerEmail: DEMO_STAFF_EMAIL,
  });
  await deps.store.updateBusinessSettings(
    DEMO_BUSINESS,
    {
      logoUrl: `${site.origin}/logo.svg`,
      phone: '+1 (555) 010-2030',
      email: 'hello@rivera-plumbing.example',
      address: '310 S Grand Ave, Springfield, IL 62704',
      brandColor: '#0e7490',
      notificationEmail: DEMO_STAFF_EMAIL,
      messagingEnabled: true,
      paymentsEnabled: deps.paymentsConfigured,
      autoInvite: false,
    },
    now,
  );
  await addStaff(deps, DEMO_BUSINESS, 'owner@rivera-plumbing.example', 'owner').catch(() => undefined);

  const ids: Record<string, string> = {};
  for (const { key, ...customer } of customers) {
    ids[key] = (await saveCustomer(deps, DEMO_BUSINESS, customer)).value.id;
  }

  const jobs: [string, number, number, string, string[], ('scheduled' | 'completed' | 'canceled')?][] = [
    ['jordan', 2, 8, 'Water heater replacement — 50 gal gas', ['Sam Ortiz', 'Kai Brooks']],
    ['jordan', 16, 13, 'Annual furnace tune-up', ['Sam Ortiz']],
    ['jordan', -21, 10, 'Kitchen sink drain clog', ['Kai Brooks'], 'completed'],
    ['jordan', -75, 9, 'Leak inspection under upstairs bathroom', ['Sam Ortiz'], 'completed'],
    ['priya', 1, 10, 'Replace shut-off valves', ['Kai Brooks']],
    ['priya', -10, 14, 'Garbage disposal install', ['Sam Ortiz'], 'completed'],
    ['marcus', 5, 8, 'Sump pump inspection', ['Kai Brooks']],
    ['sofia', 3, 15, 'Tankless water heater estimate visit', ['Sam Ortiz']],
    ['ben', -3, 9, 'Outdoor spigot repair', ['Kai Brooks'], 'completed'],
    ['luis', 9, 11, 'Toilet replacement (2)', ['Sam Ortiz']],
    ['tom', 4, 12, 'Main line camera inspection', ['Kai Brooks']],
  ];
  for (const [who, days, hour, description, technicians, status] of jobs) {
    await saveAppointment(deps, DEMO_BUSINESS, { customerId: ids[who]!, startsAt: at(now, days, hour), arrivalWindowMinutes: 120, endsAt: at(now, days, hour + 3), description, technicians, status });
  }

  const invoices: [string, string, { description: string; quantity: number; unitAmount: number }[], number, 'open' | 'paid', number][] = [
    ['jordan', 'INV-1042', [{ description: 'Drain cleaning — kitchen', quantity: 1, unitAmount: 18500 }, { description: 'Labor (hours)', quantity: 1.5, unitAmount: 9500 }], 2690, 'open', 10],
    ['jordan', 'INV-1037', [{ description: 'Leak detection', quantity: 1, unitAmount: 22500 }], 1800, 'paid', -60],
    ['jordan', 'INV-1029', [{ description: 'Service call', quantity: 1, unitAmount: 8900 }], 0, 'paid', -120],
    ['priya', 'INV-1045', [{ description: 'Garbage disposal (InSinkErator 1/2 HP)', quantity: 1, unitAmount: 21900 }, { description: 'Installation', quantity: 1, unitAmount: 15000 }], 2950, 'open', 5],
    ['ben', 'INV-1046', [{ description: 'Outdoor spigot — frost-free replacement', quantity: 1, unitAmount: 16400 }], 1310, 'open', -2],
    ['marcus', 'INV-1031', [{ description: 'Sump pump replacement', quantity: 1, unitAmount: 48500 }], 3880, 'paid', -90],
  ];
  for (const [who, number, lineItems, taxAmount, status, dueInDays] of invoices) {
    await saveInvoice(deps, DEMO_BUSINESS, { customerId: ids[who]!, number, currency: 'usd', lineItems, taxAmount, status, dueDate: date(now, dueInDays) });
  }

  const heater = [
    { name: 'Repair: replace thermocouple and flush tank', lineItems: [{ description: 'Thermocouple', quantity: 1, unitAmount: 4500 }, { description: 'Tank flush', quantity: 1, unitAmount: 12000 }, { description: 'Labor (hours)', quantity: 1, unitAmount: 9500 }] },
    { name: 'Replace: 50-gallon gas water heater', description: 'Bradford White 50 gal, 6-year warranty, haul-away included', lineItems: [{ description: 'Water heater', quantity: 1, unitAmount: 145000 }, { description: 'Installation and permit', quantity: 1, unitAmount: 42000 }], taxAmount: 11600 },
    { name: 'Upgrade: tankless water heater', description: 'Rinnai RU199, endless hot water, 12-year warranty', lineItems: [{ description: 'Tankless unit', quantity: 1, unitAmount: 265000 }, { description: 'Venting and gas line', quantity: 1, unitAmount: 88000 }], taxAmount: 21200 },
  ];
  const estimates: [string, string, typeof heater, 'open' | 'approved' | 'declined', number | null][] = [
    ['jordan', 'EST-2210', heater, 'open', 14],
    ['jordan', 'EST-2198', [{ name: 'Re-pipe upstairs bathroom', lineItems: [{ description: 'PEX re-pipe', quantity: 1, unitAmount: 310000 }] }], 'approved', null],
    ['jordan', 'EST-2187', [{ name: 'Water softener install', lineItems: [{ description: 'Softener and install', quantity: 1, unitAmount: 189000 }] }], 'declined', null],
    ['jordan', 'EST-2175', [{ name: 'Hose bib replacement (3)', lineItems: [{ description: 'Hose bibs', quantity: 3, unitAmount: 9800 }] }], 'open', -5],
    ['sofia', 'EST-2212', heater.slice(1), 'open', 21],
  ];
  for (const [who, number, options, status, expiresInDays] of estimates) {
    await saveEstimate(deps, DEMO_BUSINESS, { customerId: ids[who]!, number, currency: 'usd', options, status, expiresAt: expiresInDays === null ? null : at(now, expiresInDays, 23) });
  }
  const withdrawn = await saveEstimate(deps, DEMO_BUSINESS, {
    customerId: ids['jordan']!,
    number: 'EST-2190',
    currency: 'usd',
    options: [{ name: 'Withdrawn quote (never shown to the customer)', lineItems: [{ description: 'Gas line', quantity: 1, unitAmount: 50000 }] }],
  });
  await cancelEstimate(deps, DEMO_BUSINESS, withdrawn.value.id);

  return { business: DEMO_BUSINESS, apiKey: apiKey.key, customerEmail: DEMO_CUSTOMER_EMAIL, staffEmail: DEMO_STAFF_EMAIL };
}
