/// <reference types="mocha" />
import { expect, fixture, html as testHtml } from '@open-wc/testing';
import { html, LitElement } from 'lit';
import { Task, TaskStatus } from './task.js';

class TaskHost extends LitElement {
  static override properties = { id: {} };
  signals: AbortSignal[] = [];
  resolvers: ((value: string) => void)[] = [];
  task = new Task(this, {
    args: () => [this.id] as const,
    task: ([id], { signal }) => {
      this.signals.push(signal);
      return new Promise<string>((resolve) => this.resolvers.push((v) => resolve(`${id}:${v}`)));
    },
  });
  override render() {
    return this.task.render({ pending: () => html`pending`, complete: (v) => html`${v}`, error: () => html`error` });
  }
}
customElements.define('task-host', TaskHost);

describe('Task (the small @lit/task stand-in)', () => {
  it('runs when its arguments change, aborts the run it replaces, and renders by status', async () => {
    const el = await fixture<TaskHost>(testHtml`<task-host id="a"></task-host>`);
    expect(el.shadowRoot!.textContent).to.include('pending');
    el.id = 'b';
    await el.updateComplete;
    expect(el.signals[0]!.aborted).to.equal(true);
    el.resolvers[0]!('late'); // the replaced run reports nothing
    el.resolvers[1]!('done');
    await el.task.taskComplete;
    await el.updateComplete;
    expect(el.task.status).to.equal(TaskStatus.COMPLETE);
    expect(el.shadowRoot!.textContent).to.include('b:done');
    expect(el.shadowRoot!.textContent).to.not.include('late');
  });

  it('aborts when the element leaves the page, and runs again when it comes back', async () => {
    const el = await fixture<TaskHost>(testHtml`<task-host id="a"></task-host>`);
    const parent = el.parentElement!;
    el.remove();
    expect(el.signals[0]!.aborted).to.equal(true);
    parent.append(el);
    await el.updateComplete;
    expect(el.signals).to.have.length(2);
  });
});
