import type { SignedOutDetail } from './details.js';

/** `portal-signed-out`: the customer signed out, or the server ended their session. */
export class PortalSignedOutEvent extends CustomEvent<SignedOutDetail> {
  constructor(detail: SignedOutDetail) {
    super('portal-signed-out', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-signed-out': PortalSignedOutEvent;
  }
}
