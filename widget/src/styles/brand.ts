// The business's brand colour becomes the default of --portal-color-primary (page-set tokens still
// win), with black or white text on it, whichever contrasts more: one of them always reaches 4.5:1.

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * Sets the brand colour (`#rrggbb`, as the server stores it; anything else is ignored) on an
 * element of the shadow tree, through the CSSOM, which a strict `style-src` allows. Above a
 * luminance of 0.179 black contrasts more than white.
 */
export function applyBrand(element: Element | null | undefined, color: string | null | undefined): void {
  if (!(element instanceof HTMLElement) || !color || !/^#[\da-f]{6}$/i.test(color)) return;
  element.style.setProperty('--_brand', color);
  element.style.setProperty('--_on-brand', luminance(color) > 0.179 ? '#000' : '#fff');
}
