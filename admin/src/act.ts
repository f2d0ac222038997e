// One action of a console view at a time: busy while it runs, then what it said or why it failed.
import type { Say } from './i18n/localize';

/** The state a view shows of its action (its reactive properties). */
export interface Acting {
  busy: boolean;
  error: unknown;
  status: Say | null;
}

/** Clears the last outcome, runs `work`, shows what it says, then `reload`s; an error is shown instead. */
export async function act(view: Acting, work: () => Promise<Say>, reload: () => Promise<void>): Promise<void> {
  view.busy = true;
  view.error = null;
  view.status = null;
  try {
    view.status = await work();
    await reload();
  } catch (error) {
    view.error = error;
  } finally {
    view.busy = false;
  }
}
