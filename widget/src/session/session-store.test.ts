/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { clearSession, loadSession, saveSession, sessionKey } from './session-store.js';
import { createStorage } from './storage.js';

const FUTURE = '2099-01-01T00:00:00.000Z';

describe('session storage', () => {
  afterEach(() => {
    localStorage.removeItem(sessionKey('acme'));
    localStorage.removeItem(sessionKey('bravo'));
  });

  it("keeps each business's session in the page's localStorage under doorstep:<business>:session", () => {
    saveSession('acme', { token: 'a', expiresAt: FUTURE });
    saveSession('bravo', { token: 'b', expiresAt: FUTURE });
    expect(JSON.parse(localStorage.getItem('doorstep:acme:session')!)).to.deep.equal({ token: 'a', expiresAt: FUTURE });
    expect(loadSession('acme')).to.deep.equal({ token: 'a', expiresAt: FUTURE });
    expect(loadSession('bravo')!.token).to.equal('b');
    clearSession('acme');
    expect(loadSession('acme')).to.equal(null);
    expect(loadSession('bravo')!.token).to.equal('b');
  });

  it('forgets a session that has ended, or that it cannot read', () => {
    saveSession('acme', { token: 'a', expiresAt: '2020-01-01T00:00:00.000Z' });
    expect(loadSession('acme')).to.equal(null);
    expect(localStorage.getItem(sessionKey('acme'))).to.equal(null);
    localStorage.setItem(sessionKey('acme'), '{not json');
    expect(loadSession('acme')).to.equal(null);
    localStorage.setItem(sessionKey('acme'), JSON.stringify({ token: 42, expiresAt: FUTURE }));
    expect(loadSession('acme')).to.equal(null);
  });

  it('works in memory when the browser refuses storage (blocked, Safari private mode)', () => {
    const blocked = createStorage(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    saveSession('acme', { token: 'a', expiresAt: FUTURE }, blocked);
    expect(loadSession('acme', blocked)).to.deep.equal({ token: 'a', expiresAt: FUTURE });
    clearSession('acme', blocked);
    expect(loadSession('acme', blocked)).to.equal(null);
  });

  it('works in memory when storage is readable but full (old Safari private mode)', () => {
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('Quota exceeded', 'QuotaExceededError');
      },
      removeItem: () => {},
    } as unknown as Storage;
    const storage = createStorage(() => full);
    saveSession('acme', { token: 'a', expiresAt: FUTURE }, storage);
    expect(loadSession('acme', storage)!.token).to.equal('a');
  });
});
