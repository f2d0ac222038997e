// The email carrying a staff member's sign-in link to the admin console (English: the console is).
import type { Business } from '../../store/types';
import { renderBranded, type RenderedEmail } from '../layout';

export function staffSignInEmail(business: Business, link: string, minutes: number): RenderedEmail {
  return renderBranded({
    business: { ...business, language: 'en' },
    subject: `Sign in to the ${business.name} admin console`,
    paragraphs: [
      `Use the button below to sign in to the Doorstep admin console of ${business.name}. The link works for ${minutes} minutes and can be used once.`,
      "If you didn't ask for this, you can ignore this email: nobody can sign in without the link.",
    ],
    button: { label: 'Sign in to the admin console', url: link },
  });
}
