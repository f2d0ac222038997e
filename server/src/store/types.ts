// The store: everything services may ask of the database, named after what the product does.
// Methods are async and each write is one transaction inside, so a PostgreSQL store can stand
// beside the SQLite one (SPEC §8). Services never build SQL or open transactions themselves.
import type * as schema from '../db/schema';
import type { NewWebhookEvent, WebhookEventType } from './webhook-events';
import type { ConsoleStore } from './console-types';

export type Business = typeof schema.businesses.$inferSelect;
export type Staff = typeof schema.staff.$inferSelect;
export type ApiKey = Omit<typeof schema.apiKeys.$inferSelect, 'hash'>;
export type CustomerRow = typeof schema.customers.$inferSelect;
export type Appointment = typeof schema.appointments.$inferSelect;
/** An appointment as its customer reads it: without the business's, the customer's and the external ids. */
export type CustomerAppointment = Omit<Appointment, 'businessId' | 'customerId' | 'externalId'>;
export type Invoice = typeof schema.invoices.$inferSelect;
export type Estimate = typeof schema.estimates.$inferSelect;
export type OutboxEmail = typeof schema.emailOutbox.$inferSelect;
export type DevMail = typeof schema.devMailbox.$inferSelect;
export type { LineItem, EstimateOption, PostalAddress } from '../db/schema';

export interface CustomerEmail {
  address: string;
  primary: boolean;
}

export type Customer = Omit<CustomerRow, 'searchName'> & { emails: CustomerEmail[] };

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string | undefined;
  limit: number;
}

export type BusinessSettings = Omit<Business, 'id' | 'createdAt' | 'updatedAt' | 'stripeAccountId'>;

export interface NewBusiness {
  id: string;
  name: string;
  portalUrl?: string | undefined;
  allowedOrigins?: string[] | undefined;
  ownerEmail?: string | undefined;
  apiKey: { id: string; prefix: string; hash: string };
}

export interface CustomerFields {
  name: string;
  emails: CustomerEmail[];
  phone: string | null;
  addresses: schema.PostalAddress[];
  externalId: string | null;
  disabled: boolean;
}

export type AppointmentFields = Omit<Appointment, 'id' | 'businessId' | 'createdAt' | 'updatedAt'>;
/** `paidThroughPortal` is set only by a Checkout payment (recordInvoicePayment), never by the business. */
export type InvoiceFields = Omit<Invoice, 'id' | 'businessId' | 'createdAt' | 'updatedAt' | 'sentAt' | 'paidThroughPortal'>;
export type EstimateFields = Omit<Estimate, 'id' | 'businessId' | 'createdAt' | 'updatedAt'>;

