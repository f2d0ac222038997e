// The emails that carry a sign-in link: an invitation from the business, a link the customer
// asked for on the website, and a fresh link after an expired one was opened.
import type { Business, Customer } from '../../store/types';
import { renderBranded, type RenderedEmail } from '../layout';

export type SignInEmailKind = 'invitation' | 'login' | 'fresh';

const copy = {
  en: {
    invitation: {
      subject: (b: string) => `${b} invited you to your customer portal`,
      body: (b: string, days: number) =>
        `${b} invited you to the customer portal: see your appointments, pay invoices, approve estimates and send requests online. This link works for ${days} day${days === 1 ? '' : 's'} and can be used once.`,
    },
    login: {
      subject: (b: string) => `Your sign-in link for ${b}`,
      body: (_b: string, minutes: number) => `Use the button below to sign in to your customer portal. The link works for ${minutes} minutes and can be used once.`,
    },
    fresh: {
      subject: (b: string) => `A new sign-in link for ${b}`,
      body: (_b: string, minutes: number) =>
        `The link you opened had expired or was already used, so here is a new one. It works for ${minutes} minutes and can be used once.`,
    },
    greeting: (name: string) => `Hi ${name},`,
    button: 'Login to Customer Portal',
    ignore: "If you didn't ask for this, you can ignore this email.",
  },
  es: {
    invitation: {
      subject: (b: string) => `${b} le invita a su portal de cliente`,
      body: (b: string, days: number) =>
        `${b} le invita al portal de cliente: consulte sus citas, pague facturas, apruebe presupuestos y envíe solicitudes en línea. Este enlace es válido durante ${days} día${days === 1 ? '' : 's'} y solo se puede usar una vez.`,
    },
    login: {
      subject: (b: string) => `Su enlace de acceso a ${b}`,
      body: (_b: string, minutes: number) => `Use el botón de abajo para entrar en su portal de cliente. El enlace es válido durante ${minutes} minutos y solo se puede usar una vez.`,
    },
    fresh: {
      subject: (b: string) => `Un nuevo enlace de acceso a ${b}`,
      body: (_b: string, minutes: number) =>
        `El enlace que abrió había caducado o ya se había usado, así que aquí tiene uno nuevo. Es válido durante ${minutes} minutos y solo se puede usar una vez.`,
    },
    greeting: (name: string) => `Hola ${name}:`,
    button: 'Entrar al portal de cliente',
    ignore: 'Si no lo ha solicitado, puede ignorar este correo.',
  },
} as const;

export function signInEmail(kind: SignInEmailKind, business: Business, customer: Customer, link: string): RenderedEmail {
  const t = copy[business.language];
  const lifetime = kind === 'invitation' ? business.inviteLinkTtlDays : business.loginLinkTtlMinutes;
  return renderBranded({
    business,
    subject: t[kind].subject(business.name),
    paragraphs: [t.greeting(customer.name), t[kind].body(business.name, lifetime), ...(kind === 'invitation' ? [] : [t.ignore])],
    button: { label: t.button, url: link },
  });
}
