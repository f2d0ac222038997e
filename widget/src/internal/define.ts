// Registers elements so that loading portal.js twice (or next to another version) never throws.
import type { PortalElement } from './portal-element.js';

export function define(tag: string, element: typeof PortalElement): void {
  const registered = customElements.get(tag) as typeof PortalElement | undefined;
  if (!registered) {
    customElements.define(tag, element);
    return;
  }
  if (registered.version !== element.version) {
    console.warn(
      `<${tag}> is already defined by portal.js ${registered.version ?? '(unknown version)'}; ` +
        `version ${element.version} was not registered. Load portal.js only once per page.`,
    );
  }
}
