// Where the widget's API lives: by default the origin portal.js was served from.
// document.currentScript is only set while the script first runs, so it is read once, here.
const script = document.currentScript as HTMLScriptElement | null;

/** Origin of the `<script src>` that loaded portal.js; the page's own origin when loaded as a module. */
export const scriptOrigin: string = script?.src ? new URL(script.src).origin : location.origin;

/** The API base URL for an element: its `api` attribute when set, else the script's origin. */
export function apiBase(api?: string | null): string {
  return api ? new URL(api, document.baseURI).href.replace(/\/+$/, '') : scriptOrigin;
}
