// Emails about what customers did, to the business (SPEC §4.6), and a staff reply to the customer.
import { formatMoney } from '../../services/money';
import type { Business, Customer } from '../../store/types';
import { renderBranded, type RenderedEmail } from '../layout';

export type BusinessEvent =
  | { kind: 'message_received'; customer: Customer; messageKind: string; body: string; appointment: string | null; preferredTimes: string[] }
  | { kind: 'estimate_approved'; customer: Customer; number: string; option: string; total: number; currency: string }
  | { kind: 'estimate_declined'; customer: Customer; number: string; reason: string | null }
  | { kind: 'invoice_paid'; customer: Customer; number: string; amount: number; currency: string }
  | { kind: 'card_changed'; customer: Customer; change: 'added' | 'updated' | 'removed'; card: string };

const messageKinds = {
  en: { new_appointment: 'Request a new appointment', reschedule: 'Reschedule an appointment', cancel: 'Cancel an appointment', other: 'Other' },
  es: { new_appointment: 'Solicitar una cita nueva', reschedule: 'Cambiar una cita', cancel: 'Cancelar una cita', other: 'Otro' },
} as const;

const copy = {
  en: {
    message_received: (e: Extract<BusinessEvent, { kind: 'message_received' }>) => ({
      subject: `New message from ${e.customer.name}`,
      lines: [
        `${e.customer.name} sent a message through the customer portal.`,
        `Type: ${messageKinds.en[e.messageKind as keyof typeof messageKinds.en] ?? e.messageKind}`,
        ...(e.appointment ? [`Appointment: ${e.appointment}`] : []),
        ...(e.preferredTimes.length ? [`Preferred times: ${e.preferredTimes.join('; ')}`] : []),
        e.body,
      ],
    }),
    estimate_approved: (e: Extract<BusinessEvent, { kind: 'estimate_approved' }>, lang: string) => ({
      subject: `Estimate ${e.number} approved by ${e.customer.name}`,
      lines: [`${e.customer.name} approved estimate ${e.number}: ${e.option} (${formatMoney(e.total, e.currency, lang)}).`],
    }),
    estimate_declined: (e: Extract<BusinessEvent, { kind: 'estimate_declined' }>) => ({
      subject: `Estimate ${e.number} declined by ${e.customer.name}`,
      lines: [`${e.customer.name} declined estimate ${e.number}.`, ...(e.reason ? [`Reason: ${e.reason}`] : [])],
    }),
    invoice_paid: (e: Extract<BusinessEvent, { kind: 'invoice_paid' }>, lang: string) => ({
      subject: `Invoice ${e.number} paid by ${e.customer.name}`,
      lines: [`${e.customer.name} paid ${formatMoney(e.amount, e.currency, lang)} on invoice ${e.number}.`],
    }),
    card_changed: (e: Extract<BusinessEvent, { kind: 'card_changed' }>) => ({
      subject: `${e.customer.name} ${e.change} a card on file`,
      lines: [`${e.customer.name} ${e.change} a card on file: ${e.card}.`],
    }),
    button: 'Open Doorstep',
  },
  es: {
    message_received: (e: Extract<BusinessEvent, { kind: 'message_received' }>) => ({
      subject: `Nuevo mensaje de ${e.customer.name}`,
      lines: [
        `${e.customer.name} envió un mensaje desde el portal de cliente.`,
        `Tipo: ${messageKinds.es[e.messageKind as keyof typeof messageKinds.es] ?? e.messageKind}`,
        ...(e.appointment ? [`Cita: ${e.appointment}`] : []),
        ...(e.preferredTimes.length ? [`Horarios preferidos: ${e.preferredTimes.join('; ')}`] : []),
        e.body,
      ],
    }),
    estimate_approved: (e: Extract<BusinessEvent, { kind: 'estimate_approved' }>, lang: string) => ({
      subject: `${e.customer.name} aprobó el presupuesto ${e.number}`,
      lines: [`${e.customer.name} aprobó el presupuesto ${e.number}: ${e.option} (${formatMoney(e.total, e.currency, lang)}).`],
    }),
    estimate_declined: (e: Extract<BusinessEvent, { kind: 'estimate_declined' }>) => ({
      subject: `${e.customer.name} rechazó el presupuesto ${e.number}`,
      lines: [`${e.customer.name} rechazó el presupuesto ${e.number}.`, ...(e.reason ? [`Motivo: ${e.reason}`] : [])],
    }),
    invoice_paid: (e: Extract<BusinessEvent, { kind: 'invoice_paid' }>, lang: string) => ({
      subject: `${e.customer.name} pagó la factura ${e.number}`,
      lines: [`${e.customer.name} pagó ${formatMoney(e.amount, e.currency, lang)} de la factura ${e.number}.`],
    }),
    card_changed: (e: Extract<BusinessEvent, { kind: 'card_changed' }>) => ({
      subject: `${e.customer.name}: tarjeta ${{ added: 'añadida', updated: 'actualizada', removed: 'eliminada' }[e.change]}`,
      lines: [`${e.customer.name}: tarjeta ${{ added: 'añadida', updated: 'actualizada', removed: 'eliminada' }[e.change]} (${e.card}).`],
    }),
    button: 'Abrir Doorstep',
  },
} as const;

export function businessNotification(business: Business, event: BusinessEvent, adminUrl: string): RenderedEmail {
  const t = copy[business.language];
  const { subject, lines } = (t[event.kind] as (e: BusinessEvent, lang: string) => { subject: string; lines: string[] })(event, business.language);
  return renderBranded({ business, subject, paragraphs: lines, button: { label: t.button, url: adminUrl } });
}

const replyCopy = {
  en: { subject: (b: string) => `${b} replied to your message`, greeting: (n: string) => `Hi ${n},`, button: 'Open your customer portal' },
  es: { subject: (b: string) => `${b} respondió a su mensaje`, greeting: (n: string) => `Hola ${n}:`, button: 'Abrir su portal de cliente' },
} as const;

export function replyEmail(business: Business, customer: Customer, reply: string, portalUrl: string): RenderedEmail {
  const t = replyCopy[business.language];
  return renderBranded({ business, subject: t.subject(business.name), paragraphs: [t.greeting(customer.name), reply], button: { label: t.button, url: portalUrl } });
}
