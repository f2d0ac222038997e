/// <reference types="mocha" />
// The messages view on its own, with the contexts <portal-app> would provide (as portal-appointments.test.ts).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../index.js';
import '../../portal-app.js';
import type { PortalMessageSentEvent } from '../../events/portal-message-sent.js';
import {
  deepActiveElement,
  deferred,
  FakeApi,
  find,
  findAll,
  maybeFind,
  overflowing,
  provideContexts,
  replies,
  sampleMessage,
  settle,
  textOf,
  type Answer,
} from '../../internal/test-fixtures.js';
import type { PortalMessages } from './portal-messages.js';

const HOSTILE = '<img src=x onerror=window.__pwned=1>';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi();
  api.business.features.messaging = true;
});

afterEach(() => setViewport({ width: 800, height: 600 }));

async function view(options: { lang?: string; width?: number } = {}): Promise<PortalMessages> {
  const host = await fixture<HTMLDivElement>(html`<div lang=${options.lang ?? 'en'} style="width: ${options.width ?? 720}px"></div>`);
  provideContexts(host, {
    api: api.client(),
    session: { token: 'session-token', expiresAt: '2099-01-01T00:00:00Z' },
    business: api.business,
  });
  const el = document.createElement('portal-messages');
  host.append(el);
  await settle(el, api);
  return el;
}

const messages = (el: Element) => findAll(el, '[part="message"]');
const dialog = (el: Element) => find<HTMLDialogElement>(el, 'dialog');
const field = <E extends Element = HTMLInputElement>(el: Element, selector: string) => find<E>(dialog(el), selector);
const kind = (el: Element, value: string) => field(el, `input[name="kind"][value="${value}"]`);
const submit = (el: Element) => field<HTMLButtonElement>(el, 'button[type="submit"]');

async function compose(el: PortalMessages): Promise<void> {
  find<HTMLButtonElement>(el, '.compose').click();
  await settle(el, api);
}

