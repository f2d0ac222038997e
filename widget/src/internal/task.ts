// A small stand-in for @lit/task (same names, a subset): runs an async function when its
// arguments change, passes it an AbortSignal, aborts the previous run, and renders by status.
// Swap in @lit/task if it is ever added; views would keep their code.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const TaskStatus = { INITIAL: 0, PENDING: 1, COMPLETE: 2, ERROR: 3 } as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export interface TaskConfig<A extends readonly unknown[], R> {
  task: (args: A, options: { signal: AbortSignal }) => Promise<R>;
  /** Read before every update; the task runs again when any argument changes (===). */
  args?: () => A;
  /** Run automatically when the arguments change (default true). */
  autoRun?: boolean;
}

export interface TaskRenderers<R> {
  initial?: () => unknown;
  pending?: () => unknown;
  complete?: (value: R) => unknown;
  error?: (error: unknown) => unknown;
}

export class Task<A extends readonly unknown[] = readonly unknown[], R = unknown> implements ReactiveController {
  status: TaskStatus = TaskStatus.INITIAL;
  value?: R;
  error?: unknown;
  private lastArgs?: A;
  private controller?: AbortController;
  private done: Promise<void> = Promise.resolve();
  private interrupted = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly config: TaskConfig<A, R>,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    if (this.config.autoRun === false || !this.config.args) return;
    const args = this.config.args();
    const last = this.lastArgs;
    if (!last || args.length !== last.length || args.some((arg, i) => arg !== last[i])) void this.run(args);
  }

  hostConnected(): void {
    if (this.interrupted) {
      this.interrupted = false;
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    // A run cut short by leaving the page is run again on return.
    if (this.status === TaskStatus.PENDING) {
      this.abort();
      this.lastArgs = undefined;
      this.interrupted = true;
    }
  }

  /** Settles when the latest run has finished (whatever its outcome). */
  get taskComplete(): Promise<void> {
    return this.done;
  }

  /** Runs now with `args` (default: the config's), aborting a run in progress. */
  run(args: A | undefined = this.config.args?.()): Promise<void> {
    this.abort();
    const controller = (this.controller = new AbortController());
    this.lastArgs = args;
    this.status = TaskStatus.PENDING;
    this.host.requestUpdate();
    this.done = this.config.task((args ?? []) as unknown as A, { signal: controller.signal }).then(
      (value) => this.settle(controller, TaskStatus.COMPLETE, value, undefined),
      (error: unknown) => this.settle(controller, TaskStatus.ERROR, undefined, error),
    );
    return this.done;
  }

  abort(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  render(renderers: TaskRenderers<R>): unknown {
    switch (this.status) {
      case TaskStatus.INITIAL:
        return renderers.initial?.();
      case TaskStatus.PENDING:
        return renderers.pending?.();
      case TaskStatus.COMPLETE:
        return renderers.complete?.(this.value as R);
      default:
        return renderers.error?.(this.error);
    }
  }

  private settle(controller: AbortController, status: TaskStatus, value: R | undefined, error: unknown): void {
    // A superseded or aborted run reports nothing.
    if (controller !== this.controller) return;
    this.controller = undefined;
    this.status = status;
    this.value = value;
    this.error = error;
    this.host.requestUpdate();
  }
}
