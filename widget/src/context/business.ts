import { createContext } from '@lit/context';
import type { PublicBusiness } from '../api/types.js';

/** The business's public profile (branding, language, features); undefined until loaded. */
export const businessContext = createContext<PublicBusiness | undefined>(Symbol.for('doorstep.business'));
