// <ds-language-switch>: the visible EN/ES switch, on the sign-in page and in the console's header.
// The choice is remembered on this browser (localStorage) and applies to the whole console.
import { css, html, LitElement } from 'lit';
import { Localize, LANGUAGE_NAMES, LANGUAGES, setLanguage } from './i18n/localize';
import { shared } from './styles';

export class DsLanguageSwitch extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-block;
      }
      div {
        display: inline-flex;
        border: 1px solid #0f5f58;
        border-radius: 6px;
        overflow: hidden;
      }
      button {
        border: none;
        border-radius: 0;
        background: #fff;
        color: #0f5f58;
        padding: 4px 10px;
        font-weight: 600;
      }
      button[aria-pressed='true'] {
        background: #0f5f58;
        color: #fff;
      }
    `,
  ];

  private readonly i18n = new Localize(this);

  override render() {
    return html`<div role="group" aria-label=${this.i18n.t.language}>
      ${LANGUAGES.map(
        (language) =>
          html`<button type="button" lang=${language} aria-pressed=${this.i18n.language === language ? 'true' : 'false'} @click=${() => setLanguage(language)}>
            ${language.toUpperCase()}<span class="sr-only"> (${LANGUAGE_NAMES[language]})</span>
          </button>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-language-switch': DsLanguageSwitch;
  }
}
