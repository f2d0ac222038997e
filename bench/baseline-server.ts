// The practical ceiling the API benchmark compares Doorstep with: the same four endpoints written
// with raw `node:http` and raw prepared better-sqlite3 statements — no framework, no ORM, no
// validation library — on a copy of the same database opened with the same pragmas. The reads do
// the same work (business lookup, session check by SHA-256 of the bearer token, the same queries)
// and answer the same bytes as Doorstep (bench/api.ts checks that before measuring); the writes do
// the same transactions with the same rows. Not a product: only for `npm run bench:api`.
//
//   tsx bench/baseline-server.ts <database> <port>
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
// Times written as Doorstep writes them, so both spend the same on them and the ratio is the framework's.
import { iso } from '../server/src/lib/iso';

const [dbPath, portArg] = process.argv.slice(2);
if (!dbPath || !portArg) {
  console.error('usage: tsx bench/baseline-server.ts <database> <port>');
  process.exit(2);
}

const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
db.pragma('synchronous = FULL');
db.pragma('secure_delete = ON');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** The columns a customer's appointment is shown with, as Doorstep reads them. */
const shown = 'id, starts_at, ends_at, arrival_window_minutes, description, address, technicians, status, created_at, updated_at';

const q = {
  business: db.prepare('select * from businesses where id = ?'),
  session: db.prepare('select * from sessions where business_id = ? and token_hash = ?'),
  apiKey: db.prepare('select business_id from api_keys where hash = ? and revoked_at is null'),
  upcoming: db.prepare(
    `select ${shown} from appointments where business_id = ? and customer_id = ?
       and coalesce(ends_at, starts_at + coalesce(arrival_window_minutes, 0) * 60000) >= ? and status <> 'completed'
     order by starts_at asc, id asc limit ?`,
  ),
  unpaid: db.prepare(
    `select currency, count(*) as count, sum(total - amount_paid) as amount from invoices
     where business_id = ? and customer_id = ? and status = 'open' and total - amount_paid > 0 group by currency`,
  ),
  openEstimates: db.prepare(
    `select count(*) as count from estimates where business_id = ? and customer_id = ? and status = 'open' and (expires_at is null or expires_at > ?)`,
  ),
  next: db.prepare(
    `select ${shown} from appointments where business_id = ? and customer_id = ?
       and coalesce(ends_at, starts_at + coalesce(arrival_window_minutes, 0) * 60000) >= ? and status <> 'completed' and status <> 'canceled'
     order by starts_at asc, id asc limit 1`,
  ),
  rateDelete: db.prepare('delete from rate_limits where key = ? and window_start <= ?'),
  rateWindow: db.prepare('select coalesce(sum(count), 0) as hits, min(window_start) as oldest from rate_limits where key = ?'),
  rateHit: db.prepare('insert into rate_limits (key, window_start, count) values (?, ?, 1) on conflict (key, window_start) do update set count = count + 1'),
  customerByEmail: db.prepare(
    `select e.customer_id as id from customer_emails e join customers c on c.id = e.customer_id
     where e.business_id = ? and e.address = ? and c.disabled = 0 order by e.is_primary desc, c.updated_at desc limit 1`,
  ),
  customer: db.prepare('select * from customers where business_id = ? and id = ?'),
  emails: db.prepare('select address, is_primary from customer_emails where customer_id = ? order by is_primary desc, created_at asc, id asc'),
  supersede: db.prepare(`update link_tokens set used_at = ? where business_id = ? and customer_id = ? and kind = 'login' and used_at is null`),
  insertLink: db.prepare(
    `insert into link_tokens (id, business_id, customer_id, token_hash, kind, email, landing, expires_at, used_at, created_at) values (?, ?, ?, ?, 'login', ?, null, ?, null, ?)`,
  ),
  insertOutbox: db.prepare(
    `insert into email_outbox (id, business_id, kind, to_address, subject, html, text, status, attempts, next_attempt_at, created_at) values (?, ?, 'login_link', ?, ?, ?, ?, 'pending', 0, ?, ?)`,
  ),
  insertCustomer: db.prepare(
    `insert into customers (id, business_id, external_id, name, search_name, phone, addresses, disabled, created_at, updated_at) values (?, ?, null, ?, ?, ?, '[]', 0, ?, ?)`,
  ),
  insertEmail: db.prepare(`insert into customer_emails (id, business_id, customer_id, address, is_primary, created_at) values (?, ?, ?, ?, 1, ?)`),
};