describe('<portal-messages>', () => {
  it('lists the messages sent, newest first, with the business’s replies', async () => {
    const el = await view();
    expect(textOf(find(el, '[data-heading]'))).to.equal('Send a message');
    expect(textOf(el)).to.include('Ask Acme Plumbing for a new appointment, a change to one, or anything else.');
    const [first, second] = messages(el);
    expect(textOf(find(first!, 'h4'))).to.equal('Reschedule request');
    expect(find(first!, '.text').textContent).to.equal('Could we move it to Friday?\nMornings are best.');
    expect(textOf(first!)).to.include('Sent ').and.include('Preferred times Friday morning and Monday after 3 pm');
    const reply = find(first!, '[part="reply"]');
    expect(textOf(reply)).to.include('Acme Plumbing').and.include('Friday at 9 works. See you then!');
    expect(find(first!, '.replies').getAttribute('aria-label')).to.equal('Replies from Acme Plumbing');
    expect(textOf(find(second!, 'h4'))).to.equal('Message');
    expect(textOf(second!)).to.include('No reply yet.');
    await expect(el).to.be.accessible();
  });

  it('"Send a message" opens a dialog: what it is about, the message, preferred times', async () => {
    const el = await view();
    const compose = find<HTMLButtonElement>(el, '.compose');
    expect(textOf(compose)).to.equal('Write a message');
    compose.focus();
    compose.click();
    await settle(el, api);
    expect(dialog(el).open).to.equal(true);
    expect(textOf(field(el, 'h3'))).to.equal('Send a message');
    expect(findAll<HTMLInputElement>(dialog(el), 'input[name="kind"]').map((r) => textOf(r.closest('label')!))).to.deep.equal([
      'A new appointment',
      'Reschedule an appointment',
      'Cancel an appointment',
      'Something else',
    ]);
    expect(kind(el, 'new_appointment').checked).to.equal(true);
    expect(deepActiveElement() === kind(el, 'new_appointment'), 'the dialog did not take focus').to.equal(true);
    expect(textOf(field(el, 'label[for="body"]'))).to.equal('Message');
    expect(findAll(dialog(el), '.times input')).to.have.length(3);
    expect(textOf(field(el, '.times legend'))).to.equal('Preferred times (optional)');
    expect(findAll(dialog(el), '.times label').map(textOf)).to.deep.equal(['First choice', 'Second choice', 'Third choice']);
    expect(maybeFind(dialog(el), 'select') === undefined, 'an appointment to pick for a new one').to.equal(true);
    await expect(el).to.be.accessible();

    findAll<HTMLButtonElement>(dialog(el), 'button').find((b) => textOf(b) === 'Cancel')!.click();
    await waitUntil(() => deepActiveElement() === compose, 'focus did not return to the button');
    expect(api.calls('POST /messages')).to.have.length(0);
  });

  it('sends a new-appointment request with preferred times; announces it, lists it first, fires portal-message-sent', async () => {
    const el = await view();
    await compose(el);
    field<HTMLTextAreaElement>(el, 'textarea').value = '  The kitchen sink drips.  ';
    field(el, '#time-0').value = 'Tuesday morning';
    field(el, '#time-2').value = ' After 3 pm ';
    const sent = oneEvent(el, 'portal-message-sent') as Promise<PortalMessageSentEvent>;
    submit(el).click();
    const event = await sent;
    await waitUntil(() => !dialog(el).open, 'the dialog stayed open');
    expect(api.calls('POST /messages')[0]!.body).to.deep.equal({
      kind: 'new_appointment',
      body: 'The kitchen sink drips.',
      preferredTimes: ['Tuesday morning', 'After 3 pm'],
    });
    expect(event.detail).to.deep.equal({ messageId: 'msg_new_2', kind: 'new_appointment' });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(textOf(find(el, '.live[role="status"]'))).to.equal('Message sent. Acme Plumbing will reply here and by email.');
    expect(messages(el)).to.have.length(3);
    expect(textOf(messages(el)[0]!)).to.include('New appointment request').and.include('The kitchen sink drips.');
    await expect(el).to.be.accessible();

    // The next message starts from an empty form.
    await compose(el);
    expect(field<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    expect(field(el, '#time-0').value).to.equal('');
  });

  it('reschedule or cancel: pick one of the upcoming appointments', async () => {
    const el = await view();
    await compose(el);
    kind(el, 'cancel').click();
    await settle(el, api);
    expect(api.calls('GET /appointments')[0]!.query.get('when')).to.equal('upcoming');
    const select = field<HTMLSelectElement>(el, 'select');
    expect(textOf(field(el, `label[for="${select.id}"]`))).to.equal('Which appointment?');
    const options = Array.from(select.options).map((o) => textOf(o));
    expect(options[0]).to.equal('Choose an appointment');
    expect(options[1]).to.include('Water heater install');
    expect(options[2]).to.include('Annual boiler service');
    // Preferred times mean nothing for a cancellation.
    expect(maybeFind(dialog(el), '.times') === undefined, 'preferred times for a cancellation').to.equal(true);
    await expect(el).to.be.accessible();

    field<HTMLTextAreaElement>(el, 'textarea').value = 'We sold the house.';
    submit(el).click();
    await settle(el, api);
    expect(textOf(field(el, '#appointment-error'))).to.equal('Choose the appointment.');
    expect(select.getAttribute('aria-invalid')).to.equal('true');
    expect(select.getAttribute('aria-describedby')).to.equal('appointment-error');
    expect(deepActiveElement() === select, 'focus did not go to the appointment').to.equal(true);
    expect(api.calls('POST /messages')).to.have.length(0);
    await expect(el).to.be.accessible();

    select.value = 'apt_8';
    submit(el).click();
    await waitUntil(() => api.calls('POST /messages').length === 1 && !dialog(el).open, 'not sent');
    expect(api.calls('POST /messages')[0]!.body).to.deep.equal({ kind: 'cancel', body: 'We sold the house.', appointmentId: 'apt_8' });
  });

  it('open() from the shell or another view: about an appointment, preselected', async () => {
    const el = await view();
    await el.open('reschedule', 'apt_8');
    await settle(el, api);
    expect(dialog(el).open).to.equal(true);
    expect(kind(el, 'reschedule').checked).to.equal(true);
    expect(field<HTMLSelectElement>(el, 'select').value).to.equal('apt_8');
  });

  it('an empty message is refused before sending, with the reason tied to the field', async () => {
    const el = await view();
    await compose(el);
    submit(el).click();
    await settle(el, api);
    const body = field<HTMLTextAreaElement>(el, 'textarea');
    expect(body.getAttribute('aria-invalid')).to.equal('true');
    expect(textOf(field(el, `#${body.getAttribute('aria-describedby')}`))).to.equal('Write your message.');
    expect(deepActiveElement() === body, 'focus did not go to the message').to.equal(true);
    expect(api.calls('POST /messages')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('refused by the server: messaging turned off (403), an appointment no longer upcoming (400), no network', async () => {
    const el = await view();
    await compose(el);
    field<HTMLTextAreaElement>(el, 'textarea').value = 'Hello';
    api.on('POST /messages', replies.apiError(403, 'messaging_disabled', 'Off.'));
    submit(el).click();
    await waitUntil(() => maybeFind(dialog(el), '[role="alert"]'), 'no alert');
    expect(textOf(field(el, '[role="alert"]'))).to.equal("Acme Plumbing doesn't take messages through the portal. Please call or email them.");
    expect(dialog(el).open).to.equal(true);
    await expect(el).to.be.accessible();

    api.on('POST /messages', 'network-error');
    submit(el).click();
    await waitUntil(() => textOf(field(el, '[role="alert"]')).includes("couldn't reach"), 'no network alert');

    api.on('POST /messages', replies.apiError(400, 'invalid_appointment', 'Not upcoming.'));
    kind(el, 'reschedule').click();
    await settle(el, api);
    field<HTMLSelectElement>(el, 'select').value = 'apt_1';
    const before = api.calls('GET /appointments').length;
    submit(el).click();
    await waitUntil(() => textOf(field(el, '[role="alert"]')).includes("can't be changed"), 'no invalid-appointment alert');
    expect(textOf(field(el, '[role="alert"]'))).to.equal("That appointment can't be changed here any more. Choose another one.");
    // What is still upcoming is asked for again.
    await waitUntil(() => api.calls('GET /appointments').length === before + 1, 'appointments not reloaded');
  });

  it('no upcoming appointments to change: says so', async () => {
    api.appointments.upcoming = [];
    const el = await view();
    await el.open('reschedule');
    await settle(el, api);
    expect(textOf(field(el, '#appointment-error'))).to.equal('You have no upcoming appointments to change.');
    field<HTMLTextAreaElement>(el, 'textarea').value = 'Hello';
    submit(el).click();
    await settle(el, api);
    expect(api.calls('POST /messages')).to.have.length(0);
    expect(deepActiveElement() === field(el, '#appointment-error'), 'focus did not go to the note').to.equal(true);
  });

  it('shows that it is sending, and sends once', async () => {
    const held = deferred<Answer>();
    api.on('POST /messages', () => held.promise);
    const el = await view();
    await compose(el);
    field<HTMLTextAreaElement>(el, 'textarea').value = 'Hello';
    submit(el).click();
    await settle(el);
    expect(textOf(submit(el))).to.equal('Sending…');
    expect(submit(el).getAttribute('aria-disabled')).to.equal('true');
    submit(el).click();
    expect(api.calls('POST /messages')).to.have.length(1);
    held.resolve(replies.json(201, sampleMessage(9, { body: 'Hello' })));
    await waitUntil(() => !dialog(el).open, 'the dialog stayed open');
  });

  it('send with the keyboard alone', async () => {
    const el = await view();
    find<HTMLButtonElement>(el, '.compose').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el, api);
    // Arrow keys move between the kinds; Tab to the appointment, then the message.
    await sendKeys({ press: 'ArrowDown' });
    await settle(el, api);
    expect(kind(el, 'reschedule').checked).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.localName).to.equal('select');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.localName).to.equal('textarea');
    await sendKeys({ type: 'Please move it a week.' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Next Monday' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(textOf(deepActiveElement()!)).to.equal('Send message');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !dialog(el).open, 'not sent');
    expect(api.calls('POST /messages')[0]!.body).to.deep.equal({
      kind: 'reschedule',
      body: 'Please move it a week.',
      appointmentId: 'apt_1',
      preferredTimes: ['Next Monday'],
    });
    await waitUntil(() => deepActiveElement() === find(el, '.compose'), 'focus did not return');
  });

  it('empty, loading, failed', async () => {
    api.messages = [];
    expect(textOf(find(await view(), '.state'))).to.equal("You haven't sent any messages yet.");

    const held = deferred<Answer>();
    api.on('GET /messages', () => held.promise);
    const el = await view();
    expect(textOf(find(el, '[aria-busy] [role="status"]'))).to.equal('Loading messages…');
    await expect(el).to.be.accessible();
    held.resolve('network-error');
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.equal("We couldn't load your messages. Try again");
    api.on('GET /messages', replies.json(200, { data: [sampleMessage(1)], nextCursor: null }));
    find<HTMLButtonElement>(el, '[role="alert"] button').click();
    await settle(el, api);
    expect(messages(el)).to.have.length(1);
  });

  it('when the business takes no messages: the history, no form', async () => {
    api.business.features.messaging = false;
    const el = await view();
    expect(maybeFind(el, '.compose') === undefined, 'a way to write').to.equal(true);
    expect(maybeFind(el, 'dialog') === undefined, 'a dialog').to.equal(true);
    expect(textOf(el)).to.include("Acme Plumbing doesn't take messages through the portal. Please call or email them.");
    await el.open();
    expect(messages(el)).to.have.length(2);
  });

  it('renders what the business typed as text (SECURITY E3)', async () => {
    api.messages = [sampleMessage(1, { body: HOSTILE, replies: [{ id: 'r', body: HOSTILE, createdAt: new Date().toISOString() }] })];
    api.business.name = HOSTILE;
    const el = await view();
    expect(textOf(find(el, '[part="reply"]'))).to.include(HOSTILE);
    expect(textOf(find(el, '[part="message"] .text'))).to.equal(HOSTILE);
    expect(maybeFind(el, 'img') === undefined, 'markup from the business was rendered').to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('in Spanish, the form too', async () => {
    const el = await view({ lang: 'es' });
    expect(textOf(find(el, '[data-heading]'))).to.equal('Enviar un mensaje');
    expect(textOf(messages(el)[0]!)).to.include('Solicitud de cambio de cita').and.include('Enviado el');
    expect(textOf(messages(el)[1]!)).to.include('Aún sin respuesta.');
    await compose(el);
    expect(textOf(field(el, 'legend'))).to.equal('¿De qué se trata?');
    expect(textOf(kind(el, 'cancel').closest('label')!)).to.equal('Cancelar una cita');
    expect(textOf(submit(el))).to.equal('Enviar mensaje');
    await expect(el).to.be.accessible();
  });

  it('fits a 360 px phone, dialog included', async () => {
    await setViewport({ width: 360, height: 740 });
    const el = await view({ width: 328 });
    expect(overflowing(el), 'something sticks out').to.deep.equal([]);
    await el.open('reschedule');
    await settle(el, api);
    const box = dialog(el).getBoundingClientRect();
    expect(box.left).to.be.at.least(0);
    expect(box.right).to.be.at.most(360);
    expect(overflowing(dialog(el)), 'something sticks out of the dialog').to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});
