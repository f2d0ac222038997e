import type { SignedInDetail } from './details.js';

/** `portal-signed-in`: the customer signed in (after pressing Continue on a sign-in link). */
export class PortalSignedInEvent extends CustomEvent<SignedInDetail> {
  constructor(detail: SignedInDetail) {
    super('portal-signed-in', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-signed-in': PortalSignedInEvent;
  }
}
