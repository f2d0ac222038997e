/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { define } from './define.js';
import { PortalElement } from './portal-element.js';
import { VERSION } from './version.js';

let counter = 0;
const uniqueTag = () => `test-define-${++counter}`;

describe('define()', () => {
  let warnings: unknown[][];
  const originalWarn = console.warn;

  beforeEach(() => {
    warnings = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
  });

  afterEach(() => {
    console.warn = originalWarn;
  });

  it('registers an element that is not yet defined', () => {
    const tag = uniqueTag();
    class Element extends PortalElement {}
    define(tag, Element);
    expect(customElements.get(tag)).to.equal(Element);
  });

  it('is silent when the same version is already registered', () => {
    const tag = uniqueTag();
    class First extends PortalElement {}
    class Second extends PortalElement {}
    define(tag, First);
    define(tag, Second);
    expect(customElements.get(tag)).to.equal(First);
    expect(warnings).to.deep.equal([]);
  });

  it('keeps the first registration and warns when another version tries to register', () => {
    const tag = uniqueTag();
    class Older extends PortalElement {
      static override readonly version = '0.0.1';
    }
    class Current extends PortalElement {}
    define(tag, Older);
    define(tag, Current);
    expect(customElements.get(tag)).to.equal(Older);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]?.[0])).to.include('0.0.1').and.include(VERSION);
  });
});
