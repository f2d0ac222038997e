// What the admin console asks of the store: staff sign-in, the business's staff, API key
// management, the overview's counts and bulk invitation jobs. Part of the Store (store/types.ts extends it).
import type * as schema from '../db/schema';
import type { ApiKey, Business, NewInvitation, NewOutboxEmail, NewSession, Staff } from './types';

export type StaffSession = typeof schema.staffSessions.$inferSelect;
export type BulkJob = typeof schema.bulkInvitationJobs.$inferSelect;
export type { BulkSkipped } from '../db/schema';

export interface StaffMembership {
  staff: Staff;
  business: Business;
}

export interface NewStaffLink {
  id: string;
  tokenHash: string;
  expiresAt: number;
}

export type StaffExchangeResult =
  | { status: 'signed_in'; session: StaffSession; staff: Staff; business: Business }
  | { status: 'dead' }
  | { status: 'unknown' };

export interface SignedInStaff {
  session: StaffSession;
  staff: Staff;
}

/** `last_owner`: the change would leave the business without an owner, so nothing changed. */
export type StaffRoleChange = { status: 'changed'; staff: Staff } | { status: 'last_owner' } | { status: 'not_found' };
export type StaffRemoval = { status: 'removed'; staff: Staff } | { status: 'last_owner' } | { status: 'not_found' };

/** Times are epoch ms; `weekStarts` ascending, each week running to the next (the last to `now`). */
export interface OverviewQuery {
  monthStart: number;
  weekStarts: number[];
  now: number;
}

export interface OverviewCounts {
  customers: number;
  /** Distinct customers ever sent an invitation. */
  customersInvited: number;
  /** Distinct customers who ever signed in to the portal. */
  customersSignedIn: number;
  month: {
    invitationsSent: number;
    signIns: number;
    /** Every invoice that became paid, however: through the portal or marked paid by the business. */
    invoicesPaid: number;
    /** Invoices the customer paid through the portal (Stripe Checkout). */
    invoicesPaidThroughPortal: number;
    /** What those portal payments brought in, per currency. */
    amountCollected: { currency: string; amount: number }[];
    estimatesApproved: number;
  };
  weeks: { start: number; invitations: number; signIns: number; invoicesPaid: number; invoicesPaidThroughPortal: number }[];
}

/** One chunk of a bulk job, recorded with the job's progress in one transaction. */
export interface BulkChunk {
  /** The job's `processed` this chunk starts from: a stale worker's chunk is refused. */
  from: number;
  count: number;
  invitations: NewInvitation[];
  skippedNoEmail: { id: string; name: string }[];
  skippedDisabled: { id: string; name: string }[];
  notFound: string[];
}

export interface ConsoleStore {
  // Staff sign-in
  /** Every business where this email is staff. */
  findStaffByEmail(email: string): Promise<StaffMembership[]>;
  /** Queues a staff sign-in link with its email; the staff member's older unused links stop working. */
  issueStaffLink(businessId: string, staffId: string, link: NewStaffLink, email: NewOutboxEmail, now: number): Promise<void>;
  /** Consumes a live link and opens a session in one transaction (only one of concurrent exchanges wins). */
  exchangeStaffLink(tokenHash: string, session: NewSession, now: number): Promise<StaffExchangeResult>;
  /** The live staff session for this token, its idle limit slid forward at most every `refreshMs`. */
  touchStaffSession(tokenHash: string, now: number, idleMs: number, refreshMs: number): Promise<SignedInStaff | undefined>;
  deleteStaffSession(tokenHash: string): Promise<boolean>;

  // Staff of one business (adding one is Store.addStaff, shared with the operator's command line)
  /** Owners first, then by email. */
  listStaff(businessId: string): Promise<Staff[]>;
  /** Changes a staff member's role, unless that leaves the business without an owner. */
  changeStaffRole(businessId: string, staffId: string, role: Staff['role']): Promise<StaffRoleChange>;
  /** Removes a staff member, their sessions and links with them, unless they are the last owner. */
  removeStaff(businessId: string, staffId: string): Promise<StaffRemoval>;

  // API keys of one business
  listApiKeys(businessId: string): Promise<ApiKey[]>;
  /** Revokes this business's live key with the prefix; undefined when it has none. */
  revokeBusinessApiKey(businessId: string, prefix: string, now: number): Promise<ApiKey | undefined>;
  /** The business of a live key; its last use is recorded at most every `refreshMs`. */
  useApiKey(hash: string, now: number, refreshMs: number): Promise<string | undefined>;

  // Overview
  overview(businessId: string, query: OverviewQuery): Promise<OverviewCounts>;

  // Bulk invitation jobs
  createBulkJob(businessId: string, id: string, customerIds: string[], now: number): Promise<BulkJob>;
  getBulkJob(businessId: string, id: string): Promise<BulkJob | undefined>;
  /** Claims the oldest unfinished job whose claim has lapsed, locking it until `now + lockMs`. */
  claimBulkJob(now: number, lockMs: number): Promise<BulkJob | undefined>;
  /**
   * Records a chunk's invitations and the job's progress together, extending the claim; false (and
   * nothing written) when the job has moved on from `chunk.from`, i.e. another worker took over.
   */
  recordBulkChunk(jobId: string, chunk: BulkChunk, lockedUntil: number, now: number): Promise<boolean>;
  failBulkJob(jobId: string, error: string, now: number): Promise<void>;
}
