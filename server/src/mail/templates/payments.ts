// Emails about online payments: the customer's receipt when Stripe confirms an invoice paid, and a
// note to the business when a payment arrives that does not match what the invoice has due.
import { formatMoney } from '../../services/money';
import type { Business, Customer } from '../../store/types';
import { renderBranded, type RenderedEmail } from '../layout';

export interface PaidInvoice {
  number: string;
  amount: number;
  currency: string;
  /** Epoch milliseconds. */
  paidAt: number;
}

const formatDate = (ms: number, language: string) => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(ms));

const receiptCopy = {
  en: {
    subject: (number: string, business: string) => `Receipt for invoice ${number} from ${business}`,
    greeting: (name: string) => `Hi ${name},`,
    body: (amount: string, number: string, date: string) => `We received your payment of ${amount} for invoice ${number} on ${date}. Thank you!`,
    paid: 'The invoice is now paid in full. You can see it any time in your customer portal.',
    button: 'Open your customer portal',
  },
  es: {
    subject: (number: string, business: string) => `Recibo de la factura ${number} de ${business}`,
    greeting: (name: string) => `Hola ${name}:`,
    body: (amount: string, number: string, date: string) => `Recibimos su pago de ${amount} de la factura ${number} el ${date}. ¡Gracias!`,
    paid: 'La factura está pagada por completo. Puede verla cuando quiera en su portal de cliente.',
    button: 'Abrir su portal de cliente',
  },
} as const;

/** The customer's receipt; the button opens the portal (no sign-in link: nothing to steal). */
export function receiptEmail(business: Business, customer: Customer, paid: PaidInvoice, portalUrl: string): RenderedEmail {
  const t = receiptCopy[business.language];
  const lang = business.language;
  return renderBranded({
    business,
    subject: t.subject(paid.number, business.name),
    paragraphs: [t.greeting(customer.name), t.body(formatMoney(paid.amount, paid.currency, lang), paid.number, formatDate(paid.paidAt, lang)), t.paid],
    button: { label: t.button, url: portalUrl },
  });
}

export interface MismatchedPayment {
  customer: Customer;
  number: string;
  /** What Stripe says was paid. */
  amount: number;
  currency: string;
  /** What the invoice had due when the payment was recorded (0 when already paid or void). */
  due: number;
  dueCurrency: string;
  status: string;
  /** The Checkout Session, to find the payment in the Stripe dashboard. */
  sessionId: string;
}

const mismatchCopy = {
  en: {
    subject: (number: string) => `Check payment on invoice ${number}: it does not match the amount due`,
    body: (m: MismatchedPayment, paid: string, due: string) =>
      `${m.customer.name} paid ${paid} on invoice ${m.number}, but the invoice had ${due} due (status: ${m.status}), so Doorstep did not mark it paid.`,
    action: 'The invoice was probably changed after the customer started paying, or paid twice. Check the payment in Stripe, then refund it or update the invoice.',
    reference: (id: string) => `Stripe Checkout Session: ${id}`,
    button: 'Open Doorstep',
  },
  es: {
    subject: (number: string) => `Revise el pago de la factura ${number}: no coincide con el importe pendiente`,
    body: (m: MismatchedPayment, paid: string, due: string) =>
      `${m.customer.name} pagó ${paid} de la factura ${m.number}, pero la factura tenía ${due} pendiente (estado: ${m.status}), así que Doorstep no la marcó como pagada.`,
    action: 'Probablemente la factura cambió después de que el cliente empezara a pagar, o se pagó dos veces. Revise el pago en Stripe y reembólselo o actualice la factura.',
    reference: (id: string) => `Sesión de Stripe Checkout: ${id}`,
    button: 'Abrir Doorstep',
  },
} as const;

export function paymentMismatchEmail(business: Business, mismatch: MismatchedPayment, adminUrl: string): RenderedEmail {
  const t = mismatchCopy[business.language];
  const lang = business.language;
  return renderBranded({
    business,
    subject: t.subject(mismatch.number),
    paragraphs: [
      t.body(mismatch, formatMoney(mismatch.amount, mismatch.currency, lang), formatMoney(mismatch.due, mismatch.dueCurrency, lang)),
      t.action,
      t.reference(mismatch.sessionId),
    ],
    button: { label: t.button, url: adminUrl },
  });
}
