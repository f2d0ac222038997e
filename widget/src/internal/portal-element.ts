// Base class of every Doorstep element: carries the version and the page-language lookup.
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { VERSION } from './version.js';

export class PortalElement extends LitElement {
  /** The portal.js version that defined this class; `define()` compares it on a second load. */
  static readonly version: string = VERSION;

  /** Language of the element's text; when empty the document's `<html lang>` is used. */
  @property() override lang = '';

  /** The effective language: the element's own `lang`, else the page's, else English. */
  protected get language(): string {
    return (this.lang || document.documentElement.lang || 'en').toLowerCase();
  }
}
