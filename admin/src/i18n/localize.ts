// The console's language: the one chosen with the EN/ES switch on this browser, else the browser's
// own, else English. One for the whole console (unlike the widgets, which follow the page they sit
// on): changing it re-renders every view and sets `lang` on the document.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as en from './en';
import * as es from './es';

export type Language = 'en' | 'es';
export type { ConsoleText } from './en';
import type { ConsoleText } from './en';

/** A message kept to show later, said in whatever the language is by then. */
export type Say = (t: ConsoleText) => string;

export const LANGUAGES: Language[] = ['en', 'es'];
/** Each language named in itself, as the switch offers it. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

const tables = { en: en.text, es: es.text };
const STORAGE_KEY = 'doorstep-console-language';
const CHANGED = 'doorstep-console-language-changed';

const supported = (tag = ''): Language | undefined => (/^(en|es)\b/i.exec(tag)?.[1]?.toLowerCase() as Language | undefined) || undefined;

function remembered(): Language | undefined {
  try {
    return supported(localStorage.getItem(STORAGE_KEY) ?? '');
  } catch {
    return undefined; // storage blocked: the browser's language it is
  }
}

function browserLanguage(): Language {
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const language = supported(tag);
    if (language) return language;
  }
  return 'en';
}

let current: Language = remembered() ?? browserLanguage();

export const currentLanguage = (): Language => current;

/** The text of the chosen language. */
export const text = () => tables[current];

/**
 * The tag Intl formats with: the browser's own when it is of the chosen language (es-MX keeps its
 * date order and currency style), else the language's usual one.
 */
export function currentLocale(): string {
  const own = (navigator.languages?.length ? navigator.languages : [navigator.language]).find((tag) => supported(tag) === current);
  try {
    if (own) return Intl.getCanonicalLocales(own)[0]!;
  } catch {
    // a malformed tag from the browser: the default below
  }
  return current === 'en' ? 'en-US' : 'es';
}

/** Puts the language on the document: `lang` for screen readers and spell checking, and the title. */
export function applyLanguage(): void {
  document.documentElement.lang = current;
  document.title = text().documentTitle;
}

/** The EN/ES switch: remembered on this browser, applied everywhere at once. */
export function setLanguage(language: Language): void {
  if (language === current) return;
  current = language;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, still applied
  }
  applyLanguage();
  window.dispatchEvent(new Event(CHANGED));
}

/**
 * The localize controller: `t` is the text of the console's language, and the host re-renders when
 * the language changes. Messages kept for later are kept as a `Say`, so they change language too.
 */
export class Localize implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  private readonly changed = () => this.host.requestUpdate();

  hostConnected(): void {
    window.addEventListener(CHANGED, this.changed);
  }

  hostDisconnected(): void {
    window.removeEventListener(CHANGED, this.changed);
  }

  get t() {
    return text();
  }

  get language(): Language {
    return current;
  }
}
