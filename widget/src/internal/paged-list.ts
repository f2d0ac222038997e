// A list the server pages (`{ data, nextCursor }`): the first page loads whenever the API client
// changes, "Show more" appends the next one. Views render `items` and `moreButton()`.
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { PortalClient } from '../api/portal-client.js';
import type { Page } from '../api/types.js';
import { Task, TaskStatus, type TaskRenderers } from './task.js';

export type PageLoader<T> = (api: PortalClient, cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>;

export class PagedList<T> {
  private extra: T[] = [];
  private cursor: string | null = null;

  private readonly first: Task<readonly [PortalClient | undefined], T[]>;
  private readonly more: Task<readonly [PortalClient, string], void>;

  constructor(host: ReactiveControllerHost & HTMLElement, api: () => PortalClient | undefined, load: PageLoader<T>) {
    this.first = new Task(host, {
      args: () => [api()] as const,
      task: async ([client], { signal }) => {
        // No client yet (the shell has not provided one): stay pending.
        if (!client) return new Promise<never>(() => {});
        const page = await load(client, undefined, signal);
        this.extra = [];
        this.cursor = page.nextCursor;
        return page.data;
      },
    });
    this.more = new Task(host, {
      autoRun: false,
      task: async ([client, cursor], { signal }) => {
        const page = await load(client, cursor, signal);
        this.extra = [...this.extra, ...page.data];
        this.cursor = page.nextCursor;
      },
    });
  }

  /** Everything loaded so far, first page first; empty until the first page has arrived. */
  get items(): T[] {
    const first = this.first.status === TaskStatus.COMPLETE ? (this.first.value ?? []) : [];
    return [...first, ...this.extra];
  }

  /** Renders by the first page's status. */
  render(renderers: TaskRenderers<T[]>): unknown {
    return this.first.render(renderers);
  }

  /** Loads the first page again (after an error). */
  reload(): void {
    void this.first.run();
  }

  /** The error of a failed "Show more", and the button while there is more to load. */
  moreButton(labels: { showMore: string; loading: string; failed: string }, api: PortalClient | undefined): TemplateResult {
    const loadingMore = this.more.status === TaskStatus.PENDING;
    const cursor = this.cursor;
    return html`${this.more.status === TaskStatus.ERROR ? html`<p class="notice danger" role="alert">${labels.failed}</p>` : nothing}
    ${cursor
      ? html`<button
          class="button secondary more"
          type="button"
          aria-disabled=${loadingMore ? 'true' : 'false'}
          @click=${() => !loadingMore && api && this.more.run([api, cursor])}
        >
          ${loadingMore ? labels.loading : labels.showMore}
        </button>`
      : nothing}`;
  }
}
