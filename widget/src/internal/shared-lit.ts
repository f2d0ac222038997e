// Under a host CSP of `require-trusted-types-for 'script'; trusted-types lit-html` a page may
// create the 'lit-html' Trusted Types policy once, so there is one lit-html per page: portal.js
// publishes its own here and the portal chunk's build reads it (sharedLit() in rollup.config.mjs,
// whose list of names must match this one). In tests both sides import it and this goes unused.
import { _$LH, html, mathml, noChange, nothing, render, svg } from 'lit/html.js';
import { VERSION } from './version.js';

export const SHARED_LIT = Symbol.for('doorstep.lit');

export function publishLit(): void {
  const lit = { html, svg, mathml, render, nothing, noChange, _$LH };
  (globalThis as Record<symbol, unknown>)[SHARED_LIT] = { version: VERSION, lit };
}
