/// <reference types="mocha" />
// The Estimates view on its own, with the contexts <portal-app> would provide (as portal-appointments.test.ts).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../index.js';
import '../../portal-app.js';
import type { PortalEstimateApprovedEvent } from '../../events/portal-estimate-approved.js';
import type { PortalEstimateDeclinedEvent } from '../../events/portal-estimate-declined.js';
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
  sampleEstimate,
  settle,
  textOf,
  type Answer,
} from '../../internal/test-fixtures.js';
import type { PortalEstimates } from './portal-estimates.js';

const HOSTILE = '<img src=x onerror=window.__pwned=1>';

let api: FakeApi;
let summaryRefreshed: number;

beforeEach(() => {
  api = new FakeApi();
  summaryRefreshed = 0;
});

afterEach(() => setViewport({ width: 800, height: 600 }));

async function view(options: { lang?: string; width?: number; estimateId?: string } = {}): Promise<PortalEstimates> {
  const host = await fixture<HTMLDivElement>(html`<div lang=${options.lang ?? 'en'} style="width: ${options.width ?? 720}px"></div>`);
  provideContexts(host, {
    api: api.client(),
    session: { token: 'session-token', expiresAt: '2099-01-01T00:00:00Z' },
    business: api.business,
    shell: { summary: api.summary, refreshSummary: () => summaryRefreshed++ },
  });
  const el = document.createElement('portal-estimates');
  if (options.estimateId) el.estimateId = options.estimateId;
  host.append(el);
  await settle(el, api);
  return el;
}

function estimate(el: Element, number: string): HTMLElement {
  const card = findAll(el, '[part="estimate"]').find((c) => textOf(find(c, 'h4')) === `Estimate ${number}`);
  if (!card) throw new Error(`no estimate ${number}`);
  return card;
}

const dialog = (el: Element) => find<HTMLDialogElement>(el, 'dialog');
const sections = (el: Element) => findAll(el, 'section.section');

