// Test doubles for the widget tests: a fake widget API that answers like the server
// (server/src/routes/b, server/src/services/present.ts) and records every request, sample data,
// and helpers that look through shadow roots. Only test files import this module.
import { ContextProvider } from '@lit/context';
import { PortalClient } from '../api/portal-client.js';
import type { Appointment, Customer, Estimate, Invoice, LineItem, Message, PaymentMethod, PublicBusiness, SignedIn, Summary } from '../api/types.js';
import { apiContext } from '../context/api.js';
import { businessContext } from '../context/business.js';
import { portalContext, type PortalShell } from '../context/portal.js';
import { sessionContext, type PortalSession } from '../context/session.js';

/** The API origin elements under test are pointed at (`api=…`); nothing real answers there. */
export const API = 'https://api.doorstep.test';

export interface RecordedRequest {
  method: string;
  url: string;
  /** The path after `/v1/b/:business`, without the query: `''` for the profile, `/sessions`, … */
  path: string;
  business: string;
  query: URLSearchParams;
  body: any;
  authorization: string | null;
  headers: Headers;
  init: RequestInit;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A reply, `'network-error'` (fetch rejects), or a promise of either (to hold a request open). */
export type Answer = Reply | 'network-error';
export type Handler = (request: RecordedRequest) => Answer | Promise<Answer>;

const DAY = 24 * 60 * 60 * 1000;

export function sampleBusiness(overrides: Partial<PublicBusiness> = {}): PublicBusiness {
  return {
    id: 'acme',
    name: 'Acme Plumbing',
    logoUrl: null,
    phone: '+1 555 0100',
    email: 'office@acme.test',
    address: '1 Main St, Springfield',
    brandColor: '#0f766e',
    portalUrl: 'https://acme.test/portal',
    language: 'en',
    features: { payments: false, messaging: false },
    ...overrides,
  };
}

export function sampleCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'cus_1',
    name: 'Dana Rivera',
    email: 'dana@example.com',
    emails: [{ address: 'dana@example.com', primary: true }],
    phone: '+1 555 0199',
    addresses: [{ line1: '12 Elm St', city: 'Springfield' }],
    ...overrides,
  };
}

