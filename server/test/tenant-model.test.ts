// SECURITY T2 (and the customer half of T1), model-based: three businesses with customers whose
// emails come from a small pool, so the same address is a customer at two or three businesses.
// fast-check `commands` create customers and their work through the admin API, sign customers in,
// decide estimates (their own and, as attacks, other people's), send messages and reply as staff,
// and move the clock. After every command, everything the widget API returns to each signed-in
// (business, customer) must be exactly what the model says belongs to them — ids, statuses, counts,
// order — with no id, name or email of anyone else in any response; and every session is refused
// on every other business's routes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBusiness } from '../src/services/businesses';
import { createHarness, expectJson, type Harness } from './harness';
import { signIn, type SignedInCustomer } from './sign-in';

const HOUR = 3_600_000;

type BizId = 'acme' | 'bravo' | 'cobalt';
const BUSINESSES: BizId[] = ['acme', 'bravo', 'cobalt'];
const EMAILS = ['alex@example.com', 'sam@example.com', 'kim@example.org', 'lee@example.net'];

interface MAppointment {
  id: string;
  startsAt: number;
  /** Where it stops being upcoming: endsAt, else the arrival window's end, else its start. */
  end: number;
  status: 'scheduled' | 'in_progress' | 'completed' | 'canceled';
}
interface MInvoice {
  id: string;
  status: 'draft' | 'open' | 'paid' | 'void';
  due: number;
}
interface MEstimate {
  id: string;
  number: string;
  status: 'open' | 'approved' | 'declined' | 'canceled';
  expiresAt: number | null;
  optionIds: string[];
}
interface MMessage {
  id: string;
  createdAt: number;
  replies: { id: string; createdAt: number }[];
}
interface MCustomer {
  business: BizId;
  id: string;
  name: string;
  email: string;
  appointments: MAppointment[];
  invoices: MInvoice[];
  estimates: MEstimate[];
  messages: MMessage[];
  session?: SignedInCustomer;
}
interface Model {
  now: number;
  seq: number;
  customers: MCustomer[];
  messaging: Record<BizId, boolean>;
}
interface Real {
  h: Harness;
  keys: Record<BizId, string>;
}

const pick = <T>(list: T[], i: number): T => list[i % list.length]!;
const signedIn = (m: Model) => m.customers.filter((c) => c.session);
const allEstimates = (m: Model) => m.customers.flatMap((c) => c.estimates.map((e) => ({ owner: c, estimate: e })));
const allMessages = (m: Model) => m.customers.flatMap((c) => c.messages.map((msg) => ({ owner: c, message: msg })));
const isUpcoming = (a: MAppointment, now: number) => a.status !== 'completed' && a.end >= now;
const shownStatus = (e: MEstimate, now: number) => (e.status === 'open' && e.expiresAt !== null && e.expiresAt <= now ? 'expired' : e.status);
const decidable = (e: MEstimate, now: number) => shownStatus(e, now) === 'open';
/** A unique name that is no substring of another (`Person1Q` is not inside `Person12Q`). */
const nameOf = (seq: number) => `Person${seq}Q`;

