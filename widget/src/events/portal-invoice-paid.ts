import type { InvoicePaidDetail } from './details.js';

/** `portal-invoice-paid`: the server confirmed the payment of an invoice. */
export class PortalInvoicePaidEvent extends CustomEvent<InvoicePaidDetail> {
  constructor(detail: InvoicePaidDetail) {
    super('portal-invoice-paid', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-invoice-paid': PortalInvoicePaidEvent;
  }
}
