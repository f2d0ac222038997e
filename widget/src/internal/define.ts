// Registers elements so that loading portal.js twice (or next to another version) never throws.

/** Every Doorstep element class carries the version of the portal.js that defined it. */
type Versioned = CustomElementConstructor & { readonly version: string };

export function define(tag: string, element: Versioned): void {
  const registered = customElements.get(tag) as Versioned | undefined;
  if (!registered) {
    customElements.define(tag, element);
    return;
  }
  if (registered.version !== element.version) {
    console.warn(`Doorstep: <${tag}> ${registered.version} is already defined; ${element.version} was not. Load portal.js once per page.`);
  }
}