async function call(real: Real, method: string, path: string, who: SignedInCustomer | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (who) headers['Authorization'] = `Bearer ${who.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return real.h.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Creates a customer at `business`, as its admin API would, and records it in the model. */
async function addCustomer(m: Model, r: Real, business: BizId, email: string): Promise<MCustomer> {
  const name = nameOf(++m.seq);
  const created = await expectJson(
    r.h.admin('POST', '/v1/admin/customers', { name, email, phone: `+1 555 ${1000 + m.seq}`, addresses: [{ line1: `${m.seq} Road of ${name}` }] }, r.keys[business]),
    201,
  );
  const customer: MCustomer = { business, id: created.id, name, email, appointments: [], invoices: [], estimates: [], messages: [] };
  m.customers.push(customer);
  return customer;
}

async function signInModel(r: Real, c: MCustomer): Promise<void> {
  const session = await signIn(r.h, c.business, c.email);
  // The same email at another business is another customer: this session is this business's one.
  expect(session.customer.id).toBe(c.id);
  c.session = session;
}

// ---- What a signed-in customer must see ----

/** Strings that must never reach `c`: other customers' ids, names, emails and objects, and c's own hidden rows. */
function forbiddenFor(m: Model, c: MCustomer): string[] {
  const out: string[] = [];
  for (const other of m.customers) {
    if (other === c) {
      out.push(...c.invoices.filter((i) => i.status === 'draft' || i.status === 'void').map((i) => i.id));
      out.push(...c.estimates.filter((e) => e.status === 'canceled').map((e) => e.id));
      continue;
    }
    out.push(other.id, other.name);
    if (other.email !== c.email) out.push(other.email);
    out.push(...other.appointments.map((a) => a.id), ...other.invoices.map((i) => i.id));
    out.push(...other.estimates.flatMap((e) => [e.id, ...e.optionIds]));
    out.push(...other.messages.flatMap((msg) => [msg.id, ...msg.replies.map((x) => x.id)]));
  }
  return out;
}

async function verifyCustomer(m: Model, r: Real, c: MCustomer): Promise<void> {
  const who = c.session!;
  const base = `/v1/b/${c.business}`;
  const get = async (path: string) => {
    const res = await call(r, 'GET', `${base}${path}`, who);
    const text = await res.text();
    expect(res.status, `${c.name}@${c.business} GET ${path}: ${text}`).toBe(200);
    return { text, json: JSON.parse(text) };
  };
  const label = `${c.name} (${c.id}) at ${c.business}`;
  const [me, summary, upcoming, past, invoices, estimates, messages] = await Promise.all([
    get('/me'),
    get('/summary'),
    get('/appointments?when=upcoming&limit=100'),
    get('/appointments?when=past&limit=100'),
    get('/invoices?limit=100'),
    get('/estimates?limit=100'),
    get('/messages?limit=100'),
  ]);

  const forbidden = forbiddenFor(m, c);
  for (const response of [me, summary, upcoming, past, invoices, estimates, messages]) {
    for (const token of forbidden) expect(response.text.includes(token), `${label} was shown ${token}: ${response.text}`).toBe(false);
  }

  expect(me.json).toMatchObject({ id: c.id, name: c.name, email: c.email });

  const now = m.now;
  const byStart = (a: MAppointment, b: MAppointment) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1);
  const wantUpcoming = c.appointments.filter((a) => isUpcoming(a, now)).sort(byStart);
  const wantPast = c.appointments.filter((a) => !isUpcoming(a, now)).sort(byStart).reverse();
  expect(upcoming.json.data.map((a: any) => a.id), `${label} upcoming`).toEqual(wantUpcoming.map((a) => a.id));
  expect(past.json.data.map((a: any) => a.id), `${label} past`).toEqual(wantPast.map((a) => a.id));
  for (const a of [...upcoming.json.data, ...past.json.data]) {
    expect(a).not.toHaveProperty('customerId');
    expect(a.description).toContain(c.name);
  }

  const visible = c.invoices.filter((i) => i.status === 'open' || i.status === 'paid');
  const shownInvoices: any[] = invoices.json.data;
  expect(new Set(shownInvoices.map((i) => i.id)), `${label} invoices`).toEqual(new Set(visible.map((i) => i.id)));
  expect(shownInvoices).toHaveLength(visible.length);
  const firstPaid = shownInvoices.findIndex((i) => i.status === 'paid');
  if (firstPaid >= 0) expect(shownInvoices.slice(firstPaid).every((i) => i.status === 'paid'), `${label} unpaid first`).toBe(true);

  const wantEstimates = c.estimates.filter((e) => e.status !== 'canceled');
  const shownEstimates: any[] = estimates.json.data;
  expect(new Set(shownEstimates.map((e) => e.id)), `${label} estimates`).toEqual(new Set(wantEstimates.map((e) => e.id)));
  expect(shownEstimates).toHaveLength(wantEstimates.length);
  for (const e of wantEstimates) expect(shownEstimates.find((x) => x.id === e.id).status, `${label} ${e.number}`).toBe(shownStatus(e, now));
  const firstClosed = shownEstimates.findIndex((e) => e.status !== 'open');
  if (firstClosed >= 0) expect(shownEstimates.slice(firstClosed).every((e) => e.status !== 'open'), `${label} open estimates first`).toBe(true);

  const wantMessages = [...c.messages].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  expect(messages.json.data.map((msg: any) => msg.id), `${label} messages`).toEqual(wantMessages.map((msg) => msg.id));
  for (const msg of wantMessages) {
    // Replies oldest first; the same instant falls back to id order, as in the store.
    const wantReplies = [...msg.replies].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((x) => x.id);
    expect(messages.json.data.find((x: any) => x.id === msg.id).replies.map((x: any) => x.id), `${label} replies`).toEqual(wantReplies);
  }

  const unpaid = c.invoices.filter((i) => i.status === 'open' && i.due > 0);
  expect(summary.json.unpaidInvoices, `${label} summary`).toEqual({
    count: unpaid.length,
    totals: unpaid.length ? [{ currency: 'usd', amount: unpaid.reduce((n, i) => n + i.due, 0) }] : [],
  });
  expect(summary.json.openEstimates).toBe(c.estimates.filter((e) => decidable(e, now)).length);
  const next = c.appointments.filter((a) => isUpcoming(a, now) && a.status !== 'canceled').sort(byStart)[0];
  expect(summary.json.nextAppointment?.id ?? null, `${label} next appointment`).toBe(next?.id ?? null);
}

/** A session is worth nothing on another business's routes, whoever holds that email there. */
async function verifyRefusedElsewhere(r: Real, c: MCustomer): Promise<void> {
  for (const other of BUSINESSES) {
    if (other === c.business) continue;
    for (const path of ['/me', '/summary', '/invoices', '/estimates', '/messages', '/appointments?when=past']) {
      const res = await call(r, 'GET', `/v1/b/${other}${path}`, c.session!);
      expect(res.status, `${c.name}@${c.business} on ${other}${path}`).toBe(401);
    }
  }
}

async function verifyAll(m: Model, r: Real): Promise<void> {
  for (const c of signedIn(m)) await verifyCustomer(m, r, c);
}

// ---- Commands ----

type Cmd = fc.AsyncCommand<Model, Real>;

class CreateCustomer implements Cmd {
  constructor(readonly business: BizId, readonly email: string) {}
  check = (m: Model) => m.customers.length < 12 && !m.customers.some((c) => c.business === this.business && c.email === this.email);
  async run(m: Model, r: Real) {
    await addCustomer(m, r, this.business, this.email);
    await verifyAll(m, r);
  }
  toString = () => `CreateCustomer(${this.business}, ${this.email})`;
}

class SignIn implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Model) => m.customers.some((c) => !c.session);
  async run(m: Model, r: Real) {
    const c = pick(m.customers.filter((x) => !x.session), this.i);
    await signInModel(r, c);
    await verifyRefusedElsewhere(r, c);
    await verifyAll(m, r);
  }
  toString = () => `SignIn(${this.i})`;
}

class CreateAppointment implements Cmd {
  constructor(readonly i: number, readonly startHours: number, readonly shape: 'end' | 'window' | 'bare', readonly status: MAppointment['status']) {}
  check = (m: Model) => m.customers.length > 0;
  async run(m: Model, r: Real) {
    const c = pick(m.customers, this.i);
    const startsAt = m.now + this.startHours * HOUR;
    const extra = this.shape === 'end' ? { endsAt: new Date(startsAt + 2 * HOUR).toISOString() } : this.shape === 'window' ? { arrivalWindowMinutes: 90 } : {};
    const created = await expectJson(
      r.h.admin(
        'POST',
        '/v1/admin/appointments',
        { customerId: c.id, startsAt: new Date(startsAt).toISOString(), description: `Visit ${++m.seq} for ${c.name}`, technicians: ['Sam'], status: this.status, ...extra },
        r.keys[c.business],
      ),
      201,
    );
    const end = this.shape === 'end' ? startsAt + 2 * HOUR : this.shape === 'window' ? startsAt + 90 * 60_000 : startsAt;
    c.appointments.push({ id: created.id, startsAt, end, status: this.status });
    await verifyAll(m, r);
  }
  toString = () => `CreateAppointment(${this.i}, ${this.startHours}h, ${this.shape}, ${this.status})`;
}

class CreateInvoice implements Cmd {
  constructor(readonly i: number, readonly status: MInvoice['status'], readonly unitAmount: number, readonly paidPart: number) {}
  check = (m: Model) => m.customers.length > 0;
  async run(m: Model, r: Real) {
    const c = pick(m.customers, this.i);
    const amountPaid = this.status === 'open' ? Math.min(this.paidPart, this.unitAmount) : undefined;
    const created = await expectJson(
      r.h.admin(
        'POST',
        '/v1/admin/invoices',
        {
          customerId: c.id,
          number: `INV-${++m.seq}`,
          currency: 'usd',
          lineItems: [{ description: `Work for ${c.name}`, quantity: 1, unitAmount: this.unitAmount }],
          status: this.status,
          ...(amountPaid !== undefined ? { amountPaid } : {}),
        },
        r.keys[c.business],
      ),
      201,
    );
    c.invoices.push({ id: created.id, status: this.status, due: this.status === 'open' ? this.unitAmount - (amountPaid ?? 0) : 0 });
    await verifyAll(m, r);
  }
  toString = () => `CreateInvoice(${this.i}, ${this.status}, ${this.unitAmount}, paid ${this.paidPart})`;
}

class CreateEstimate implements Cmd {
  constructor(readonly i: number, readonly options: 1 | 2, readonly expiresInHours: number | null) {}
  check = (m: Model) => m.customers.length > 0;
  async run(m: Model, r: Real) {
    const c = pick(m.customers, this.i);
    const number = `EST-${++m.seq}`;
    const expiresAt = this.expiresInHours === null ? null : m.now + this.expiresInHours * HOUR;
    const created = await expectJson(
      r.h.admin(
        'POST',
        '/v1/admin/estimates',
        {
          customerId: c.id,
          number,
          currency: 'usd',
          expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
          options: Array.from({ length: this.options }, (_, k) => ({
            name: `Option ${k + 1} for ${c.name}`,
            lineItems: [{ description: `Part for ${c.name}`, quantity: 1, unitAmount: 1000 * (k + 1) }],
          })),
        },
        r.keys[c.business],
      ),
      201,
    );
    c.estimates.push({ id: created.id, number, status: 'open', expiresAt, optionIds: created.options.map((o: any) => o.id) });
    await verifyAll(m, r);
  }
  toString = () => `CreateEstimate(${this.i}, ${this.options} options, expires ${this.expiresInHours}h)`;
}

class CancelEstimate implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Model) => allEstimates(m).length > 0;
  async run(m: Model, r: Real) {
    const { owner, estimate } = pick(allEstimates(m), this.i);
    const cancelable = estimate.status === 'open' || estimate.status === 'canceled';
    const res = await r.h.admin('POST', `/v1/admin/estimates/${estimate.id}/cancel`, undefined, r.keys[owner.business]);
    expect(res.status).toBe(cancelable ? 200 : 409);
    if (cancelable) estimate.status = 'canceled';
    await verifyAll(m, r);
  }
  toString = () => `CancelEstimate(${this.i})`;
}

/** A signed-in customer approves or declines one of their own estimates. */
class Decide implements Cmd {
  constructor(readonly i: number, readonly j: number, readonly approve: boolean, readonly giveOption: boolean) {}
  check = (m: Model) => signedIn(m).some((c) => c.estimates.length > 0);
  async run(m: Model, r: Real) {
    const c = pick(signedIn(m).filter((x) => x.estimates.length > 0), this.i);
    const e = pick(c.estimates, this.j);
    const body = this.approve ? (this.giveOption ? { optionId: pick(e.optionIds, this.j) } : {}) : this.giveOption ? { reason: `Reason of ${c.name}` } : {};
    const res = await call(r, 'POST', `/v1/b/${c.business}/estimates/${e.id}/${this.approve ? 'approve' : 'decline'}`, c.session!, body);
    const json = await res.json();
    if (e.status === 'canceled') {
      expect(res.status).toBe(404);
    } else if (!decidable(e, m.now)) {
      expect(res.status).toBe(409);
      expect(json.error.code).toBe(shownStatus(e, m.now) === 'expired' ? 'estimate_expired' : 'estimate_not_open');
    } else if (this.approve && !this.giveOption && e.optionIds.length > 1) {
      expect(res.status).toBe(400);
      expect(json.error.code).toBe('option_required');
    } else {
      expect(res.status, JSON.stringify(json)).toBe(200);
      e.status = this.approve ? 'approved' : 'declined';
      expect(json.status).toBe(e.status);
    }
    await verifyAll(m, r);
  }
  toString = () => `Decide(${this.i}, ${this.j}, ${this.approve ? 'approve' : 'decline'}, ${this.giveOption})`;
}

/** A signed-in customer tries to decide someone else's estimate, through both businesses' routes. */
class DecideOthers implements Cmd {
  constructor(readonly i: number, readonly j: number, readonly approve: boolean) {}
  check = (m: Model) => signedIn(m).some((c) => allEstimates(m).some((x) => x.owner !== c));
  async run(m: Model, r: Real) {
    const attacker = pick(signedIn(m).filter((c) => allEstimates(m).some((x) => x.owner !== c)), this.i);
    const { owner, estimate } = pick(allEstimates(m).filter((x) => x.owner !== attacker), this.j);
    const action = this.approve ? 'approve' : 'decline';
    const here = await call(r, 'POST', `/v1/b/${attacker.business}/estimates/${estimate.id}/${action}`, attacker.session!, {});
    expect(here.status).toBe(404);
    const missing = await call(r, 'POST', `/v1/b/${attacker.business}/estimates/est_missing0000000000/${action}`, attacker.session!, {});
    expect(await here.text()).toBe(await missing.text());
    if (owner.business !== attacker.business) {
      const there = await call(r, 'POST', `/v1/b/${owner.business}/estimates/${estimate.id}/${action}`, attacker.session!, {});
      expect(there.status).toBe(401);
    }
    const read = await call(r, 'GET', `/v1/b/${attacker.business}/estimates/${estimate.id}`, attacker.session!);
    expect(read.status).toBe(404);
    await verifyAll(m, r);
  }
  toString = () => `DecideOthers(${this.i}, ${this.j}, ${this.approve ? 'approve' : 'decline'})`;
}

class SendMessage implements Cmd {
  constructor(readonly i: number, readonly kind: 'other' | 'new_appointment' | 'reschedule', readonly j: number) {}
  check = (m: Model) => signedIn(m).length > 0;
  async run(m: Model, r: Real) {
    const c = pick(signedIn(m), this.i);
    if (!m.messaging[c.business]) {
      await expectJson(r.h.admin('PATCH', '/v1/admin/settings', { messagingEnabled: true }, r.keys[c.business]), 200);
      m.messaging[c.business] = true;
    }
    const body: Record<string, unknown> = { kind: this.kind, body: `Message ${++m.seq} from ${c.name}`, preferredTimes: [`After 3pm, ${c.name}`] };
    let expected = 201;
    if (this.kind === 'reschedule') {
      const mine = c.appointments.filter((a) => isUpcoming(a, m.now) && a.status !== 'canceled');
      if (mine.length) {
        body.appointmentId = pick(mine, this.j).id;
      } else {
        // Nothing of theirs to move: someone else's appointment (maybe at another business) is refused.
        const others = m.customers.filter((o) => o !== c).flatMap((o) => o.appointments);
        body.appointmentId = others.length ? pick(others, this.j).id : 'apt_missing0000000000';
        expected = 400;
      }
    }
    const res = await call(r, 'POST', `/v1/b/${c.business}/messages`, c.session!, body);
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(expected);
    if (expected === 201) c.messages.push({ id: json.id, createdAt: m.now, replies: [] });
    else expect(json.error.code).toBe('invalid_appointment');
    await verifyAll(m, r);
  }
  toString = () => `SendMessage(${this.i}, ${this.kind}, ${this.j})`;
}

/** Staff reply to a message; staff of another business trying the same id get the missing 404. */
class StaffReply implements Cmd {
  constructor(readonly i: number, readonly wrongBusiness: BizId) {}
  check = (m: Model) => allMessages(m).length > 0;
  async run(m: Model, r: Real) {
    const { owner, message } = pick(allMessages(m), this.i);
    if (this.wrongBusiness !== owner.business) {
      const res = await r.h.admin('POST', `/v1/admin/messages/${message.id}/replies`, { body: `Intruder reply to ${owner.name}` }, r.keys[this.wrongBusiness]);
      expect(res.status).toBe(404);
    }
    const replied = await expectJson(r.h.admin('POST', `/v1/admin/messages/${message.id}/replies`, { body: `Reply ${++m.seq} to ${owner.name}` }, r.keys[owner.business]), 201);
    const added = (replied.replies as { id: string }[]).filter((x) => !message.replies.some((known) => known.id === x.id));
    expect(added).toHaveLength(1);
    message.replies.push({ id: added[0]!.id, createdAt: m.now });
    await verifyAll(m, r);
  }
  toString = () => `StaffReply(${this.i}, intruder ${this.wrongBusiness})`;
}

class AdvanceClock implements Cmd {
  constructor(readonly hours: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    m.now += this.hours * HOUR;
    r.h.clock.set(m.now);
    await verifyAll(m, r);
  }
  toString = () => `AdvanceClock(${this.hours}h)`;
}

const index = fc.nat({ max: 40 });
const commands = fc.commands(
  [
    fc.tuple(fc.constantFrom(...BUSINESSES), fc.constantFrom(...EMAILS)).map(([b, e]) => new CreateCustomer(b, e)),
    index.map((i) => new SignIn(i)),
    fc
      .tuple(index, fc.integer({ min: -48, max: 48 }), fc.constantFrom('end' as const, 'window' as const, 'bare' as const), fc.constantFrom('scheduled' as const, 'scheduled' as const, 'in_progress' as const, 'completed' as const, 'canceled' as const))
      .map(([i, h, shape, status]) => new CreateAppointment(i, h, shape, status)),
    fc
      .tuple(index, fc.constantFrom('open' as const, 'open' as const, 'paid' as const, 'draft' as const, 'void' as const), fc.integer({ min: 100, max: 50_000 }), fc.constantFrom(0, 0, 50, 1_000_000))
      .map(([i, status, amount, paid]) => new CreateInvoice(i, status, amount, paid)),
    fc.tuple(index, fc.constantFrom(1 as const, 2 as const), fc.option(fc.integer({ min: 1, max: 24 }))).map(([i, n, exp]) => new CreateEstimate(i, n, exp)),
    index.map((i) => new CancelEstimate(i)),
    fc.tuple(index, index, fc.boolean(), fc.boolean()).map(([i, j, a, o]) => new Decide(i, j, a, o)),
    fc.tuple(index, index, fc.boolean()).map(([i, j, a]) => new DecideOthers(i, j, a)),
    fc.tuple(index, fc.constantFrom('other' as const, 'new_appointment' as const, 'reschedule' as const), index).map(([i, k, j]) => new SendMessage(i, k, j)),
    fc.tuple(index, fc.constantFrom(...BUSINESSES)).map(([i, b]) => new StaffReply(i, b)),
    fc.integer({ min: 1, max: 6 }).map((hours) => new AdvanceClock(hours)),
  ],
  // size 'max': runs use the whole 25-command budget rather than a few commands each.
  { maxCommands: 25, size: 'max' },
);

describe('tenant isolation, model-based (SECURITY T2)', () => {
  it('shows each (business, customer) exactly their own data, whatever the other businesses and customers do', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const h = await createHarness();
        try {
          const cobalt = await createBusiness(h.deps, { id: 'cobalt', name: 'Cobalt Electric', ownerEmail: 'owner@cobalt.test' });
          const real: Real = { h, keys: { acme: h.keyA, bravo: h.keyB, cobalt: cobalt.apiKey.key } };
          const model: Model = { now: h.clock.now(), seq: 0, customers: [], messaging: { acme: false, bravo: false, cobalt: false } };
          // Every run starts with one email that is a customer at all three businesses, signed in at two.
          for (const business of BUSINESSES) await addCustomer(model, real, business, EMAILS[0]!);
          await signInModel(real, model.customers[0]!);
          await signInModel(real, model.customers[1]!);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // At the end: every customer signed in, everything checked once more, sessions refused elsewhere.
          for (const c of model.customers) if (!c.session) await signInModel(real, c);
          await verifyAll(model, real);
          for (const c of model.customers) await verifyRefusedElsewhere(real, c);
        } finally {
          h.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
