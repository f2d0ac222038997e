// The development mailbox in a browser: every message the dev transport "delivered", newest
// first, as JSON and as a self-contained page. Mounted only in development without a Resend key.
import { Hono } from 'hono';
import { escapeHtml } from '../mail/layout';
import type { DevMail, Store } from '../store/types';

const LIMIT = 100;

/**
 * The page loads nothing and runs nothing. Email bodies are shown in sandboxed srcdoc frames,
 * which inherit this policy: their images may load (logos), their scripts never run.
 */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const present = (mail: DevMail) => ({
  id: mail.id,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  createdAt: new Date(mail.createdAt).toISOString(),
});

/** Plain text as HTML with its http(s) links clickable; everything escaped. */
function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'()[\]{}]+/g)) {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    out += escapeHtml(text.slice(last, match.index)) + `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return out + escapeHtml(text.slice(last));
}

function renderMessage(mail: DevMail): string {
  const when = new Date(mail.createdAt).toISOString();
  return `<article>
<header><h2>${escapeHtml(mail.subject)}</h2><p class="meta">To <strong>${escapeHtml(mail.to)}</strong> · <time datetime="${when}">${when.replace('T', ' ').slice(0, 19)} UTC</time></p></header>
<pre>${linkify(mail.text)}</pre>
<details><summary>HTML version</summary><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" title="${escapeHtml(`HTML version of ${mail.subject}`)}" srcdoc="${escapeHtml(mail.html)}"></iframe></details>
</article>`;
}

function renderPage(messages: DevMail[]): string {
  const body = messages.length
    ? messages.map(renderMessage).join('\n')
    : '<p class="empty">No mail yet. Emails Doorstep sends (sign-in links, invoices, estimates) appear here.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev mailbox · Doorstep</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f5;color:#18181b}
main{max-width:860px;margin:0 auto;padding:24px 16px}
h1{font-size:22px;margin:0 0 4px}
.lead{color:#52525b;margin:0 0 20px}
article{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:16px 20px;margin:0 0 16px}
h2{font-size:17px;margin:0}
.meta{color:#52525b;margin:4px 0 12px;font-size:14px}
pre{white-space:pre-wrap;word-break:break-word;font:14px/1.5 ui-monospace,monospace;background:#fafafa;border:1px solid #f4f4f5;padding:12px;margin:0 0 8px}
a{color:#0f766e}
summary{cursor:pointer;color:#52525b;font-size:14px}
iframe{width:100%;height:520px;border:1px solid #e4e4e7;border-radius:4px;margin-top:8px;background:#fff}
.empty{color:#52525b}
</style></head>
<body><main>
<h1>Dev mailbox</h1>
<p class="lead">The ${LIMIT} newest emails, newest first. Without a Resend key mail is delivered here instead of to customers. <a href="">Refresh</a></p>
${body}
</main></body></html>`;
}

export function devMailRoutes(store: Pick<Store, 'listDevMail'>) {
  return new Hono()
    .get('/dev/mail/messages', async (c) => {
      const messages = await store.listDevMail(LIMIT);
      c.header('Cache-Control', 'no-store');
      return c.json({ data: messages.map(present) }, 200);
    })
    .get('/dev/mail', async (c) => {
      const messages = await store.listDevMail(LIMIT);
      c.header('Cache-Control', 'no-store');
      c.header('Content-Security-Policy', PAGE_CSP);
      return c.html(renderPage(messages), 200);
    });
}
