// A business's admin API keys as the console manages them: list, create (the key is shown once),
// revoke. Keys are created by services/businesses.ts, shared with the operator's command line.
import { notFound } from '../lib/errors';
import type { ApiKey } from '../store/types';
import { createApiKey } from './businesses';
import type { Deps } from './deps';
import { iso } from '../lib/iso';

/** The last use of a key is written at most this often, not on every request. */
export const API_KEY_USE_REFRESH_MS = 60_000;

export function presentApiKey(key: ApiKey) {
  return {
    prefix: key.prefix,
    name: key.name,
    createdAt: iso(key.createdAt),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
  };
}

export function listApiKeys(deps: Deps, businessId: string) {
  return deps.store.listApiKeys(businessId);
}

export async function createBusinessApiKey(deps: Deps, businessId: string, name: string | undefined) {
  const created = await createApiKey(deps, businessId, name);
  const key = (await deps.store.listApiKeys(businessId)).find((k) => k.prefix === created.prefix)!;
  return { ...presentApiKey(key), key: created.key };
}

export async function revokeBusinessApiKey(deps: Deps, businessId: string, prefix: string) {
  const revoked = await deps.store.revokeBusinessApiKey(businessId, prefix, deps.clock.now());
  if (!revoked) throw notFound('API key');
  return revoked;
}
