// The branded frame every customer email shares: logo, business name, a call-to-action button,
// and the business's phone, email and address in the footer. All business data is escaped.
import type { Business } from '../store/types';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface BrandedEmail {
  business: Business;
  subject: string;
  /** Paragraphs of plain text, escaped for the HTML part. */
  paragraphs: string[];
  button?: { label: string; url: string } | undefined;
}

export function renderBranded({ business, subject, paragraphs, button }: BrandedEmail): RenderedEmail {
  const contact = [business.phone, business.email, business.address].filter((v): v is string => Boolean(v));
  const color = /^#[0-9a-f]{6}$/i.test(business.brandColor) ? business.brandColor : '#0f766e';
  const logo = business.logoUrl
    ? `<img src="${escapeHtml(business.logoUrl)}" alt="${escapeHtml(business.name)}" style="max-height:56px;max-width:200px">`
    : `<strong style="font-size:20px">${escapeHtml(business.name)}</strong>`;
  const html = `<!doctype html>
<html lang="${business.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px">
<div style="margin-bottom:24px">${logo}</div>
${paragraphs.map((p) => `<p style="font-size:16px;line-height:1.5;margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n')}
${
  button
    ? `<p style="margin:24px 0"><a href="${escapeHtml(button.url)}" style="display:inline-block;background:${color};color:#fff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:600">${escapeHtml(button.label)}</a></p>`
    : ''
}
<hr style="border:none;border-top:1px solid #e4e4e7;margin:24px 0">
<p style="font-size:13px;color:#52525b;margin:0">${escapeHtml(business.name)}${contact.map((c) => ` · ${escapeHtml(c)}`).join('')}</p>
</div></body></html>`;
  const text = [
    ...paragraphs,
    ...(button ? [`${button.label}: ${button.url}`] : []),
    '--',
    [business.name, ...contact].join('\n'),
  ].join('\n\n');
  return { subject, html, text };
}