export interface NewOutboxEmail {
  id: string;
  businessId: string | null;
  kind: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface NewLinkToken {
  id: string;
  tokenHash: string;
  kind: 'invitation' | 'login' | 'invoice';
  email: string;
  landing: string | null;
  expiresAt: number;
}

export type Session = typeof schema.sessions.$inferSelect;

export interface NewSession {
  id: string;
  tokenHash: string;
  idleExpiresAt: number;
  expiresAt: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** When the window resets; 0 when allowed. */
  retryAfterMs: number;
}

/** One sliding-window limit a request counts a hit against: at most `limit` hits in any `windowMs`. */
export interface RateLimitHit {
  key: string;
  windowMs: number;
  limit: number;
}

/** A login link and the email carrying it, queued for the customer holding the address. */
export interface LoginLinkToIssue {
  customerId: string;
  link: NewLinkToken;
  email: NewOutboxEmail;
}

/** What a login-link request came to; `refusedBy` is null when every limit allowed it. */
export interface LoginLinkOutcome {
  /** The first limit that refused: later limits were not counted and nothing was queued. */
  refusedBy: { key: string; retryAfterMs: number } | null;
  /** Whether a link was queued. */
  issued: boolean;
}

export type ExchangeResult =
  | { status: 'signed_in'; session: Session; customer: Customer; landing: string | null }
  | { status: 'dead'; customer: Customer; email: string; landing: string | null; newerLinkSentTo: string | null }
  | { status: 'unknown' };

export interface NewInvitation {
  id: string;
  customerId: string;
  source: 'single' | 'bulk' | 'auto';
  link: NewLinkToken;
  email: NewOutboxEmail;
  addEmail?: boolean | undefined;
}

export interface InvitationRecord {
  id: string;
  customerId: string;
  email: string;
  source: 'single' | 'bulk' | 'auto';
  createdAt: number;
  expiresAt: number | null;
  usedAt: number | null;
}

export type Message = typeof schema.messages.$inferSelect;
export type MessageReply = typeof schema.messageReplies.$inferSelect;
export type MessageThread = Message & { customerName: string; replies: MessageReply[] };
export type NewMessage = Omit<Message, 'businessId' | 'createdAt'>;
export type NewReply = Omit<MessageReply, 'businessId' | 'createdAt'>;

export interface CustomerSummary {
  unpaidInvoices: { count: number; totals: { currency: string; amount: number }[] };
  openEstimates: number;
  nextAppointment: CustomerAppointment | null;
}

export type EstimateDecision = { status: 'approved'; optionId: string } | { status: 'declined'; reason: string | null };

/** What a change brings with it, written in the same transaction: emails and webhook events. */
export interface SideEffects {
  emails?: NewOutboxEmail[];
  events?: NewWebhookEvent[];
}

/** The result of an upsert by external id: whether a row was created or an existing one updated. */
export interface Upserted<T> {
  value: T;
  created: boolean;
}

export interface CustomerQuery extends PageRequest {
  q?: string | undefined;
}

export interface WorkQuery extends PageRequest {
  customerId?: string | undefined;
}

export type WebhookEndpoint = typeof schema.webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof schema.webhookDeliveries.$inferSelect;

export interface NewWebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  /** Empty means every event type. */
  events: WebhookEventType[];
  description: string | null;
}

/** A claimed delivery with what it takes to send it: where, and the secret to sign with. */
export type ClaimedWebhook = WebhookDelivery & { url: string; secret: string };

/** A Checkout payment that a Stripe event reports, to be checked against the invoice it names. */
export interface InvoicePayment {
  /** The Stripe event reporting it: processed once. */
  eventId: string;
  /** The Checkout Session: it pays (or is recorded against) an invoice at most once. */
  sessionId: string;
  invoiceId: string;
  customerId: string;
  amount: number;
  currency: string;
}

/** `duplicate`: the event or the session was recorded before; nothing changed. */
export type InvoicePaymentOutcome = 'paid' | 'mismatch' | 'duplicate' | 'not_found';

/**
 * A card on file as the local record holds it (detached ones are kept, marked, for good), and
 * whether it is the default its Stripe customer names (stripe_customer_defaults).
 */
export type SavedCard = typeof schema.paymentMethods.$inferSelect & { isDefault: boolean };

/** What may be kept of a card: never more than brand, last 4 and expiry. */
export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
}

/**
 * What Stripe said (in an event, or in answer to our own call) about a customer's cards, as of
 * `asOf` (ms; an event's `created`): the record keeps the newest of what it hears.
 */
export type CardFact =
  | { kind: 'attached'; paymentMethodId: string; stripeCustomerId: string; card: CardDetails; asOf: number }
  | { kind: 'detached'; paymentMethodId: string; stripeCustomerId: string; card?: CardDetails | undefined; asOf: number }
  /** The Stripe customer's default payment method (`invoice_settings.default_payment_method`), or none. */
  | { kind: 'default'; stripeCustomerId: string; paymentMethodId: string | null; asOf: number };

/** Stripe's list of a customer's cards and their default, taken at `asOf`. */
export interface CardSnapshot {
  stripeCustomerId: string;
  cards: { paymentMethodId: string; card: CardDetails }[];
  defaultId: string | null;
  /** False when Stripe had more cards than one page: cards missing from it are not taken as gone. */
  complete: boolean;
  asOf: number;
}

export interface CardChange {
  /**
   * What changed for the business to hear of, e.g. `card-removed:<business>:<payment method>`: one
   * change is recorded (and its notifications sent) once. Absent when there is nothing to tell.
   */
  id?: string | undefined;
  customerId: string;
  /** The Stripe event reporting it, when it came by webhook: processed once. */
  eventId?: string | undefined;
  /** What the record of the customer's cards learns from it. */
  fact?: CardFact | undefined;
}

