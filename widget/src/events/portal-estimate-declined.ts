import type { EstimateDeclinedDetail } from './details.js';

/** `portal-estimate-declined`: the customer declined an estimate. */
export class PortalEstimateDeclinedEvent extends CustomEvent<EstimateDeclinedDetail> {
  constructor(detail: EstimateDeclinedDetail) {
    super('portal-estimate-declined', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-estimate-declined': PortalEstimateDeclinedEvent;
  }
}
