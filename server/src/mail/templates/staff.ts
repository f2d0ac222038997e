// Emails to business staff about the admin console, in the business's language: the sign-in link,
// and the note that an owner added them (it carries no link: they ask for one on the console).
import type { Business, Staff } from '../../store/types';
import { renderBranded, type RenderedEmail } from '../layout';

const copy = {
  en: {
    signInSubject: (business: string) => `Sign in to the ${business} admin console`,
    signInBody: (business: string, minutes: number) =>
      `Use the button below to sign in to the Doorstep admin console of ${business}. The link works for ${minutes} minutes and can be used once.`,
    signInIgnore: "If you didn't ask for this, you can ignore this email: nobody can sign in without the link.",
    signInButton: 'Sign in to the admin console',
    addedSubject: (business: string) => `You were added to the ${business} admin console`,
    addedBody: (business: string, role: Staff['role']) =>
      `${business} added you to its Doorstep admin console with the ${role === 'owner' ? 'owner' : 'staff'} role: customers, jobs, invoices, estimates and messages in one place.`,
    addedHow: (email: string) => `To sign in, open the console and enter ${email}: we will email you a sign-in link. No password needed.`,
    addedButton: 'Open the admin console',
  },
  es: {
    signInSubject: (business: string) => `Inicia sesión en la consola de administración de ${business}`,
    signInBody: (business: string, minutes: number) =>
      `Usa el botón de abajo para iniciar sesión en la consola de administración de Doorstep de ${business}. El enlace funciona durante ${minutes} minutos y una sola vez.`,
    signInIgnore: 'Si no lo pediste, puedes ignorar este correo: nadie puede iniciar sesión sin el enlace.',
    signInButton: 'Iniciar sesión en la consola',
    addedSubject: (business: string) => `Te añadieron a la consola de administración de ${business}`,
    addedBody: (business: string, role: Staff['role']) =>
      `${business} te añadió a su consola de administración de Doorstep con el rol de ${role === 'owner' ? 'propietario' : 'personal'}: clientes, trabajos, facturas, presupuestos y mensajes en un solo lugar.`,
    addedHow: (email: string) => `Para entrar, abre la consola y escribe ${email}: te enviaremos por correo un enlace de acceso. Sin contraseña.`,
    addedButton: 'Abrir la consola de administración',
  },
};

export function staffSignInEmail(business: Business, link: string, minutes: number): RenderedEmail {
  const t = copy[business.language];
  return renderBranded({
    business,
    subject: t.signInSubject(business.name),
    paragraphs: [t.signInBody(business.name, minutes), t.signInIgnore],
    button: { label: t.signInButton, url: link },
  });
}

export function staffAddedEmail(business: Business, staff: { email: string; role: Staff['role'] }, consoleUrl: string): RenderedEmail {
  const t = copy[business.language];
  return renderBranded({
    business,
    subject: t.addedSubject(business.name),
    paragraphs: [t.addedBody(business.name, staff.role), t.addedHow(staff.email)],
    button: { label: t.addedButton, url: consoleUrl },
  });
}
