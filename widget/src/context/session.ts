import { createContext } from '@lit/context';
import type { Customer } from '../api/types.js';

export interface PortalSession {
  token: string;
  expiresAt: string;
  /** Known once signed in, or once `/me` answered after a reload. */
  customer?: Customer | undefined;
}

/** The signed-in customer's session; undefined while signed out. */
export const sessionContext = createContext<PortalSession | undefined>(Symbol.for('doorstep.session'));
