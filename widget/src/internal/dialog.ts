// The views' confirmations and forms are native <dialog>s shown modally: the browser traps focus,
// Escape closes them and the page behind is inert. On closing, focus goes back where it was.

/** The element that has focus, looking into shadow roots. */
function focused(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * Shows `dialog` modally; when it closes, focus returns to what had it before (if it is still
 * there: a view that removed it moves focus itself, after its next render).
 */
export function showDialog(dialog: HTMLDialogElement | null | undefined): void {
  if (!dialog || dialog.open) return;
  const opener = focused();
  dialog.addEventListener('close', () => opener?.isConnected && opener.focus(), { once: true });
  dialog.showModal();
}