/** An appointment `days` from now at 08:00 local time. */
export function sampleAppointment(days: number, overrides: Partial<Appointment> = {}): Appointment {
  const start = new Date(Date.now() + days * DAY);
  start.setHours(8, 0, 0, 0);
  const end = new Date(start.getTime() + 2 * 60 * 60 * 1000);
  return {
    id: `apt_${days}`,
    startsAt: start.toISOString(),
    endsAt: null,
    arrivalWindowMinutes: 120,
    arrivalWindow: { start: start.toISOString(), end: end.toISOString() },
    description: 'Water heater install',
    address: '12 Elm St, Springfield',
    technicians: ['Sam Lee', 'Ana Ortiz'],
    status: days >= 0 ? 'scheduled' : 'completed',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

const item = (description: string, quantity: number, unitAmount: number): LineItem => ({ description, quantity, unitAmount, amount: Math.round(quantity * unitAmount) });
const sum = (items: LineItem[]) => items.reduce((total, i) => total + i.amount, 0);
/** `YYYY-MM-DD`, `days` from today. */
const calendarDay = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/**
 * The invoices the fake answers with: `open` (INV-1001, $1,500.00 due in two weeks), `overdue`
 * (INV-1000, partly paid, $112.50 left) and `paid` (INV-0998). Together they match sampleSummary().
 */
export function sampleInvoice(kind: 'open' | 'overdue' | 'paid', overrides: Partial<Invoice> = {}): Invoice {
  const lineItems =
    kind === 'open' ? [item('Water heater, 50 gal', 1, 125000), item('Labor (hours)', 2, 7500)]
    : kind === 'overdue' ? [item('Drain cleaning', 1, 15000)]
    : [item('Leak repair', 1, 24250)];
  const subtotal = sum(lineItems);
  const taxAmount = kind === 'open' ? 10000 : 0;
  const total = subtotal + taxAmount;
  const amountPaid = kind === 'paid' ? total : kind === 'overdue' ? 3750 : 0;
  const sentAt = new Date(Date.now() - (kind === 'paid' ? 40 : kind === 'overdue' ? 30 : 1) * DAY).toISOString();
  return {
    id: { open: 'inv_1001', overdue: 'inv_1000', paid: 'inv_998' }[kind],
    number: { open: 'INV-1001', overdue: 'INV-1000', paid: 'INV-0998' }[kind],
    currency: 'usd',
    lineItems,
    subtotal,
    taxAmount,
    total,
    amountPaid,
    amountDue: total - amountPaid,
    dueDate: calendarDay(kind === 'open' ? 14 : kind === 'overdue' ? -16 : -26),
    status: kind === 'paid' ? 'paid' : 'open',
    sentAt,
    paidAt: kind === 'paid' ? new Date(Date.now() - 35 * DAY).toISOString() : null,
    createdAt: sentAt,
    updatedAt: sentAt,
    ...overrides,
  };
}

/**
 * Estimates: `choice` (EST-201, open, two options), `single` (EST-202, open, one option),
 * `approved` (EST-150), `declined` (EST-140, with a reason), `expired` (EST-120).
 */
export function sampleEstimate(kind: 'choice' | 'single' | 'approved' | 'declined' | 'expired', overrides: Partial<Estimate> = {}): Estimate {
  const option = (id: string, name: string, items: LineItem[], taxAmount = 0) => ({ id, name, lineItems: items, subtotal: sum(items), taxAmount, total: sum(items) + taxAmount });
  const options =
    kind === 'choice'
      ? [
          option('opt_repair', 'Repair the valve', [item('Pressure valve', 1, 18000)], 1440),
          { ...option('opt_replace', 'Replace the heater', [item('Water heater, 50 gal', 1, 140000), item('Installation', 1, 30000)], 13600), description: 'Includes haul-away of the old unit.' },
        ]
      : [option(`opt_${kind}`, kind === 'single' ? 'Annual service' : 'Standard', [item('Service visit', 1, 12000)])];
  const created = new Date(Date.now() - 20 * DAY).toISOString();
  const decided = new Date(Date.now() - 10 * DAY).toISOString();
  const number = { choice: 'EST-201', single: 'EST-202', approved: 'EST-150', declined: 'EST-140', expired: 'EST-120' }[kind];
  return {
    id: `est_${number.slice(4)}`,
    number,
    currency: 'usd',
    options,
    status: kind === 'choice' || kind === 'single' ? 'open' : kind,
    approvedOptionId: kind === 'approved' ? options[0]!.id : null,
    declineReason: kind === 'declined' ? 'We went with a cheaper quote.' : null,
    expiresAt: new Date(Date.now() + (kind === 'expired' ? -5 : 30) * DAY).toISOString(),
    decidedAt: kind === 'approved' || kind === 'declined' ? decided : null,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

export function sampleMessage(n: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `msg_${n}`,
    kind: 'other',
    body: 'Do you service tankless water heaters?',
    appointmentId: null,
    preferredTimes: [],
    createdAt: new Date(Date.now() - n * DAY).toISOString(),
    replies: [],
    ...overrides,
  };
}

export function sampleCard(overrides: Partial<PaymentMethod> = {}): PaymentMethod {
  return { id: 'pm_visa', brand: 'visa', last4: '4242', expMonth: 4, expYear: 2030, isDefault: true, ...overrides };
}

export function sampleSummary(overrides: Partial<Summary> = {}): Summary {
  return {
    unpaidInvoices: { count: 2, totals: [{ currency: 'usd', amount: 161250 }] },
    openEstimates: 1,
    nextAppointment: null,
    ...overrides,
  };
}

const json = (status: number, body?: unknown, headers: Record<string, string> = {}): Reply => ({ status, body, headers });
const apiError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message, ...extra } }, headers);

/** A promise you settle later: hold a fake request open to see the element waiting. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The widget API of one server, in memory. Sign-in links: `good-token` works, tokens in `expired`
 * answer 410 `link_expired`, anything else 401 `invalid_link`. A session is valid while its token
 * is in `sessions`. `on()` replaces any route's answer.
 */
