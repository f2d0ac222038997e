/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { capturePortalToken, claimPortalToken, takePortalToken } from './portal-token.js';

describe('the sign-in token in the address bar (SECURITY L9)', () => {
  const start = `${location.pathname}${location.search}`;
  afterEach(() => history.replaceState(history.state, '', start));

  it('is taken out with history.replaceState, leaving the rest of the address and history alone', () => {
    const length = history.length;
    history.replaceState(history.state, '', `${start}#portal-token=abc_DEF-123`);
    expect(takePortalToken()).to.equal('abc_DEF-123');
    expect(location.href).to.equal(new URL(start, location.href).href);
    expect(history.length).to.equal(length);
  });

  it("keeps the page's own fragment parameters", () => {
    history.replaceState(history.state, '', `${start}#tab=2&portal-token=abc&x=1`);
    expect(takePortalToken()).to.equal('abc');
    expect(location.hash).to.equal('#tab=2&x=1');
  });

  it('does nothing without one', () => {
    history.replaceState(history.state, '', `${start}#portal-tokens=no`);
    expect(takePortalToken()).to.equal(null);
    expect(location.hash).to.equal('#portal-tokens=no');
  });

  it('captured as portal.js starts, handed to the first portal that asks, once', () => {
    history.replaceState(history.state, '', `${start}#portal-token=early`);
    capturePortalToken();
    expect(location.hash).to.equal('');
    expect(claimPortalToken()).to.equal('early');
    expect(claimPortalToken()).to.equal(null);
  });
});
