// Shapes of the widget API's answers (server/src/services/present.ts is the source of truth).
// Money is integer minor units with an ISO currency; times are ISO 8601 strings.

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** `GET /v1/b/:business`: what any visitor of the business's site may know. */
export interface PublicBusiness {
  id: string;
  name: string;
  logoUrl: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  brandColor: string | null;
  portalUrl: string;
  language: string;
  features: { payments: boolean; messaging: boolean };
}

export interface PostalAddress {
  label?: string;
  line1: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** `GET /me`: the signed-in customer. */
export interface Customer {
  id: string;
  name: string;
  email: string | null;
  emails: { address: string; primary: boolean }[];
  phone: string | null;
  addresses: PostalAddress[];
}

/** Where the portal opens after signing in, e.g. the invoice an emailed link was about. */
export interface Landing {
  type: 'invoice' | 'estimate' | string;
  id: string;
}

/** `POST /sessions`. */
export interface SignedIn {
  session: { token: string; expiresAt: string; idleExpiresAt: string };
  customer: Customer;
  landing: Landing | null;
}

export type AppointmentStatus = 'scheduled' | 'in_progress' | 'completed' | 'canceled';

export interface Appointment {
  id: string;
  startsAt: string;
  endsAt: string | null;
  arrivalWindowMinutes: number | null;
  arrivalWindow: { start: string; end: string } | null;
  description: string;
  address: string | null;
  technicians: string[];
  status: AppointmentStatus;
  createdAt: string;
  updatedAt: string;
}

export interface MoneyTotal {
  currency: string;
  amount: number;
}

/** `GET /summary`: the navigation badges and the appointments banner. */
export interface Summary {
  unpaidInvoices: { count: number; totals: MoneyTotal[] };
  openEstimates: number;
  nextAppointment: Appointment | null;
}

export interface LineItem {
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
}

export type InvoiceStatus = 'open' | 'paid' | 'void' | 'draft';

export interface Invoice {
  id: string;
  number: string;
  currency: string;
  lineItems: LineItem[];
  subtotal: number;
  taxAmount: number;
  total: number;
  amountPaid: number;
  amountDue: number;
  /** Calendar date, `YYYY-MM-DD`. */
  dueDate: string | null;
  status: InvoiceStatus;
  sentAt: string | null;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EstimateOption {
  id: string;
  name: string;
  description?: string;
  lineItems: LineItem[];
  subtotal: number;
  taxAmount: number;
  total: number;
}

/** Canceled estimates are never returned to customers. */
export type EstimateStatus = 'open' | 'approved' | 'declined' | 'expired';

export interface Estimate {
  id: string;
  number: string;
  currency: string;
  options: EstimateOption[];
  status: EstimateStatus;
  approvedOptionId: string | null;
  declineReason: string | null;
  expiresAt: string | null;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type MessageKind = 'new_appointment' | 'reschedule' | 'cancel' | 'other';

export interface Message {
  id: string;
  kind: MessageKind;
  body: string;
  appointmentId: string | null;
  preferredTimes: string[];
  createdAt: string;
  replies: { id: string; body: string; createdAt: string }[];
}

export interface NewMessage {
  kind: MessageKind;
  body: string;
  appointmentId?: string;
  preferredTimes?: string[];
}

/** A saved card (server/src/payments/common.ts `presentCard`): never more than brand, last 4 and expiry. */
export interface PaymentMethod {
  id: string;
  /** Stripe's lowercase brand: `visa`, `mastercard`, `amex`, …, or `unknown`. */
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
  isDefault: boolean;
}

/** Where to send the browser for Stripe Checkout. */
export interface CheckoutRedirect {
  url: string;
}