export class FakeApi {
  readonly requests: RecordedRequest[] = [];
  /** Requests not answered yet. */
  inFlight = 0;
  business = sampleBusiness();
  customer = sampleCustomer();
  summary = sampleSummary();
  appointments: Record<'upcoming' | 'past', Appointment[]> = {
    upcoming: [sampleAppointment(1), sampleAppointment(8, { id: 'apt_8', arrivalWindowMinutes: null, arrivalWindow: null, description: 'Annual boiler service', technicians: ['Sam Lee'] })],
    past: [sampleAppointment(-30, { id: 'apt_p1', description: 'Leak repair' }), sampleAppointment(-60, { id: 'apt_p2', status: 'canceled', description: 'Drain cleaning' })],
  };
  validTokens = new Set(['good-token']);
  expired = new Map<string, { maskedEmail: string | null; resent: boolean }>();
  sessions = new Set<string>();
  /** The session token the next successful sign-in returns. */
  nextSession = 'session-token';
  landing: SignedIn['landing'] = null;
  /** Unpaid first, as the server lists them. */
  invoices: Invoice[] = [sampleInvoice('open'), sampleInvoice('overdue'), sampleInvoice('paid')];
  /** Open first, as the server lists them. */
  estimates: Estimate[] = [sampleEstimate('choice'), sampleEstimate('single'), sampleEstimate('approved'), sampleEstimate('declined'), sampleEstimate('expired')];
  /** Newest first. */
  messages: Message[] = [
    sampleMessage(1, {
      kind: 'reschedule',
      body: 'Could we move it to Friday?\nMornings are best.',
      appointmentId: 'apt_1',
      preferredTimes: ['Friday morning', 'Monday after 3 pm'],
      replies: [{ id: 'rep_1', body: 'Friday at 9 works. See you then!', createdAt: new Date().toISOString() }],
    }),
    sampleMessage(3),
  ];
  cards: PaymentMethod[] = [sampleCard(), sampleCard({ id: 'pm_mc', brand: 'mastercard', last4: '4444', expMonth: 12, expYear: 2029, isDefault: false })];
  private readonly overrides = new Map<string, Handler>();

  /** Answers `METHOD path` (e.g. `POST /login-links`, `GET ` for the profile) with `answer` from now on. */
  on(route: string, answer: Handler | Answer): this {
    this.overrides.set(route, typeof answer === 'function' ? answer : () => answer);
    return this;
  }

  /** Requests to one route (`METHOD path`). */
  calls(route: string): RecordedRequest[] {
    return this.requests.filter((r) => `${r.method} ${r.path}` === route);
  }

