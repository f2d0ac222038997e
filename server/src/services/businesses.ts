// What the operator does from the command line: businesses, their staff and admin API keys.
import { z } from 'zod';
import { newApiKey, newId } from '../lib/crypto';
import { AppError } from '../lib/errors';
import { describeIssues } from '../lib/validate';
import { emailAddress } from '../schemas/admin';
import type { Deps } from './deps';

const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'must be 1–48 lower-case letters, digits or hyphens, e.g. acme-plumbing');

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be an exact origin such as https://www.example.com');

export const newBusinessInput = z.strictObject({
  id: slug,
  name: z.string().trim().min(1, 'must not be empty').max(120),
  portalUrl: z.url({ protocol: /^https?$/ }).optional(),
  origins: z.array(origin).max(20).default([]),
  ownerEmail: emailAddress.optional(),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError(400, 'invalid_arguments', describeIssues(result.error));
  return result.data;
}

export async function createBusiness(deps: Deps, input: z.input<typeof newBusinessInput>) {
  const { id, name, portalUrl, origins, ownerEmail } = parse(newBusinessInput, input);
  const key = newApiKey();
  // The portal's own origin may always embed it.
  const allowedOrigins = [...new Set([...(portalUrl ? [new URL(portalUrl).origin] : []), ...origins])];
  const business = await deps.store.createBusiness(
    { id, name, portalUrl, allowedOrigins, ownerEmail, apiKey: { id: newId('key'), prefix: key.prefix, hash: key.hash } },
    deps.clock.now(),
  );
  return { business, apiKey: { key: key.key, prefix: key.prefix } };
}

export async function createApiKey(deps: Deps, businessId: string, name?: string) {
  await requireBusiness(deps, businessId);
  const key = newApiKey();
  const stored = await deps.store.createApiKey(businessId, { id: newId('key'), prefix: key.prefix, hash: key.hash, name }, deps.clock.now());
  return { key: key.key, prefix: stored.prefix, businessId };
}

export async function revokeApiKey(deps: Deps, prefix: string) {
  const revoked = await deps.store.revokeApiKey(prefix, deps.clock.now());
  if (!revoked) throw new AppError(404, 'not_found', `No active API key has the prefix ${prefix}.`);
  return { prefix: revoked.prefix, businessId: revoked.businessId, revokedAt: new Date(revoked.revokedAt!).toISOString() };
}

export async function addStaff(deps: Deps, businessId: string, email: string, role: 'owner' | 'staff' = 'staff') {
  await requireBusiness(deps, businessId);
  const staff = await deps.store.addStaff(businessId, parse(emailAddress, email), role, deps.clock.now());
  return { id: staff.id, businessId, email: staff.email, role: staff.role };
}

async function requireBusiness(deps: Deps, businessId: string) {
  if (!(await deps.store.getBusiness(businessId))) throw new AppError(404, 'not_found', `No business has the id "${businessId}".`);
}