export interface Store extends ConsoleStore {
  // Businesses, staff and keys
  createBusiness(input: NewBusiness, now: number): Promise<Business>;
  getBusiness(id: string): Promise<Business | undefined>;
  updateBusinessSettings(id: string, patch: Partial<BusinessSettings>, now: number): Promise<Business | undefined>;
  /** Adds a staff member (409 staff_exists when the email already is), with `welcome` queued in the same transaction. */
  addStaff(businessId: string, email: string, role: Staff['role'], now: number, welcome?: NewOutboxEmail): Promise<Staff>;
  createApiKey(businessId: string, key: { id: string; prefix: string; hash: string; name?: string | undefined }, now: number): Promise<ApiKey>;
  /** Revokes a key by its prefix; false when no live key has it. */
  revokeApiKey(prefix: string, now: number): Promise<ApiKey | undefined>;

  // Customers
  listCustomers(businessId: string, query: CustomerQuery): Promise<Page<Customer>>;
  getCustomer(businessId: string, id: string): Promise<Customer | undefined>;
  /** The customers of this business among `ids` (others are left out). */
  getCustomers(businessId: string, ids: string[]): Promise<Customer[]>;
  /** Creates a customer, or updates the one with the same external id. */
  saveCustomer(businessId: string, id: string, fields: CustomerFields, now: number): Promise<Upserted<Customer>>;
  updateCustomer(businessId: string, id: string, fields: CustomerFields, now: number): Promise<Customer | undefined>;
  deleteCustomer(businessId: string, id: string): Promise<boolean>;

  // Appointments
  listAppointments(businessId: string, query: WorkQuery): Promise<Page<Appointment>>;
  getAppointment(businessId: string, id: string): Promise<Appointment | undefined>;
  /**
   * Schedules a job, or updates the one with the same external id. `invite` is recorded with a new
   * job when the customer holds no unexpired unused invitation (the auto-invite toggle).
   */
  saveAppointment(businessId: string, id: string, fields: AppointmentFields, now: number, invite?: NewInvitation): Promise<Upserted<Appointment>>;
  updateAppointment(businessId: string, id: string, fields: AppointmentFields, now: number): Promise<Appointment | undefined>;
  deleteAppointment(businessId: string, id: string): Promise<boolean>;

  // Invoices
  listInvoices(businessId: string, query: WorkQuery): Promise<Page<Invoice>>;
  getInvoice(businessId: string, id: string): Promise<Invoice | undefined>;
  saveInvoice(businessId: string, id: string, fields: InvoiceFields, now: number): Promise<Upserted<Invoice>>;
  updateInvoice(businessId: string, id: string, fields: InvoiceFields, now: number): Promise<Invoice | undefined>;
  /** Marks the invoice sent (a draft becomes open) and queues its email with the link it carries. */
  sendInvoice(businessId: string, id: string, link: NewLinkToken, email: NewOutboxEmail, now: number): Promise<Invoice | undefined>;

  // Estimates
  listEstimates(businessId: string, query: WorkQuery): Promise<Page<Estimate>>;
  getEstimate(businessId: string, id: string): Promise<Estimate | undefined>;
  saveEstimate(businessId: string, id: string, fields: EstimateFields, now: number): Promise<Upserted<Estimate>>;
  updateEstimate(businessId: string, id: string, fields: EstimateFields, now: number): Promise<Estimate | undefined>;
  /** Cancels an estimate the customer has not decided on; undefined when it is missing or decided. */
  cancelEstimate(businessId: string, id: string, now: number): Promise<Estimate | undefined>;

  // Outbox
  listOutbox(businessId: string | null): Promise<OutboxEmail[]>;
  /**
   * Claims up to `limit` due emails for one worker: each claimed row is locked until
   * `now + lockMs`, so no other worker (or process) takes it meanwhile, and a crashed worker's
   * claims simply lapse.
   */
  claimOutboxBatch(now: number, limit: number, lockMs: number): Promise<OutboxEmail[]>;
  /** Records delivery; `eraseBody` drops the html/text so no link token outlives the send. */
  markEmailSent(id: string, result: { providerMessageId: string | null; eraseBody: boolean }, now: number): Promise<void>;
  /**
   * Makes erased data unrecoverable from disk: with SQLite, freed pages are zeroed (secure_delete)
   * and the write-ahead log holding the old pages is checkpointed and truncated.
   */
  purgeErased(): Promise<void>;
  /** Records a failed attempt: retried at `retryAt`, or given up for good when it is null. */
  markEmailFailed(id: string, error: string, retryAt: number | null, now: number): Promise<void>;