  /** A fetch for `/v1/b/` URLs; other URLs go to the real network. */
  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const match = /\/v1\/b\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) return realFetch(input, init);
    const headers = new Headers(init.headers);
    const request: RecordedRequest = {
      method: (init.method ?? 'GET').toUpperCase(),
      url: url.href,
      path: match[2] ?? '',
      business: decodeURIComponent(match[1]!),
      query: url.searchParams,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: headers.get('Authorization'),
      headers,
      init,
    };
    this.requests.push(request);
    const signal = init.signal;
    const aborted = () => new DOMException('The operation was aborted.', 'AbortError');
    if (signal?.aborted) throw aborted();
    this.inFlight++;
    let answer: Answer;
    try {
      answer = await Promise.race([
        Promise.resolve(this.answer(request)),
        new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(aborted()))),
      ]);
    } finally {
      this.inFlight--;
    }
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    const body = answer.status === 204 || answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status, headers: { 'Content-Type': 'application/json', ...answer.headers } });
  };

  /** Puts this fake in front of `win.fetch` until the returned function is called. */
  install(win: Window & typeof globalThis = window): () => void {
    const original = win.fetch;
    win.fetch = this.fetch;
    return () => {
      win.fetch = original;
    };
  }

  /** A client of this fake, for views tested without the shell. */
  client(token = this.nextSession): PortalClient {
    this.sessions.add(token);
    return new PortalClient({ base: API, business: this.business.id, token: () => token, fetch: this.fetch });
  }

  /** Invoices, estimates, messages and cards, as server/src/routes/b answers them; undefined for other routes. */
  private answerPortal(request: RecordedRequest, unauthorized: Reply | null): Answer | undefined {
    const [, resource, id, action] = request.path.split('/');
    const route = `${request.method} ${resource}${id ? '/:id' : ''}${action ? `/${action}` : ''}`;
    const page = (data: unknown[]) => json(200, { data, nextCursor: null });
    const missing = apiError(404, 'not_found', 'Not found.');
    const invoice = this.invoices.find((i) => i.id === id);
    const estimate = this.estimates.find((e) => e.id === id);
    const decide = (changes: Partial<Estimate>) => {
      if (!estimate) return missing;
      if (estimate.status === 'expired') return apiError(409, 'estimate_expired', `Estimate ${estimate.number} has expired. Please contact us for a new one.`);
      if (estimate.status !== 'open') return apiError(409, 'estimate_not_open', `Estimate ${estimate.number} was already ${estimate.status}.`);
      const decided = { ...estimate, ...changes, decidedAt: new Date().toISOString() };
      this.estimates = this.estimates.map((e) => (e === estimate ? decided : e));
      return json(200, decided);
    };
    const known = [
      'GET invoices', 'GET invoices/:id', 'POST invoices/:id/checkout', 'GET estimates', 'GET estimates/:id', 'POST estimates/:id/approve',
      'POST estimates/:id/decline', 'GET messages', 'POST messages', 'GET payment-methods', 'POST payment-methods/setup',
      'POST payment-methods/:id/default', 'DELETE payment-methods/:id',
    ];
    if (!known.includes(route)) return undefined;
    if (unauthorized) return unauthorized;
    switch (route) {
      case 'GET invoices':
        return page(this.invoices);
      case 'GET invoices/:id':
        return invoice ? json(200, invoice) : missing;
      case 'POST invoices/:id/checkout':
        if (!invoice) return missing;
        if (!this.business.features.payments) return apiError(409, 'payments_disabled', `${this.business.name} does not take online payments.`);
        if (invoice.status === 'paid') return apiError(409, 'invoice_paid', `Invoice ${invoice.number} is already paid.`);
        if (invoice.amountDue <= 0) return apiError(409, 'nothing_due', `Invoice ${invoice.number} has nothing left to pay.`);
        return json(200, { url: `https://checkout.stripe.test/pay/${invoice.id}` });
      case 'GET estimates':
        return page(this.estimates);
      case 'GET estimates/:id':
        return estimate ? json(200, estimate) : missing;
      case 'POST estimates/:id/approve': {
        const optionId: string | undefined = request.body?.optionId;
        const option = optionId ? estimate?.options.find((o) => o.id === optionId) : estimate?.options.length === 1 ? estimate.options[0] : undefined;
        if (estimate?.status === 'open' && !option) return apiError(400, optionId ? 'invalid_option' : 'option_required', 'Choose an option.');
        return decide({ status: 'approved', approvedOptionId: option?.id ?? null });
      }
      case 'POST estimates/:id/decline':
        return decide({ status: 'declined', declineReason: request.body?.reason ?? null });
      case 'GET messages':
        return page(this.messages);
      case 'POST messages': {
        if (!this.business.features.messaging) return apiError(403, 'messaging_disabled', `${this.business.name} does not take messages through the portal.`);
        const { kind, body, appointmentId = null, preferredTimes = [] } = request.body ?? {};
        if (appointmentId && !this.appointments.upcoming.some((a) => a.id === appointmentId)) {
          return apiError(400, 'invalid_appointment', 'appointmentId: not one of your upcoming appointments.');
        }
        const message: Message = { id: `msg_new_${this.messages.length}`, kind, body, appointmentId, preferredTimes, createdAt: new Date().toISOString(), replies: [] };
        this.messages = [message, ...this.messages];
        return json(201, message);
      }
      case 'GET payment-methods':
        return page(this.cards);
      case 'POST payment-methods/setup':
        return json(200, { url: 'https://checkout.stripe.test/setup/cs_1' });
      case 'POST payment-methods/:id/default':
        if (!this.cards.some((c) => c.id === id)) return missing;
        this.cards = this.cards.map((c) => ({ ...c, isDefault: c.id === id }));
        return page(this.cards);
      default: // DELETE payment-methods/:id
        if (!this.cards.some((c) => c.id === id)) return missing;
        this.cards = this.cards.filter((c) => c.id !== id);
        return json(204);
    }
  }

  private answer(request: RecordedRequest): Answer | Promise<Answer> {
    const override = this.overrides.get(`${request.method} ${request.path}`);
    if (override) return override(request);
    const signedIn = request.authorization !== null && this.sessions.has(request.authorization.replace(/^Bearer /, ''));
    const unauthorized = apiError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
    switch (`${request.method} ${request.path}`) {
      case 'GET ':
        return json(200, this.business);
      case 'POST /login-links':
        return json(202, { status: 'accepted', message: 'If this email belongs to a customer, a sign-in link is on its way.' });
      case 'POST /sessions': {
        const token = String(request.body?.token);
        if (this.validTokens.has(token)) {
          this.validTokens.delete(token);
          this.sessions.add(this.nextSession);
          const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
          return json(201, { session: { token: this.nextSession, expiresAt, idleExpiresAt: expiresAt }, customer: this.customer, landing: this.landing });
        }
        const dead = this.expired.get(token);
        if (dead) return apiError(410, 'link_expired', 'That link has expired.', dead);
        return apiError(401, 'invalid_link', 'This sign-in link is not valid. Enter your email to get a new one.');
      }
      case 'DELETE /session':
        if (!signedIn) return unauthorized;
        this.sessions.delete(request.authorization!.replace(/^Bearer /, ''));
        return json(204);
      case 'GET /me':
        return signedIn ? json(200, this.customer) : unauthorized;
      case 'GET /summary':
        return signedIn ? json(200, this.summary) : unauthorized;
      case 'GET /appointments': {
        if (!signedIn) return unauthorized;
        const when = request.query.get('when') === 'past' ? 'past' : 'upcoming';
        return json(200, { data: this.appointments[when], nextCursor: null });
      }
      default:
        return this.answerPortal(request, signedIn ? null : unauthorized) ?? apiError(404, 'not_found', `No route for ${request.method} ${request.path}.`);
    }
  }
}

