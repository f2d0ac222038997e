// Sign-in links are built only from the business's registered portal URL (or the hosted page on
// our own public URL), never from request headers; the token rides in the fragment.
import type { Business } from '../store/types';

export function portalBaseUrl(business: Pick<Business, 'id' | 'portalUrl'>, publicUrl: string): string {
  return business.portalUrl ?? `${publicUrl}/p/${encodeURIComponent(business.id)}`;
}

export function signInLink(business: Pick<Business, 'id' | 'portalUrl'>, publicUrl: string, token: string): string {
  const url = new URL(portalBaseUrl(business, publicUrl));
  url.hash = `portal-token=${token}`;
  return url.toString();
}
