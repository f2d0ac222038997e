// The portal chunk's table: the sign-in strings (its sign-in screens) and the portal's own.
import * as en from './en.js';
import * as es from './es.js';

export const portalTables = {
  en: { ...en.signIn, ...en.portal },
  es: { ...es.signIn, ...es.portal },
};

export type PortalText = (typeof portalTables)['en'];
