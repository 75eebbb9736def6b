import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';

/** A local SMTP server that wants a login and keeps every message it accepts, parsed. */
export class MailSink {
  readonly messages: ParsedMail[] = [];
  readonly logins: string[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  constructor(private readonly credentials: { user: string; pass: string }) {}

  async start(): Promise<this> {
    this.server = new SMTPServer({
      // Plain SMTP on loopback: the test has no certificate to offer STARTTLS with.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.credentials.user && auth.password === this.credentials.pass) {
          this.logins.push(auth.username ?? '');
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.messages.push(parsed);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  url(): string {
    return `smtp://${encodeURIComponent(this.credentials.user)}:${encodeURIComponent(this.credentials.pass)}@127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> } | undefined;
  status: number;
  reason: string;
}

/**
 * A webhook receiver as an integrator would write one: verifies the Standard Webhooks signature
 * with the `standardwebhooks` package (which also refuses timestamps outside its tolerance),
 * refuses an id it has already processed, and can be told to fail the next attempts.
 */
export class StrictWebhookReceiver {
  readonly attempts: ReceivedWebhook[] = [];
  private readonly processed = new Set<string>();
  private server: Server | undefined;
  secret = '';
  failNext = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const answer = (status: number, reason: string, body?: ReceivedWebhook['body']) => {
          this.attempts.push({ headers: request.headers, raw, body, status, reason });
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: reason }));
        };
        let body: ReceivedWebhook['body'];
        try {
          body = new Webhook(this.secret).verify(raw, {
            'webhook-id': String(request.headers['webhook-id'] ?? ''),
            'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
          }) as ReceivedWebhook['body'];
        } catch (error) {
          return answer(400, `refused: ${(error as Error).message}`);
        }
        const id = String(request.headers['webhook-id']);
        if (this.processed.has(id)) return answer(409, 'replay', body);
        if (this.failNext > 0) {
          this.failNext -= 1;
          return answer(503, 'failing on purpose', body);
        }
        this.processed.add(id);
        return answer(200, 'applied', body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/tributary`;
    return this;
  }

  accepted(): ReceivedWebhook[] {
    return this.attempts.filter((attempt) => attempt.status === 200);
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