interface Row {
  [column: string]: any;
}

/** Doorstep's customer view of an appointment, key for key. */
function appointment(a: Row) {
  return {
    id: a.id,
    arrivalWindowMinutes: a.arrival_window_minutes,
    description: a.description,
    address: a.address,
    technicians: JSON.parse(a.technicians),
    status: a.status,
    startsAt: iso(a.starts_at),
    endsAt: iso(a.ends_at),
    arrivalWindow: a.arrival_window_minutes === null ? null : { start: iso(a.starts_at), end: iso(a.starts_at + a.arrival_window_minutes * 60_000) },
    createdAt: iso(a.created_at),
    updatedAt: iso(a.updated_at),
  };
}

function send(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    vary: 'Origin',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const error = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, JSON.stringify({ error: { code, message } }));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 100 * 1024) fail(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function businessOf(id: string): Row | undefined {
  const row = q.business.get(id) as Row | undefined;
  if (row) row.allowed_origins = JSON.parse(row.allowed_origins); // as the ORM would
  return row;
}

function sessionOf(req: IncomingMessage, businessId: string, now: number): Row | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer) return undefined;
  const session = q.session.get(businessId, sha256(bearer)) as Row | undefined;
  if (!session || session.idle_expires_at <= now || session.expires_at <= now) return undefined;
  return session;
}

/** A sliding-window hit; call inside a transaction. */
function hit(key: string, windowMs: number, limit: number, now: number): boolean {
  q.rateDelete.run(key, now - windowMs);
  const window = q.rateWindow.get(key) as { hits: number; oldest: number | null };
  if (window.hits >= limit) return false;
  q.rateHit.run(key, now);
  return true;
}

interface PreparedLink {
  customerId: string;
  email: string;
  tokenHash: string;
  subject: string;
  html: string;
  text: string;
}

function prepareLink(customerId: string, email: string, name: string, businessName: string): PreparedLink {
  const token = randomBytes(32).toString('base64url');
  const link = `https://bench.test/portal#portal-token=${token}`;
  const subject = `Your sign-in link for ${businessName}`;
  const text = `Hi ${name},\n\nUse the button below to sign in to your customer portal. The link works for 60 minutes and can be used once.\n\n${link}\n\nIf you didn't ask for this, you can ignore this email.`;
  const html = `<!doctype html><html><body><p>Hi ${name},</p><p>Use the button below to sign in to your customer portal. The link works for 60 minutes and can be used once.</p><p><a href="${link}">Login to Customer Portal</a></p></body></html>`;
  return { customerId, email, tokenHash: sha256(token), subject, html, text };
}

/**
 * The rate-limit hits and the link in one transaction, as Doorstep's store does: the per-IP limit,
 * then the per-email minute and hour windows, each counted only while the ones before allowed.
 * False when the per-IP limit refused.
 */
const requestLink = db.transaction((ip: string, perEmail: string, businessId: string, link: PreparedLink | null, now: number) => {
  if (!hit(`login:ip:${ip}`, MINUTE, 5, now)) return false;
  if (!hit(`${perEmail}:m`, MINUTE, 1, now) || !hit(`${perEmail}:h`, HOUR, 5, now) || !link) return true;
  q.supersede.run(now, businessId, link.customerId);
  q.insertLink.run(newId('lnk'), businessId, link.customerId, link.tokenHash, link.email, now + HOUR, now);
  q.insertOutbox.run(newId('eml'), businessId, link.email, link.subject, link.html, link.text, now, now);
  return true;
});

