// The views' confirmations and forms are native <dialog>s shown modally: the browser traps focus,
// Escape closes them and the page behind is inert. On closing, focus goes back where it was.

/** The element that has focus, looking into shadow roots. */
function focused(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * Shows `dialog` modally. When it closes, focus goes to what `returnTo` answers then (e.g. an item
 * the dialog changed, which the view has re-rendered by the time the close event comes), else back
 * to what had it before.
 */
export function showDialog(dialog: HTMLDialogElement | null | undefined, returnTo?: () => HTMLElement | null | undefined): void {
  if (!dialog || dialog.open) return;
  const opener = focused();
  dialog.addEventListener(
    'close',
    () => {
      const target = returnTo?.() ?? opener;
      if (target?.isConnected) target.focus();
    },
    { once: true },
  );
  dialog.showModal();
}
