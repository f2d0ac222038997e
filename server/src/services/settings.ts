// A business's portal settings and the snippet it pastes into its website.
import type { z } from 'zod';
import { AppError, notFound } from '../lib/errors';
import type { settingsPatch } from '../schemas/admin';
import type { Business } from '../store/types';
import type { Deps } from './deps';
import { portalBaseUrl } from './links';

export async function getBusinessOrThrow(deps: Deps, businessId: string): Promise<Business> {
  const business = await deps.store.getBusiness(businessId);
  if (!business) throw notFound('Business');
  return business;
}

export async function updateSettings(deps: Deps, businessId: string, patch: z.infer<typeof settingsPatch>): Promise<Business> {
  if (patch.paymentsEnabled && !deps.paymentsConfigured) {
    throw new AppError(409, 'payments_not_configured', 'Online payments need Stripe: set STRIPE_SECRET_KEY on the server first.');
  }
  const business = await deps.store.updateBusinessSettings(businessId, patch, deps.clock.now());
  if (!business) throw notFound('Business');
  return business;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function snippet(business: Business, publicUrl: string) {
  const scriptUrl = `${publicUrl}/portal.js`;
  const script = `<script src="${escapeAttribute(scriptUrl)}" async></script>`;
  const id = escapeAttribute(business.id);
  return {
    scriptUrl,
    loginButton: `${script}\n<portal-login business="${id}"></portal-login>`,
    portalPage: `${script}\n<customer-portal business="${id}"></customer-portal>`,
    portalUrl: portalBaseUrl(business, publicUrl),
    hostedPortalUrl: `${publicUrl}/p/${encodeURIComponent(business.id)}`,
  };
}