const createCustomer = db.transaction((businessId: string, name: string, email: string | null, phone: string | null, now: number) => {
  const id = newId('cus');
  q.insertCustomer.run(id, businessId, name, name.toLowerCase(), phone, now, now);
  if (email) q.insertEmail.run(newId('cem'), businessId, id, email, now);
  return id;
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCEPTED = JSON.stringify({ status: 'accepted', message: 'If this email belongs to a customer, a sign-in link is on its way.' });

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://baseline');
  const now = Date.now();
  if (url.pathname === '/health') return send(res, 200, '{"status":"ok"}');

  if (req.method === 'POST' && url.pathname === '/v1/admin/customers') {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const key = match ? (q.apiKey.get(sha256(match[1]!)) as Row | undefined) : undefined;
    if (!key) return error(res, 401, 'unauthorized', 'Send a valid admin API key.');
    const body = JSON.parse(await readBody(req));
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : null;
    if (!name || name.length > 200 || (email !== null && !EMAIL.test(email))) return error(res, 400, 'invalid_body', 'name or email is not valid.');
    const id = createCustomer(key.business_id, name, email, typeof body.phone === 'string' ? body.phone : null, now);
    const row = q.customer.get(key.business_id, id) as Row;
    const emails = (q.emails.all(id) as Row[]).map((e) => ({ address: e.address, primary: e.is_primary === 1 }));
    return send(
      res,
      201,
      JSON.stringify({
        id: row.id,
        externalId: row.external_id,
        name: row.name,
        phone: row.phone,
        addresses: JSON.parse(row.addresses),
        disabled: row.disabled === 1,
        emails,
        email: emails.find((e) => e.primary)?.address ?? null,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      }),
    );
  }

  const widget = /^\/v1\/b\/([^/]+)\/(appointments|summary|login-links)$/.exec(url.pathname);
  if (!widget) return error(res, 404, 'not_found', `No route for ${req.method} ${url.pathname}.`);
  const business = businessOf(decodeURIComponent(widget[1]!));
  if (!business) return error(res, 404, 'not_found', 'Business not found.');

  if (widget[2] === 'login-links' && req.method === 'POST') {
    const body = JSON.parse(await readBody(req));
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    if (!EMAIL.test(email) || email.length > 254) return error(res, 400, 'invalid_body', 'email: must be an email address');
    const forwarded = (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0]?.trim() ?? req.socket.remoteAddress ?? 'unknown';
    const found = q.customerByEmail.get(business.id, email) as Row | undefined;
    const customer = found ? (q.customer.get(business.id, found.id) as Row | undefined) : undefined;
    if (customer) q.emails.all(customer.id);
    const link = customer ? prepareLink(customer.id, email, customer.name, business.name) : null;
    if (!requestLink(forwarded, `login:email:${business.id}:${email}`, business.id, link, now)) return error(res, 429, 'rate_limited', 'Too many attempts.');
    return send(res, 202, ACCEPTED);
  }

  if (req.method !== 'GET') return error(res, 404, 'not_found', `No route for ${req.method} ${url.pathname}.`);
  const session = sessionOf(req, business.id, now);
  if (!session) return error(res, 401, 'unauthorized', 'Your session has ended. Please sign in again.');

  if (widget[2] === 'appointments') {
    const limit = Number(url.searchParams.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100 || (url.searchParams.get('when') ?? 'upcoming') !== 'upcoming') {
      return error(res, 400, 'invalid_request', 'limit or when is not valid.');
    }
    const rows = q.upcoming.all(business.id, session.customer_id, now, limit + 1) as Row[];
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    const nextCursor = more && last ? Buffer.from(JSON.stringify([last.starts_at, last.id])).toString('base64url') : null;
    return send(res, 200, JSON.stringify({ data: page.map(appointment), nextCursor }));
  }

  const totals = q.unpaid.all(business.id, session.customer_id) as Row[];
  const open = q.openEstimates.get(business.id, session.customer_id, now) as Row;
  const next = q.next.get(business.id, session.customer_id, now) as Row | undefined;
  return send(
    res,
    200,
    JSON.stringify({
      unpaidInvoices: { count: totals.reduce((n, t) => n + Number(t.count), 0), totals: totals.map((t) => ({ currency: t.currency, amount: Number(t.amount) })) },
      openEstimates: Number(open.count),
      nextAppointment: next ? appointment(next) : null,
    }),
  );
}

const server = createServer((req, res) => {
  handle(req, res).catch((e: unknown) => {
    console.error(e);
    if (!res.headersSent) error(res, 500, 'internal_error', 'Something went wrong.');
  });
});
server.listen(Number(portArg), '127.0.0.1', () => console.log(`baseline listening on http://127.0.0.1:${portArg}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
