// The client's IP for per-IP rate limits: the socket's address, or behind a trusted reverse proxy
// the first X-Forwarded-For entry (never trusted otherwise: any client can send that header).
import type { Context } from 'hono';

export function clientIp(c: Context, trustProxy: boolean | undefined): string {
  if (trustProxy) {
    const forwarded = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
