/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { applyBrand, luminance } from './brand.js';

/** WCAG contrast ratio of two luminances. */
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

describe('the brand colour', () => {
  it('gets black or white text, whichever contrasts more: always at least 4.5:1 (WCAG AA)', () => {
    for (const brand of ['#0f766e', '#1d4ed8', '#fde047', '#f96302', '#e11d48', '#ffffff', '#000000', '#777777', '#22c55e']) {
      const el = document.createElement('div');
      applyBrand(el, brand);
      const text = el.style.getPropertyValue('--_on-brand');
      const [chosenHex, other] = text === '#fff' ? ['#ffffff', '#000000'] : ['#000000', '#ffffff'];
      const chosen = contrast(luminance(brand), luminance(chosenHex));
      expect(chosen, brand).to.be.at.least(contrast(luminance(brand), luminance(other)));
      expect(chosen, brand).to.be.at.least(4.5);
    }
  });

  it('ignores anything but #rrggbb', () => {
    const el = document.createElement('div');
    for (const bad of ['red', '#fff', 'url(x)', '#0f766e; color: red', null, undefined]) applyBrand(el, bad);
    expect(el.getAttribute('style')).to.equal(null);
  });
});
