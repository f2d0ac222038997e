// The `detail` of every event Doorstep's elements fire. They are part of the product: host pages
// read them, so fields are only ever added.

/** Who signed in; never the session token. */
export interface SignedInDetail {
  customer: { id: string; name: string; email: string | null };
}

export interface SignedOutDetail {
  /** `user`: the customer pressed Sign out. `session-ended`: the server ended the session (expired or revoked). */
  reason: 'user' | 'session-ended';
}

export interface LoginLinkSentDetail {
  /** The address the customer typed. The link is only sent when it belongs to a customer. */
  email: string;
}

export interface InvoicePaidDetail {
  invoiceId: string;
  number: string;
  /** Minor units, e.g. 12500 = $125.00. */
  amount: number;
  currency: string;
}

export interface EstimateApprovedDetail {
  estimateId: string;
  number: string;
  optionId: string;
}

export interface EstimateDeclinedDetail {
  estimateId: string;
  number: string;
  reason: string | null;
}

export interface MessageSentDetail {
  messageId: string;
  kind: 'new_appointment' | 'reschedule' | 'cancel' | 'other';
}
