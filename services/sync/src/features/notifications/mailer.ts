import { createTransport, type Transporter } from 'nodemailer';
import type { DeliveryOutcome } from '../delivery/targets.js';

export interface MailerOptions {
  /** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://… (TLS from the start). */
  url: string;
  from: string;
  timeoutMs: number;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  json: string;
  /** Stable across retries of one delivery, so a mail client can fold a duplicate away. */
  messageId: string;
}

/** SMTP error codes that say the message itself is refused: retrying the same mail cannot help. */
function isPermanent(error: { responseCode?: unknown }): boolean {
  return typeof error.responseCode === 'number' && error.responseCode >= 500 && error.responseCode < 600;
}

/**
 * Sends notification e-mail over SMTP. The server's certificate is always verified, and the
 * connection is upgraded with STARTTLS whenever the server offers it. Nodemailer's own logging
 * stays off, so the password in SMTP_URL is never written anywhere.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly options: MailerOptions) {
    const url = new URL(options.url);
    this.transport = createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      tls: { rejectUnauthorized: true },
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      logger: false,
      debug: false,
    });
  }

  async send(mail: OutgoingMail): Promise<DeliveryOutcome> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        attachments: [{ filename: 'notification.json', content: mail.json, contentType: 'application/json' }],
      });
      return { kind: 'delivered', ack: typeof info.response === 'string' ? info.response.slice(0, 200) : 'sent' };
    } catch (error) {
      const failure = error as Error & { responseCode?: unknown; code?: unknown };
      const details = { code: failure.code ?? null, responseCode: failure.responseCode ?? null };
      return isPermanent(failure)
        ? { kind: 'permanent', message: `SMTP refused the message: ${failure.message}`, details }
        : { kind: 'retryable', message: `SMTP sending failed: ${failure.message}`, details };
    }
  }

  close(): void {
    this.transport.close();
  }
}
