// Base class of the portal chunk's elements (the shell and its views): a LitElement carrying the
// version `define()` compares on a second load, and the `lang` the localize controller reads
// first. portal.js's three elements are LiteElements instead (lite-element.ts says why).
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { VERSION } from './version.js';

export class PortalElement extends LitElement {
  /** The portal.js version that defined this class; `define()` compares it on a second load. */
  static readonly version: string = VERSION;

  /** Language of the element's text (`en`, `es`); when empty, the closest `lang` around it, then the page's `<html lang>`. */
  @property() override lang = '';
}
