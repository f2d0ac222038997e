// Picks an element's language: its own `lang`, else the closest `[lang]` above it (through shadow
// roots), else the page's `<html lang>`, else a fallback such as the business's default language.

export type Language = 'en' | 'es';

/** The language asked for where the element sits, as written (e.g. `es-MX`); empty when none. */
export function requestedLanguage(element: Element & { lang?: string }): string {
  let node: Element | undefined = element;
  while (node) {
    const found = node.closest('[lang]:not([lang=""])');
    if (found) return found.getAttribute('lang')!;
    node = (node.getRootNode() as ShadowRoot).host;
  }
  return '';
}

const supported = (tag = ''): Language | undefined => (/^(en|es)\b/i.exec(tag)?.[0].toLowerCase() as Language) || undefined;

/**
 * The localize controller: `t` is the table of the element's language, `locale` the tag for Intl
 * and for the `lang` attribute of the element's own markup (so screen readers pick the right
 * voice). Resolved on every read, so a changed `lang` takes effect on the next render.
 */
export class Localize<T> {
  constructor(
    private readonly host: Element & { lang?: string },
    private readonly tables: Record<Language, T>,
    private readonly fallback: () => string | null | undefined = () => '',
  ) {}

  /** A BCP 47 tag of a supported language, e.g. `es-MX`, `en`. */
  get locale(): string {
    for (const tag of [this.host.lang || requestedLanguage(this.host), this.fallback() ?? '']) {
      const language = supported(tag);
      if (!language) continue;
      try {
        return Intl.getCanonicalLocales(tag)[0]!;
      } catch {
        return language;
      }
    }
    return 'en';
  }

  get language(): Language {
    return supported(this.locale) ?? 'en';
  }

  get t(): T {
    return this.tables[this.language];
  }
}
