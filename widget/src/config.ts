// Where the widget's API and its lazily loaded portal chunk live: by default next to portal.js.
// document.currentScript is only set while the script first runs, so it is read once, here.
import { VERSION } from './internal/version.js';

const script = document.currentScript as HTMLScriptElement | null;
const scriptUrl = new URL(script?.src || '/portal.js', location.href);

/** Origin of the `<script src>` that loaded portal.js; the page's own origin when loaded as a module. */
export const scriptOrigin: string = scriptUrl.origin;

/**
 * The portal chunk, beside portal.js on the same server. The version in the query keeps a cached
 * chunk of an older release from being paired with a newer portal.js.
 */
export const chunkUrl: string = new URL(`portal-app.js?v=${VERSION}`, scriptUrl).href;

/** The API base URL for an element: its `api` attribute when set, else the script's origin. */
export function apiBase(api?: string | null): string {
  return api ? new URL(api, document.baseURI).href.replace(/\/+$/, '') : scriptOrigin;
}
