import type { EstimateApprovedDetail } from './details.js';

/** `portal-estimate-approved`: the customer approved an estimate (one of its options). */
export class PortalEstimateApprovedEvent extends CustomEvent<EstimateApprovedDetail> {
  constructor(detail: EstimateApprovedDetail) {
    super('portal-estimate-approved', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-estimate-approved': PortalEstimateApprovedEvent;
  }
}