const realFetch: typeof fetch = window.fetch.bind(window);

export const replies = { json, apiError };

// These helpers also look into iframes (the built-bundle tests), where `instanceof Element` is
// false: they test node types instead.
const isElement = (node: Node): node is Element => node.nodeType === Node.ELEMENT_NODE;

/** Every element matching `selector` in `root` and in the shadow roots below it, in document order. */
export function findAll<E extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): E[] {
  const found: E[] = [];
  const visit = (node: Element | ShadowRoot | Document) => {
    for (const element of node.querySelectorAll('*')) {
      if (element.matches(selector)) found.push(element as E);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  if (isElement(root) && root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return found;
}

/** The first element matching `selector` through shadow roots; throws when there is none. */
export function find<E extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): E {
  const [first] = findAll<E>(root, selector);
  if (!first) throw new Error(`nothing matches ${selector}`);
  return first;
}

/** The first element matching `selector` through shadow roots, or undefined. */
export function maybeFind<E extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): E | undefined {
  return findAll<E>(root, selector)[0];
}

/**
 * The text a person would read: text nodes of the element and its shadow roots, a space between
 * elements, whitespace collapsed. (innerText stops at shadow roots.)
 */
export function textOf(root: Element | ShadowRoot): string {
  const parts: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    if (isElement(node) && (node.hasAttribute('hidden') || node.localName === 'style')) return;
    if (isElement(node)) parts.push(' ');
    if (isElement(node) && node.shadowRoot) visit(node.shadowRoot);
    for (const child of node.childNodes) visit(child);
    if (isElement(node)) parts.push(' ');
  };
  visit(root);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Visible elements under `root` (through shadow roots) that stick out of its box sideways: what a narrow phone would have to scroll to. */
export function overflowing(root: Element): Element[] {
  const box = root.getBoundingClientRect();
  return findAll(root, '*').filter((element) => {
    const rect = element.getBoundingClientRect();
    return rect.width > 1 && (rect.right > box.right + 0.5 || rect.left < box.left - 0.5);
  });
}

/** Records the pages the document tries to go to (e.g. `location.assign(url)` to Stripe) and stops it going. */
export function captureNavigation(): { urls: string[]; stop: () => void } {
  const urls: string[] = [];
  const listener = (event: NavigateEvent) => {
    urls.push(event.destination.url);
    event.preventDefault();
  };
  navigation.addEventListener('navigate', listener);
  return { urls, stop: () => navigation.removeEventListener('navigate', listener) };
}

/** The element focus is on, looking through shadow roots. */
export function deepActiveElement(doc: Document = document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}


/**
 * Waits until the fake API has answered everything asked and every element under `root` has
 * rendered, twice in a row (an answer often causes another request). Gives up quietly after a
 * while, e.g. when a test holds a request open on purpose.
 */
export async function settle(root: Element, api?: FakeApi): Promise<void> {
  for (let calm = 0, rounds = 0; calm < 2 && rounds < 100; rounds++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const elements = [root, ...findAll(root, '*')].filter((e): e is Element & { updateComplete: Promise<unknown> } => 'updateComplete' in e);
    await Promise.all(elements.map((e) => e.updateComplete));
    calm = api && api.inFlight > 0 ? 0 : calm + 1;
  }
}

export interface Provided {
  api?: PortalClient;
  session?: PortalSession;
  business?: PublicBusiness;
  shell?: Partial<PortalShell>;
}

/**
 * Makes `host` provide the portal's contexts to what is put inside it, as <portal-app> does:
 * how a view is tested without the shell. Returns the shell's provider, to change what it gives.
 */
export function provideContexts(host: HTMLElement, provided: Provided): { shell: ContextProvider<typeof portalContext> } {
  new ContextProvider(host, { context: apiContext, initialValue: provided.api });
  new ContextProvider(host, { context: sessionContext, initialValue: provided.session });
  new ContextProvider(host, { context: businessContext, initialValue: provided.business });
  const shell = new ContextProvider(host, {
    context: portalContext,
    initialValue: { summary: undefined, navigate: () => {}, refreshSummary: () => {}, ...provided.shell },
  });
  return { shell };
}
