// Sign-in links are `{portal URL}#portal-token={token}` (SPEC §3.2). The token is taken out of the
// address bar before anything else happens, above all before any network request (SECURITY L9):
// it must never reach history, bookmarks, screenshots, a Referer or a request URL.

const PARAM = 'portal-token';

/**
 * Removes `portal-token=…` from the location's fragment with `history.replaceState` (other
 * fragment parameters stay) and returns the token, or null when there is none.
 */
export function takePortalToken(loc: Location = location, hist: History = history): string | null {
  const parts = loc.hash.replace(/^#/, '').split('&');
  const ours = parts.find((part) => part.startsWith(`${PARAM}=`));
  if (ours === undefined) return null;

  const rest = parts.filter((part) => part && part !== ours).join('&');
  try {
    hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
  } catch {
    // replaceState can be refused (sandboxed documents); a fragment navigation still clears it.
    loc.hash = rest;
  }

  // Tokens are base64url: nothing to decode.
  return ours.slice(PARAM.length + 1) || null;
}

let captured: string | null = null;

/** Called as portal.js starts, so the token leaves the address bar before anything can make a request. */
export function capturePortalToken(): void {
  captured = takePortalToken() ?? captured;
}

/** For the `<customer-portal>` that connects: a token in the address bar now, else the one captured at start; each is handed out once. */
export function claimPortalToken(): string | null {
  const token = takePortalToken() ?? captured;
  captured = null;
  return token;
}
