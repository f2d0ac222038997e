// The invoice email: a summary and a button that signs the customer in on that invoice.
import { formatMoney } from '../../services/money';
import type { Business, Customer, Invoice } from '../../store/types';
import { renderBranded, type RenderedEmail } from '../layout';

const copy = {
  en: {
    subject: (number: string, business: string) => `Invoice ${number} from ${business}`,
    greeting: (name: string) => `Hi ${name},`,
    body: (number: string, due: string) => `Invoice ${number} is ready. Amount due: ${due}.`,
    dueDate: (date: string) => `Due date: ${date}.`,
    button: 'View and pay invoice',
  },
  es: {
    subject: (number: string, business: string) => `Factura ${number} de ${business}`,
    greeting: (name: string) => `Hola ${name}:`,
    body: (number: string, due: string) => `La factura ${number} está lista. Importe pendiente: ${due}.`,
    dueDate: (date: string) => `Fecha de vencimiento: ${date}.`,
    button: 'Ver y pagar la factura',
  },
} as const;

export function invoiceEmail(business: Business, customer: Customer, invoice: Invoice, link: string): RenderedEmail {
  const t = copy[business.language];
  const due = formatMoney(Math.max(0, invoice.total - invoice.amountPaid), invoice.currency, business.language);
  return renderBranded({
    business,
    subject: t.subject(invoice.number, business.name),
    paragraphs: [t.greeting(customer.name), t.body(invoice.number, due), ...(invoice.dueDate ? [t.dueDate(invoice.dueDate)] : [])],
    button: { label: t.button, url: link },
  });
}
