// Base of the three elements in portal.js (<portal-login>, <portal-sign-in-form>,
// <customer-portal>): a small reactive custom element that renders with lit-html.
//
// portal.js is on every page of a business's site, with a budget of 10 KB gzip. LitElement's
// ReactiveElement alone would take a quarter of it, so these elements do without: attributes are
// mirrored by string properties, other state re-renders through requestUpdate(). The portal
// chunk's elements are LitElements (portal-element.ts), with decorators and @lit/context.
import { adoptStyles, type CSSResultOrNative } from '@lit/reactive-element/css-tag.js';
import { nothing, render } from 'lit/html.js';
import { VERSION } from './version.js';

export class LiteElement extends HTMLElement {
  /** The portal.js version that defined this class; `define()` compares it on a second load. */
  static readonly version: string = VERSION;

  /** Adopted by the shadow root (Lit's css``, so a strict `style-src` is no obstacle). */
  static styles: CSSResultOrNative[] = [];

  static shadowRootOptions: ShadowRootInit = { mode: 'open' };

  /**
   * Attributes mirrored by string properties of the same name (empty string when absent);
   * setting either re-renders. `lang` is HTML's own property.
   */
  static attributes: string[] = ['lang'];

  static get observedAttributes(): string[] {
    // Read once, when the element is defined: the moment to create the accessors.
    for (const name of this.attributes) {
      if (name in this.prototype) continue;
      Object.defineProperty(this.prototype, name, {
        get(this: Element) {
          return this.getAttribute(name) ?? '';
        },
        set(this: Element, value: string | null) {
          if (value == null) this.removeAttribute(name);
          else this.setAttribute(name, value);
        },
      });
    }
    return this.attributes;
  }

  readonly renderRoot: ShadowRoot;

  /** Settles when the latest requested render is done. */
  updateComplete: Promise<void> = Promise.resolve();

  private updatePending = false;

  constructor() {
    super();
    const { shadowRootOptions, styles } = this.constructor as typeof LiteElement;
    this.renderRoot = this.attachShadow(shadowRootOptions);
    adoptStyles(this.renderRoot, styles);
  }

  connectedCallback(): void {
    this.requestUpdate();
  }

  disconnectedCallback(): void {}

  attributeChangedCallback(): void {
    this.requestUpdate();
  }

  /** Renders again in a microtask: once, however many changes come before it. */
  requestUpdate(): void {
    if (this.updatePending) return;
    this.updatePending = true;
    this.updateComplete = Promise.resolve().then(() => {
      this.updatePending = false;
      this.willUpdate();
      render(this.render(), this.renderRoot, { host: this });
      this.updated();
    });
  }

  /** Before each render: derive state from attributes. */
  protected willUpdate(): void {}

  /** After each render: touch the rendered DOM. */
  protected updated(): void {}

  protected render(): unknown {
    return nothing;
  }
}
