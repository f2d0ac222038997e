// Runs in the page bench/widget-render.ts serves, after dist/portal.js and dist/portal-app.js.
// Renders the customer's appointments two ways and times each until the rows are in the DOM and
// laid out:
//
//   view   <portal-appointments>, its own code: it gets its API client, session, business and
//          shell through the same contexts <portal-app> provides (answered here), and calls
//          `api.appointments()` as in the app; the stub client parses the stubbed response text
//          fetched from the bench's page server before timing starts (no network in the figure).
//   plain  the same markup built with document.createElement in one go, with the same styles
//          (the view's own constructable stylesheets) in a shadow root, and the same Intl formatting.
//
// `bench.describe(variant)` gives the rendered structure (without Lit's comment markers) so the
// bench can check that both variants produce the same elements, attributes and text.

const host = document.getElementById('host');
const locale = 'en';

let responseText = '';
const api = {
  // PortalClient.appointments(when, page, signal) answers the parsed page.
  appointments: async () => JSON.parse(responseText),
};
const provided = new Map([
  [Symbol.for('doorstep.api'), api],
  [Symbol.for('doorstep.session'), { token: 'bench-session', expiresAt: '2099-01-01T00:00:00.000Z' }],
  [Symbol.for('doorstep.business'), { id: 'bench-plumbing', name: 'Bench Plumbing', language: 'en', features: { payments: false, messaging: false } }],
  [Symbol.for('doorstep.portal'), { summary: undefined, navigate() {}, refreshSummary() {} }],
]);
const keep = () => {};
// The @lit/context protocol, as <portal-app>'s providers answer it.
host.addEventListener('context-request', (event) => {
  if (!provided.has(event.context)) return;
  event.stopPropagation();
  event.callback(provided.get(event.context), keep);
});

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the last row once `count` rows are in the element's shadow root. */
function rowsOf(root, count) {
  return new Promise((resolve) => {
    const check = () => {
      const rows = root.querySelectorAll('ol.cards > li');
      if (rows.length !== count) return false;
      observer.disconnect();
      resolve(rows[count - 1]);
      return true;
    };
    const observer = new MutationObserver(check);
    observer.observe(root, { childList: true, subtree: true });
    check();
  });
}

async function renderView(count) {
  const start = performance.now();
  const el = document.createElement('portal-appointments');
  host.append(el);
  const last = await rowsOf(el.shadowRoot, count);
  last.getBoundingClientRect(); // style and layout of the whole list
  return { ms: performance.now() - start, el };
}

// ---- plain DOM: what a hand-written renderer of the same markup does ----

function h(tag, attributes, ...children) {
  const el = document.createElement(tag);
  for (const name in attributes) el.setAttribute(name, attributes[name]);
  if (children.length) el.append(...children);
  return el;
}

const STATUS = { scheduled: 'Scheduled', in_progress: 'In progress', completed: 'Completed', canceled: 'Canceled' };

function plainList(appointments) {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'full' });
  const times = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const lists = new Intl.ListFormat(locale, { type: 'conjunction' });
  const ol = h('ol', { class: 'cards' });
  appointments.forEach((a, index) => {
    const time = a.arrivalWindow
      ? `Arrival window: ${times.formatRange(new Date(a.arrivalWindow.start), new Date(a.arrivalWindow.end))}`
      : a.endsAt
        ? times.formatRange(new Date(a.startsAt), new Date(a.endsAt))
        : `Starts at ${times.format(new Date(a.startsAt))}`;
    const article = h(
      'article',
      { part: 'appointment', class: `card appointment status-${a.status}`, 'aria-labelledby': `appointment-${index}` },
      h(
        'div',
        { class: 'appointment-head' },
        h('h3', { id: `appointment-${index}` }, dates.format(new Date(a.startsAt))),
        h('span', { class: 'status', part: 'status' }, h('span', { class: 'sr-only' }, 'Status: '), STATUS[a.status] ?? a.status),
      ),
      h('p', { class: 'time' }, time),
      h('p', { class: 'description' }, a.description),
    );
    if (a.address || a.technicians.length) {
      const details = h('dl', { class: 'details' });
      if (a.address) details.append(h('div', {}, h('dt', {}, 'Address'), h('dd', {}, a.address)));
      if (a.technicians.length) {
        details.append(h('div', {}, h('dt', {}, a.technicians.length === 1 ? 'Technician' : 'Technicians'), h('dd', {}, lists.format(a.technicians))));
      }
      article.append(details);
    }
    ol.append(h('li', {}, article));
  });
  return ol;
}

function plainFrame(appointments) {
  const tab = (when, label, selected) =>
    h('button', { class: 'tab', part: 'tab', role: 'tab', type: 'button', 'aria-controls': 'panel', id: `tab-${when}`, 'aria-selected': String(selected), tabindex: selected ? '0' : '-1' }, label);
  return h(
    'section',
    { class: 'base', part: 'base', 'aria-labelledby': 'view-heading', lang: locale },
    h('h2', { id: 'view-heading', class: 'view-heading', part: 'heading', 'data-heading': '', tabindex: '-1' }, 'Appointments'),
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Appointments' }, tab('upcoming', 'Upcoming', true), tab('past', 'Past', false)),
    h('div', { id: 'panel', class: 'panel', role: 'tabpanel', tabindex: '0', 'aria-labelledby': 'tab-upcoming' }, plainList(appointments)),
  );
}

async function renderPlain(count) {
  const start = performance.now();
  const { data } = JSON.parse(responseText);
  const el = document.createElement('div');
  host.append(el);
  const root = el.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = customElements.get('portal-appointments').elementStyles.map((style) => style.styleSheet);
  root.append(plainFrame(data));
  const rows = root.querySelectorAll('ol.cards > li');
  rows[count - 1].getBoundingClientRect();
  return { ms: performance.now() - start, el };
}

/** Elements, attributes (sorted) and text (adjacent pieces joined, trimmed), without comments. */
function structure(el) {
  const attributes = [...el.attributes].map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort().join(' ');
  let children = '';
  let text = '';
  const flush = () => {
    if (text.trim()) children += JSON.stringify(text.trim());
    text = '';
  };
  for (const child of el.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) text += child.data;
    else if (child.nodeType === Node.ELEMENT_NODE) {
      flush();
      children += structure(child);
    }
  }
  flush();
  return `<${el.localName}${attributes ? ` ${attributes}` : ''}>${children}</${el.localName}>`;
}

const render = { view: renderView, plain: renderPlain };

window.bench = {
  ready: (async () => {
    await customElements.whenDefined('portal-appointments');
    responseText = await (await fetch(`/v1/b/bench-plumbing/appointments?when=upcoming&count=${new URLSearchParams(location.search).get('count')}`)).text();
    // Let loading settle: scripts compiled, first frames drawn.
    await frame();
    await frame();
    await pause(200);
  })(),

  /** The first render in this page, then `again` more, each on a fresh element once the previous is gone. */
  async run(variant, count, again) {
    await this.ready;
    const first = await render[variant](count);
    const samples = [first.ms];
    let el = first.el;
    for (let i = 0; i < again; i++) {
      el.remove();
      await frame();
      await pause(30);
      const next = await render[variant](count);
      samples.push(next.ms);
      el = next.el;
    }
    el.remove();
    return samples;
  },

  async describe(variant, count) {
    await this.ready;
    const { el } = await render[variant](count);
    const text = structure(el.shadowRoot.querySelector('section'));
    el.remove();
    return text;
  },
};
