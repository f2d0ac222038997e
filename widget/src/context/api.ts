import { createContext } from '@lit/context';
import type { PortalClient } from '../api/portal-client.js';

/** The API client of the surrounding `<customer-portal>`, carrying its session. */
export const apiContext = createContext<PortalClient | undefined>(Symbol.for('doorstep.api'));
