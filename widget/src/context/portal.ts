import { createContext } from '@lit/context';
import type { Summary } from '../api/types.js';

/** The portal's views, in navigation order. */
export type PortalViewName = 'appointments' | 'invoices' | 'estimates' | 'payment-methods' | 'messages';

/** What the shell offers its views besides data: the badge counts and moving between views. */
export interface PortalShell {
  /** `GET /summary` (badges, the unpaid-invoices banner); undefined until loaded or when it failed. */
  summary: Summary | undefined;
  /** Shows another view; `id` opens one item (an invoice, an estimate). Focus moves to its heading. */
  navigate(view: PortalViewName, options?: { id?: string }): void;
  /** Loads the summary again, e.g. after a payment or an estimate decision changed the badges. */
  refreshSummary(): void;
}

export const portalContext = createContext<PortalShell | undefined>(Symbol.for('doorstep.portal'));
