// A fake Resend for tests: POST /emails, idempotency keys deduped as Resend does, failures on demand.
// The real `resend` SDK is pointed at it with `baseUrl`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Failure =
  /** 500 with a plain-text body, like a proxy in front of a sick provider. */
  | { kind: 'http500' }
  /** A Resend-style JSON error. */
  | { kind: 'json'; status: number; name: string; message: string }
  /** The email is accepted, then the answer is lost (500): only the idempotency key prevents a double. */
  | { kind: 'acceptThenFail' };

interface RecordedRequest {
  idempotencyKey: string | null;
  authorization: string | null;
  body: { from: string; to: string | string[]; subject: string; html?: string; text?: string };
}

export class FakeResend {
  readonly requests: RecordedRequest[] = [];
  /** Accepted emails by idempotency key: what recipients actually receive. */
  readonly delivered = new Map<string, { id: string; body: string }>();
  private failures: Failure[] = [];
  private readonly server = createServer((req, res) => void this.handle(req, res));

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next `n` calls fail this way. */
  fail(n: number, failure: Failure = { kind: 'http500' }): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  reset(): void {
    this.requests.length = 0;
    this.delivered.clear();
    this.failures = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || req.url !== '/emails') return json(res, 404, { statusCode: 404, name: 'not_found', message: 'Not found' });
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : null;
    this.requests.push({ idempotencyKey, authorization: req.headers.authorization ?? null, body: JSON.parse(raw) });

    const failure = this.failures.shift();
    if (failure?.kind === 'http500') {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
      return;
    }
    if (failure?.kind === 'json') return json(res, failure.status, { statusCode: failure.status, name: failure.name, message: failure.message });

    // Resend: the same key with the same payload answers the first response without sending
    // again; with another payload it is refused.
    const previous = idempotencyKey ? this.delivered.get(idempotencyKey) : undefined;
    let id: string;
    if (previous) {
      if (previous.body !== raw) {
        return json(res, 409, { statusCode: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload.' });
      }
      id = previous.id;
    } else {
      id = `re_${this.requests.length}_${Math.random().toString(36).slice(2, 10)}`;
      this.delivered.set(idempotencyKey ?? id, { id, body: raw });
    }
    if (failure?.kind === 'acceptThenFail') return json(res, 500, { statusCode: 500, name: 'internal_server_error', message: 'Lost the answer.' });
    json(res, 200, { id });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

