/// <reference types="mocha" />
import { css } from '@lit/reactive-element/css-tag.js';
import { expect, fixture, html } from '@open-wc/testing';
import { html as template } from 'lit/html.js';
import { LiteElement } from './lite-element.js';

class TestLite extends LiteElement {
  static override styles = [css`p { color: rgb(1, 2, 3); }`];
  static override attributes = ['lang', 'greeting'];
  declare greeting: string;
  renders = 0;
  clicks = 0;
  override render() {
    this.renders++;
    return template`<p @click=${this.onClick}>${this.greeting || 'none'}</p>`;
  }
  private onClick() {
    this.clicks++;
  }
}
customElements.define('test-lite', TestLite);

describe('LiteElement (the base of portal.js’s elements)', () => {
  it('mirrors attributes as string properties and renders when either changes, once per batch', async () => {
    const el = await fixture<TestLite>(html`<test-lite greeting="hi"></test-lite>`);
    const p = el.shadowRoot!.querySelector('p')!;
    expect(p.textContent).to.equal('hi');
    const before = el.renders;
    el.greeting = 'hello';
    el.setAttribute('greeting', 'hey');
    el.lang = 'es';
    await el.updateComplete;
    expect(el.renders).to.equal(before + 1);
    expect(p.textContent).to.equal('hey');
    expect(el.greeting).to.equal('hey');
    el.greeting = null as unknown as string;
    await el.updateComplete;
    expect(el.hasAttribute('greeting')).to.equal(false);
    expect(p.textContent).to.equal('none');
  });

  it('adopts its styles and binds event listeners to the element', async () => {
    const el = await fixture<TestLite>(html`<test-lite></test-lite>`);
    const p = el.shadowRoot!.querySelector('p')!;
    expect(getComputedStyle(p).color).to.equal('rgb(1, 2, 3)');
    p.click();
    expect(el.clicks).to.equal(1);
  });
});
