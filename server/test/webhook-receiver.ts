// A business's webhook endpoint for tests: a real HTTP server on 127.0.0.1 that records every
// request byte for byte and answers 200, or what a test tells a path to answer next.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as it arrived. */
  body: Buffer;
  /** The status this request was answered with. */
  status: number;
}

/** What a path answers: a status, or `hang` to never answer. */
type Answer = number | 'hang';

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers = new Map<string, Answer[]>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private base = '';

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next requests to `path` are answered with these, in order; then 200 again. */
  answer(path: string, ...answers: Answer[]): void {
    this.answers.set(path, [...(this.answers.get(path) ?? []), ...answers]);
  }

  reset(): void {
    this.received.length = 0;
    this.answers.clear();
  }

  /** Requests to `path` that were answered 2xx. */
  accepted(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path && r.status >= 200 && r.status < 300);
  }

  to(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const answer = this.answers.get(path)?.shift() ?? 200;
    if (answer === 'hang') return;
    this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks), status: answer });
    if (answer >= 300 && answer < 400) {
      res.writeHead(answer, { Location: 'http://127.0.0.1:1/elsewhere' }).end();
      return;
    }
    res.writeHead(answer, { 'Content-Type': 'text/plain' }).end(answer < 300 ? 'ok' : `Receiver says no (${answer})`);
  }
}
