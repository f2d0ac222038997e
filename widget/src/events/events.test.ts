/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import {
  PortalEstimateApprovedEvent,
  PortalEstimateDeclinedEvent,
  PortalInvoicePaidEvent,
  PortalLoginLinkSentEvent,
  PortalMessageSentEvent,
  PortalSignedInEvent,
  PortalSignedOutEvent,
} from './index.js';

describe('events', () => {
  const events = [
    [new PortalSignedInEvent({ customer: { id: 'c', name: 'Dana', email: null } }), 'portal-signed-in'],
    [new PortalSignedOutEvent({ reason: 'user' }), 'portal-signed-out'],
    [new PortalLoginLinkSentEvent({ email: 'dana@example.com' }), 'portal-login-link-sent'],
    [new PortalInvoicePaidEvent({ invoiceId: 'i', number: 'INV-1', amount: 100, currency: 'usd' }), 'portal-invoice-paid'],
    [new PortalEstimateApprovedEvent({ estimateId: 'e', number: 'EST-1', optionId: 'o' }), 'portal-estimate-approved'],
    [new PortalEstimateDeclinedEvent({ estimateId: 'e', number: 'EST-1', reason: null }), 'portal-estimate-declined'],
    [new PortalMessageSentEvent({ messageId: 'm', kind: 'other' }), 'portal-message-sent'],
  ] as const;

  it('are portal-prefixed CustomEvents that bubble out of shadow roots, with their detail', () => {
    for (const [event, type] of events) {
      expect(event.type).to.equal(type);
      expect(event).to.be.instanceOf(CustomEvent);
      expect(event.bubbles && event.composed, type).to.equal(true);
      expect(event.detail).to.be.an('object');
    }
  });

  it('reach a listener on the page from deep inside a shadow root', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const seen: string[] = [];
    const listener = (event: PortalSignedOutEvent) => seen.push(`${event.detail.reason} ${(event.target as Element).localName}`);
    document.addEventListener('portal-signed-out', listener);
    try {
      inner.dispatchEvent(new PortalSignedOutEvent({ reason: 'session-ended' }));
    } finally {
      document.removeEventListener('portal-signed-out', listener);
      host.remove();
    }
    expect(seen).to.deep.equal(['session-ended div']);
  });
});
