// Bulk invitations too large to send in one request (SPEC §4.2 at hundreds or thousands of
// customers): the request records a job and answers 202 at once; a worker sends the invitations in
// chunks of CHUNK_SIZE, each chunk committed together with the job's progress, yielding to the event
// loop between chunks so the server keeps answering. A restart resumes after the last committed chunk.
import { newId } from '../lib/crypto';
import { notFound } from '../lib/errors';
import { nextTurn } from '../lib/poller';
import type { BulkChunk, BulkJob } from '../store/console-types';
import type { Customer } from '../store/types';
import { prepareInvitation } from './auth';
import type { Deps } from './deps';
import { getBusinessOrThrow } from './settings';
import { iso } from '../lib/iso';

/** Selections up to this size are sent within the request; larger ones become a job. */
export const BULK_SYNC_LIMIT = 100;
export const BULK_CHUNK_SIZE = 50;
/** How long a worker's claim on a job lasts without progress (a crashed worker's job is resumed after it). */
export const BULK_LOCK_MS = 30_000;

export function presentBulkJob(job: BulkJob) {
  return {
    jobId: job.id,
    status: job.status,
    total: job.total,
    processed: job.processed,
    invited: job.invited,
    skippedNoEmail: job.skippedNoEmail,
    skippedDisabled: job.skippedDisabled,
    notFound: job.notFound,
    error: job.status === 'failed' ? 'The invitations could not all be sent; the ones counted in "invited" were.' : null,
    createdAt: iso(job.createdAt),
    finishedAt: iso(job.finishedAt),
  };
}

export async function startBulkInvitation(deps: Deps, businessId: string, customerIds: string[]): Promise<BulkJob> {
  await getBusinessOrThrow(deps, businessId);
  return deps.store.createBulkJob(businessId, newId('bij'), [...new Set(customerIds)], deps.clock.now());
}

export async function getBulkJobOrThrow(deps: Deps, businessId: string, id: string): Promise<BulkJob> {
  const job = await deps.store.getBulkJob(businessId, id);
  if (!job) throw notFound('Bulk invitation job');
  return job;
}

const primaryEmail = (customer: Customer) => customer.emails.find((e) => e.primary)?.address;

export interface BulkRunOptions {
  chunkSize?: number;
  /** Between chunks; by default a turn of the event loop (setImmediate). */
  pause?: () => Promise<void>;
  /** Asked between chunks: true stops the run (the job is resumed by the next claim). */
  stopping?: () => boolean;
}

/**
 * Claims one job and works through it chunk by chunk. Answers whether a job was found, so a caller
 * looks for another straight away. A chunk another worker already recorded is never sent twice.
 */
export async function runBulkJob(deps: Deps, options: BulkRunOptions = {}): Promise<{ found: boolean; jobId?: string }> {
  const chunkSize = options.chunkSize ?? BULK_CHUNK_SIZE;
  const pause = options.pause ?? nextTurn;
  const job = await deps.store.claimBulkJob(deps.clock.now(), BULK_LOCK_MS);
  if (!job) return { found: false };
  try {
    const business = await getBusinessOrThrow(deps, job.businessId);
    let from = job.processed;
    while (from < job.total) {
      if (options.stopping?.()) return { found: true, jobId: job.id };
      const ids = job.customerIds.slice(from, from + chunkSize);
      const found = new Map((await deps.store.getCustomers(job.businessId, ids)).map((c) => [c.id, c]));
      const chunk: BulkChunk = { from, count: ids.length, invitations: [], skippedNoEmail: [], skippedDisabled: [], notFound: [] };
      for (const id of ids) {
        const customer = found.get(id);
        const to = customer && primaryEmail(customer);
        if (!customer) chunk.notFound.push(id);
        else if (customer.disabled) chunk.skippedDisabled.push({ id, name: customer.name });
        else if (!to) chunk.skippedNoEmail.push({ id, name: customer.name });
        else chunk.invitations.push(prepareInvitation(deps, business, customer, to, 'bulk'));
      }
      const now = deps.clock.now();
      if (!(await deps.store.recordBulkChunk(job.id, chunk, now + BULK_LOCK_MS, now))) return { found: true, jobId: job.id };
      from += ids.length;
      await pause();
    }
  } catch (error) {
    await deps.store.failBulkJob(job.id, error instanceof Error ? error.message : String(error), deps.clock.now());
    throw error;
  }
  return { found: true, jobId: job.id };
}