  // Development mailbox
  saveDevMail(mail: DevMail): Promise<void>;
  listDevMail(limit: number): Promise<DevMail[]>;

  // Outgoing webhooks
  createWebhookEndpoint(businessId: string, endpoint: NewWebhookEndpoint, now: number): Promise<WebhookEndpoint>;
  /** Every endpoint of the business, newest first (a business has a handful at most). */
  listWebhookEndpoints(businessId: string): Promise<WebhookEndpoint[]>;
  getWebhookEndpoint(businessId: string, id: string): Promise<WebhookEndpoint | undefined>;
  /** Deletes the endpoint with its deliveries; false when the business has no such endpoint. */
  deleteWebhookEndpoint(businessId: string, id: string): Promise<boolean>;
  /** The endpoint's deliveries, newest first. */
  listWebhookDeliveries(businessId: string, endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>>;
  /**
   * Claims up to `limit` due deliveries to enabled endpoints, as claimOutboxBatch does: each is
   * locked until `now + lockMs` and its attempt counted, so a crashed worker's claims lapse.
   */
  claimWebhookBatch(now: number, limit: number, lockMs: number): Promise<ClaimedWebhook[]>;
  markWebhookDelivered(id: string, statusCode: number, now: number): Promise<void>;
  /** Records a failed attempt: retried at `retryAt`, or given up for good when it is null. */
  markWebhookFailed(id: string, error: string, statusCode: number | null, retryAt: number | null, now: number): Promise<void>;
  /** Queues a test event to one endpoint; undefined when the business has no such endpoint. */
  queueTestWebhook(businessId: string, endpointId: string, now: number): Promise<WebhookDelivery | undefined>;
  /**
   * Pauses an endpoint (from `now`; a paused one keeps its first pause time): it is sent nothing,
   * while its events keep being queued. Undefined when the business has no such endpoint.
   */
  pauseWebhookEndpoint(businessId: string, id: string, now: number): Promise<WebhookEndpoint | undefined>;
  /** Resumes a paused endpoint: what was queued meanwhile is due at once. */
  resumeWebhookEndpoint(businessId: string, id: string): Promise<WebhookEndpoint | undefined>;

  // Sign-in: links, sessions, invitations, rate limits
  /** The enabled customer of this business holding this email, if any. */
  findCustomerByEmail(businessId: string, email: string): Promise<Customer | undefined>;
  /** Counts one hit in the sliding window of `windowMs` ending at `now`; refused (and not counted) once `limit` hits are in it. */
  hitRateLimit(key: string, windowMs: number, limit: number, now: number): Promise<RateLimitResult>;
  /**
   * A login-link request in one transaction (one commit): counts a hit against each of `limits` in
   * order, as hitRateLimit does, stopping at the first that refuses; when none refuses and `issue`
   * is given, queues that link, superseding the customer's older unused login links (not
   * invitations). `issue` is null for an address that is no customer's: its hits count all the same.
   */
  issueLoginLink(businessId: string, limits: RateLimitHit[], issue: LoginLinkToIssue | null, now: number): Promise<LoginLinkOutcome>;
  /**
   * Consumes a link and opens a session in one transaction: only one of any number of concurrent
   * exchanges of a token succeeds. A dead (expired, used or superseded) link is reported with the
   * address it went to, so a fresh one can be sent there.
   */
  exchangeLinkToken(businessId: string, tokenHash: string, session: NewSession, now: number): Promise<ExchangeResult>;
  /** The live session for this token at this business, its idle limit slid forward at most every `refreshMs`. */
  touchSession(businessId: string, tokenHash: string, now: number, idleMs: number, refreshMs: number): Promise<Session | undefined>;
  deleteSession(businessId: string, tokenHash: string): Promise<boolean>;
  /**
   * Records invitations with their links and emails, all or none. Where `addEmail` is set the
   * address is added to the customer first (primary when they had none).
   */
  createInvitations(businessId: string, invitations: NewInvitation[], now: number): Promise<void>;
  listInvitations(businessId: string, customerId: string): Promise<InvitationRecord[]>;

  // The customer's portal (everything scoped by business and customer)
  customerSummary(businessId: string, customerId: string, now: number): Promise<CustomerSummary>;
  /** Upcoming soonest first, past most recent first. */
  listCustomerAppointments(businessId: string, customerId: string, when: 'upcoming' | 'past', page: PageRequest, now: number): Promise<Page<CustomerAppointment>>;
  /** Sent and paid invoices: unpaid first. */
  listCustomerInvoices(businessId: string, customerId: string, page: PageRequest): Promise<Page<Invoice>>;
  getCustomerInvoice(businessId: string, customerId: string, id: string): Promise<Invoice | undefined>;
  /** Never canceled ones: open first, then past. */
  listCustomerEstimates(businessId: string, customerId: string, page: PageRequest, now: number): Promise<Page<Estimate>>;
  getCustomerEstimate(businessId: string, customerId: string, id: string): Promise<Estimate | undefined>;
  /** Approves or declines an open, unexpired estimate once, with its notifications; undefined when it cannot change. */
  decideEstimate(businessId: string, customerId: string, id: string, decision: EstimateDecision, effects: SideEffects, now: number): Promise<Estimate | undefined>;
  createMessage(businessId: string, message: NewMessage, effects: SideEffects, now: number): Promise<void>;
  /** False when the message is not this business's. */
  addReply(businessId: string, reply: NewReply, effects: SideEffects, now: number): Promise<boolean>;
  /** Newest first; of one customer when `customerId` is given. */
  listMessages(businessId: string, page: PageRequest, customerId?: string): Promise<Page<MessageThread>>;
  getMessage(businessId: string, id: string): Promise<MessageThread | undefined>;

  // Payments (Stripe): store/sqlite/payments.ts
  /** Keeps the customer's Stripe customer id unless one is kept already; answers the one kept. */
  setStripeCustomerId(businessId: string, customerId: string, stripeCustomerId: string, now: number): Promise<string | undefined>;
  /** The business whose connected Stripe account this is. */
  getBusinessByStripeAccount(stripeAccountId: string): Promise<Business | undefined>;
  /**
   * The customer holding this Stripe customer id at `businessId`, or, with null, at a business that
   * uses the platform Stripe account directly (no connected account).
   */
  findCustomerByStripeCustomer(businessId: string | null, stripeCustomerId: string): Promise<Customer | undefined>;
  /**
   * Records a Checkout payment reported by a Stripe event, once per event and once per session:
   * the invoice becomes paid (with `effects.paid`) only when it is open and the amount and currency
   * are exactly what is due; otherwise `effects.mismatch` records it. Paid is terminal.
   */
  recordInvoicePayment(businessId: string, payment: InvoicePayment, effects: { paid: SideEffects; mismatch: SideEffects }, now: number): Promise<InvoicePaymentOutcome>;
  /**
   * Records a card-on-file change, once per event: what the record of the customer's cards learns,
   * and the notifications, once per change id. False when the event or the change was recorded before.
   */
  recordCardChange(businessId: string, change: CardChange, effects: SideEffects, now: number): Promise<boolean>;
  /** The customer's cards on file (not detached), newest first: what the portal may show and act on. */
  listSavedCards(businessId: string, customerId: string): Promise<SavedCard[]>;
  /** Brings the record of the customer's cards up to Stripe's list; answers listSavedCards after it. */
  refreshSavedCards(businessId: string, customerId: string, snapshot: CardSnapshot, now: number): Promise<SavedCard[]>;
  /** How many card changes of this customer were recorded: part of the idempotency key of the next one. */
  countCardChanges(businessId: string, customerId: string): Promise<number>;

  /**
   * Resolves once every write made so far is committed; rejects if that commit failed. A write's own
   * promise already waits for its commit; this is for answers built from reads, which may have seen
   * writes of others still being committed (SQLite commits the writes of one turn together).
   */
  settled(): Promise<void>;
  /** Online copy of the whole database to a file. */
  backup(file: string): Promise<void>;
  /** Closes the database; PostgreSQL's pool ends once its queries in flight are done. */
  close(): Promise<void> | void;
}