describe('<portal-estimates>', () => {
  it('open estimates first with their options and line items, then past ones', async () => {
    const el = await view();
    const [open, past] = sections(el);
    expect(textOf(find(open!, 'h3'))).to.equal('Waiting for your answer');
    expect(findAll(open!, '[part="estimate"] h4').map(textOf)).to.deep.equal(['Estimate EST-201', 'Estimate EST-202']);
    expect(textOf(find(past!, 'h3'))).to.equal('Past estimates');
    expect(findAll(past!, '[part="estimate"] h4').map(textOf)).to.deep.equal(['Estimate EST-150', 'Estimate EST-140', 'Estimate EST-120']);

    const choice = estimate(el, 'EST-201');
    expect(textOf(choice)).to.include('Status: Open').and.include('Valid until');
    const options = findAll(choice, '[part="option"]');
    expect(options.map((o) => textOf(find(o, 'h5')))).to.deep.equal(['Option 1: Repair the valve', 'Option 2: Replace the heater']);
    expect(textOf(options[1]!)).to.include('Includes haul-away of the old unit.');
    expect(findAll(options[1]!, 'tbody tr').map(textOf)).to.deep.equal([
      'Water heater, 50 gal 1 × $1,400.00 $1,400.00',
      'Installation 1 × $300.00 $300.00',
    ]);
    expect(findAll(options[1]!, '.totals div').map(textOf)).to.deep.equal(['Subtotal $1,700.00', 'Tax $136.00', 'Total $1,836.00']);
    expect(textOf(find(choice, 'button.approve'))).to.equal('Approve Estimate EST-201');
    expect(textOf(find(choice, 'button.decline'))).to.equal('Decline Estimate EST-201');
    // One option: named without a number.
    expect(textOf(find(estimate(el, 'EST-202'), 'h5'))).to.equal('Annual service');
    await expect(el).to.be.accessible();
  });

  it('past estimates: approved with the option chosen, declined with the reason, expired; details on demand, no buttons', async () => {
    const el = await view();
    const approved = estimate(el, 'EST-150');
    expect(textOf(approved)).to.include('Status: Approved').and.match(/Approved on .+\. Option chosen: Standard, \$120\.00/);
    expect(textOf(estimate(el, 'EST-140'))).to.include('Status: Declined').and.include('Declined on').and.include('Your reason We went with a cheaper quote.');
    expect(textOf(estimate(el, 'EST-120'))).to.include('Status: Expired').and.include('Expired on');
    for (const card of [approved, estimate(el, 'EST-140'), estimate(el, 'EST-120')]) {
      expect(maybeFind(card, 'button') === undefined, 'a past estimate has buttons').to.equal(true);
      const details = find<HTMLDetailsElement>(card, 'details');
      expect(details.open).to.equal(false);
    }
    find(approved, 'summary').click();
    expect(find<HTMLDetailsElement>(approved, 'details').open).to.equal(true);
    expect(find(approved, '[part="option"]').classList.contains('chosen')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('Approve with several options: choose one in the dialog, confirm; it moves to Past, focused, announced, with an event', async () => {
    const el = await view();
    find<HTMLButtonElement>(estimate(el, 'EST-201'), 'button.approve').click();
    await settle(el, api);
    expect(dialog(el).open).to.equal(true);
    expect(textOf(find(dialog(el), 'h3'))).to.equal('Approve estimate EST-201');
    expect(textOf(find(dialog(el), 'legend'))).to.equal('Choose an option');
    const radios = findAll<HTMLInputElement>(dialog(el), 'input[type="radio"]');
    expect(radios.map((r) => textOf(r.closest('label')!))).to.deep.equal(['Option 1: Repair the valve $194.40', 'Option 2: Replace the heater $1,836.00']);
    expect(radios.some((r) => r.checked), 'an option chosen for the customer').to.equal(false);
    await expect(el).to.be.accessible();

    // Confirming without choosing: told to choose, nothing sent.
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    await settle(el, api);
    expect(textOf(find(dialog(el), '#option-error'))).to.equal('Choose the option you want.');
    expect(radios[0]!.getAttribute('aria-invalid')).to.equal('true');
    expect(deepActiveElement() === radios[0], 'focus did not go to the options').to.equal(true);
    expect(api.calls('POST /estimates/est_201/approve')).to.have.length(0);
    await expect(el).to.be.accessible();

    radios[1]!.click();
    await settle(el, api);
    expect(maybeFind(dialog(el), '#option-error') === undefined, 'the error stayed').to.equal(true);
    const approved = oneEvent(el, 'portal-estimate-approved') as Promise<PortalEstimateApprovedEvent>;
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    const event = await approved;
    await waitUntil(() => !dialog(el).open && deepActiveElement() === maybeFind(el, '#estimate-est_201'), 'the dialog did not close');
    expect(api.calls('POST /estimates/est_201/approve')[0]!.body).to.deep.equal({ optionId: 'opt_replace' });
    expect(event.detail).to.deep.equal({ estimateId: 'est_201', number: 'EST-201', optionId: 'opt_replace' });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(dialog(el).open).to.equal(false);
    expect(summaryRefreshed).to.equal(1);
    const status = find(el, '.live[role="status"]');
    expect(textOf(status)).to.equal('You approved estimate EST-201 (Replace the heater). Acme Plumbing has been told.');
    const [open, past] = sections(el);
    expect(textOf(open!)).to.not.include('EST-201');
    expect(textOf(estimate(past!, 'EST-201'))).to.include('Status: Approved').and.include('Option chosen: Replace the heater, $1,836.00');
    await expect(el).to.be.accessible();
  });

  it('Approve with one option says which', async () => {
    const el = await view();
    find<HTMLButtonElement>(estimate(el, 'EST-202'), 'button.approve').click();
    await settle(el, api);
    expect(maybeFind(dialog(el), 'input[type="radio"]') === undefined, 'radios for one option').to.equal(true);
    expect(textOf(dialog(el))).to.include("You're approving Annual service for $120.00.").and.include('Acme Plumbing will be told');
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    await settle(el, api);
    // The option seen is the option approved, even if the business adds one meanwhile.
    expect(api.calls('POST /estimates/est_202/approve')[0]!.body).to.deep.equal({ optionId: 'opt_single' });
  });

  it('Cancel (or Escape) closes the dialog, sends nothing, and focus returns to the button', async () => {
    const el = await view();
    const approve = find<HTMLButtonElement>(estimate(el, 'EST-201'), 'button.approve');
    approve.focus();
    approve.click();
    await settle(el, api);
    findAll<HTMLButtonElement>(dialog(el), 'button').find((b) => textOf(b) === 'Cancel')!.click();
    await settle(el, api);
    expect(dialog(el).open).to.equal(false);
    expect(deepActiveElement() === approve, 'focus did not return to Approve').to.equal(true);

    await sendKeys({ press: 'Enter' });
    await settle(el, api);
    expect(dialog(el).open).to.equal(true);
    await sendKeys({ press: 'Escape' });
    await settle(el, api);
    expect(dialog(el).open).to.equal(false);
    expect(deepActiveElement() === approve, 'focus did not return to Approve after Escape').to.equal(true);
    expect(api.calls('POST /estimates/est_201/approve')).to.have.length(0);
  });

  it('Decline with an optional reason, confirmed in the dialog', async () => {
    const el = await view();
    find<HTMLButtonElement>(estimate(el, 'EST-202'), 'button.decline').click();
    await settle(el, api);
    expect(textOf(find(dialog(el), 'h3'))).to.equal('Decline estimate EST-202');
    const reason = find<HTMLTextAreaElement>(dialog(el), 'textarea');
    expect(textOf(find(dialog(el), `label[for="${reason.id}"]`))).to.equal('Reason (optional)');
    await expect(el).to.be.accessible();
    reason.value = '  Too expensive for now.  ';
    const declined = oneEvent(el, 'portal-estimate-declined') as Promise<PortalEstimateDeclinedEvent>;
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    const event = await declined;
    await waitUntil(() => !dialog(el).open && deepActiveElement() === maybeFind(el, '#estimate-est_202'), 'focus is not on the declined estimate');
    expect(api.calls('POST /estimates/est_202/decline')[0]!.body).to.deep.equal({ reason: 'Too expensive for now.' });
    expect(event.detail).to.deep.equal({ estimateId: 'est_202', number: 'EST-202', reason: 'Too expensive for now.' });
    expect(textOf(find(el, '.live[role="status"]'))).to.equal('You declined estimate EST-202. Acme Plumbing has been told.');
    expect(textOf(estimate(el, 'EST-202'))).to.include('Status: Declined').and.include('Your reason Too expensive for now.');
    expect(summaryRefreshed).to.equal(1);

    // Without a reason: none is sent.
    find<HTMLButtonElement>(estimate(el, 'EST-201'), 'button.decline').click();
    await settle(el, api);
    expect(find<HTMLTextAreaElement>(dialog(el), 'textarea').value).to.equal('');
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    await settle(el, api);
    expect(api.calls('POST /estimates/est_201/decline')[0]!.body).to.deep.equal({});
  });

  it('expired meanwhile (409 estimate_expired): says so in the dialog, and shows it expired', async () => {
    const el = await view();
    api.estimates[1] = sampleEstimate('single', { status: 'expired', expiresAt: new Date(Date.now() - 1000).toISOString() });
    find<HTMLButtonElement>(estimate(el, 'EST-202'), 'button.approve').click();
    await settle(el, api);
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    await waitUntil(() => !maybeFind(dialog(el), 'button[type="submit"]'), 'Approve stayed offered');
    expect(textOf(find(dialog(el), '[role="alert"]'))).to.equal('This estimate has expired. Please contact Acme Plumbing for a new one.');
    expect(textOf(find(dialog(el), 'button'))).to.equal('Close');
    await expect(el).to.be.accessible();
    find<HTMLButtonElement>(dialog(el), 'button').click();
    await settle(el, api);
    expect(textOf(estimate(el, 'EST-202'))).to.include('Status: Expired');
    expect(summaryRefreshed).to.equal(0);
  });

  it('answered meanwhile (409 estimate_not_open) or no network: says so', async () => {
    const el = await view();
    api.on('POST /estimates/est_202/approve', 'network-error');
    find<HTMLButtonElement>(estimate(el, 'EST-202'), 'button.approve').click();
    await settle(el, api);
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    await settle(el, api);
    expect(textOf(find(dialog(el), '[role="alert"]'))).to.include("We couldn't reach the server.");
    // Still open: Approve can be tried again.
    expect(maybeFind(dialog(el), 'button[type="submit"]') !== undefined, 'no way to try again').to.equal(true);

    api.on('POST /estimates/est_202/approve', replies.apiError(409, 'estimate_not_open', 'Estimate EST-202 was already declined.'));
    api.estimates[1] = sampleEstimate('single', { status: 'declined', decidedAt: new Date().toISOString() });
    find<HTMLButtonElement>(dialog(el), 'button[type="submit"]').click();
    await settle(el, api);
    expect(textOf(find(dialog(el), '[role="alert"]'))).to.equal('This estimate has already been answered.');
  });

  it('shows its status while deciding, and does not send twice', async () => {
    const held = deferred<Answer>();
    api.on('POST /estimates/est_202/decline', () => held.promise);
    const el = await view();
    find<HTMLButtonElement>(estimate(el, 'EST-202'), 'button.decline').click();
    await settle(el, api);
    const submit = find<HTMLButtonElement>(dialog(el), 'button[type="submit"]');
    submit.click();
    await settle(el);
    expect(textOf(submit)).to.equal('Declining…');
    expect(submit.getAttribute('aria-disabled')).to.equal('true');
    submit.click();
    expect(api.calls('POST /estimates/est_202/decline')).to.have.length(1);
    held.resolve(replies.json(200, sampleEstimate('single', { status: 'declined', decidedAt: new Date().toISOString() })));
    await settle(el, api);
    expect(dialog(el).open).to.equal(false);
  });

  it('approve and decline with the keyboard alone', async () => {
    const el = await view();
    find<HTMLButtonElement>(estimate(el, 'EST-201'), 'button.approve').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el, api);
    const radios = findAll<HTMLInputElement>(dialog(el), 'input[type="radio"]');
    expect(deepActiveElement() === radios[0], 'the dialog did not take focus').to.equal(true);
    await sendKeys({ press: 'ArrowDown' });
    await settle(el, api);
    expect(radios[1]!.checked).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(textOf(deepActiveElement()!)).to.equal('Approve');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement() === maybeFind(el, '#estimate-est_201'), 'focus is not on the approved estimate');
    expect(api.calls('POST /estimates/est_201/approve')[0]!.body).to.deep.equal({ optionId: 'opt_replace' });

    find<HTMLButtonElement>(estimate(el, 'EST-202'), 'button.decline').focus();
    await sendKeys({ press: 'Space' });
    await settle(el, api);
    expect(deepActiveElement()?.localName).to.equal('textarea');
    await sendKeys({ type: 'Not now' });
    await sendKeys({ press: 'Tab' });
    expect(textOf(deepActiveElement()!)).to.equal('Decline estimate');
    await sendKeys({ press: 'Enter' });
    await settle(el, api);
    expect(api.calls('POST /estimates/est_202/decline')[0]!.body).to.deep.equal({ reason: 'Not now' });
  });

  it('opens the estimate an emailed link was about, with a way back to all', async () => {
    api.on('GET /estimates', replies.json(200, { data: [], nextCursor: null }));
    const el = await view({ estimateId: 'est_201' });
    expect(api.calls('GET /estimates/est_201')).to.have.length(1);
    expect(findAll(el, '[part="estimate"]')).to.have.length(1);
    expect(textOf(find(el, '[part="estimate"] h4'))).to.equal('Estimate EST-201');
    el.focusHeading();
    expect(deepActiveElement() === find(el, '#estimate-est_201'), 'the shell focuses the estimate').to.equal(true);
    find<HTMLButtonElement>(el, '.back').click();
    await settle(el, api);
    expect(textOf(find(el, '.state'))).to.equal('You have no estimates.');

    const gone = await view({ estimateId: 'est_canceled' });
    expect(textOf(find(gone, '[role="alert"]'))).to.equal("We couldn't find that estimate. It may have been withdrawn.");
  });

  it('empty, loading, failed; nothing open', async () => {
    api.estimates = [];
    expect(textOf(find(await view(), '.state'))).to.equal('You have no estimates.');

    api.estimates = [sampleEstimate('approved')];
    expect(textOf(sections(await view())[0]!)).to.include('You have no open estimates.');

    const held = deferred<Answer>();
    api.on('GET /estimates', () => held.promise);
    const el = await view();
    expect(textOf(find(el, '[aria-busy] [role="status"]'))).to.equal('Loading estimates…');
    await expect(el).to.be.accessible();
    held.resolve(replies.apiError(500, 'internal_error', 'Oops.'));
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.equal("We couldn't load your estimates. Try again");
    api.on('GET /estimates', replies.json(200, { data: [sampleEstimate('single')], nextCursor: null }));
    find<HTMLButtonElement>(el, '[role="alert"] button').click();
    await settle(el, api);
    expect(findAll(el, '[part="estimate"]')).to.have.length(1);
  });

  it('renders what the business typed as text (SECURITY E3)', async () => {
    api.estimates = [
      sampleEstimate('choice', {
        options: [
          { id: 'o1', name: HOSTILE, description: HOSTILE, lineItems: [{ description: HOSTILE, quantity: 1, unitAmount: 100, amount: 100 }], subtotal: 100, taxAmount: 0, total: 100 },
          { id: 'o2', name: 'Other', lineItems: [], subtotal: 0, taxAmount: 0, total: 0 },
        ],
      }),
      sampleEstimate('declined', { declineReason: HOSTILE }),
    ];
    const el = await view();
    find<HTMLButtonElement>(el, 'button.approve').click();
    await settle(el, api);
    expect(textOf(find(el, '[part="option"] h5'))).to.equal(`Option 1: ${HOSTILE}`);
    expect(textOf(find(el, 'tbody td'))).to.include(HOSTILE);
    expect(textOf(find(dialog(el), 'label'))).to.include(HOSTILE);
    expect(textOf(estimate(el, 'EST-140'))).to.include(HOSTILE);
    expect(maybeFind(el, 'img') === undefined, 'markup from the business was rendered').to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('in Spanish, the dialog too', async () => {
    const el = await view({ lang: 'es' });
    expect(textOf(find(el, '[data-heading]'))).to.equal('Presupuestos');
    const [open, past] = sections(el);
    expect(textOf(find(open!, 'h3'))).to.equal('Esperan tu respuesta');
    expect(textOf(find(past!, 'h3'))).to.equal('Presupuestos anteriores');
    const card = findAll(el, '[part="estimate"]')[0]!;
    expect(textOf(find(card, 'h4'))).to.equal('Presupuesto EST-201');
    expect(textOf(card)).to.include('Opción 2: Replace the heater').and.include('Válido hasta el').and.include('Estado: Abierto');
    expect(textOf(find(card, '.totals'))).to.include('Impuestos 14,40 US$');
    expect(textOf(findAll(past!, '[part="estimate"]')[0]!)).to.include('Aprobado el');
    find<HTMLButtonElement>(card, 'button.approve').click();
    await settle(el, api);
    expect(textOf(find(dialog(el), 'h3'))).to.equal('Aprobar el presupuesto EST-201');
    expect(textOf(find(dialog(el), 'legend'))).to.equal('Elige una opción');
    await expect(el).to.be.accessible();
  });

  it('fits a 360 px phone, dialog included', async () => {
    await setViewport({ width: 360, height: 740 });
    const el = await view({ width: 328 });
    expect(overflowing(el), 'something sticks out').to.deep.equal([]);
    find<HTMLButtonElement>(el, 'button.approve').click();
    await settle(el, api);
    const box = dialog(el).getBoundingClientRect();
    expect(box.left).to.be.at.least(0);
    expect(box.right).to.be.at.most(360);
    expect(overflowing(dialog(el)), 'something sticks out of the dialog').to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});
