import nodemailer from 'nodemailer';
import {
  type AlertChannel,
  type AlertDelivery,
  DELIVERY_TIMEOUT_MILLIS,
  type DeliveryOutcome,
} from './alert-channel.js';
import { alertText, alertTitle } from './alert-text.js';

export interface EmailChannelOptions {
  name: string;
  /** SMTP server. */
  host: string;
  /** Default 587 (465 when `secure`). */
  port?: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. Default false. */
  secure?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  to: string | string[];
}

/** SMTP through nodemailer. A 5xx reply is the server refusing this message for good; anything else is retried. */
export class EmailChannel implements AlertChannel {
  readonly type = 'email';
  readonly name: string;
  private readonly transport;

  constructor(private readonly options: EmailChannelOptions) {
    this.name = options.name;
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port ?? (options.secure ? 465 : 587),
      secure: options.secure ?? false,
      auth: options.auth,
      connectionTimeout: DELIVERY_TIMEOUT_MILLIS,
      greetingTimeout: DELIVERY_TIMEOUT_MILLIS,
      socketTimeout: DELIVERY_TIMEOUT_MILLIS,
    });
  }

  async deliver(delivery: AlertDelivery): Promise<DeliveryOutcome> {
    const { event } = delivery;
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: this.options.to,
        subject: alertTitle(event),
        text: `${alertText(event)}\n\nNext step: ${event.finding.nextStep}\nFinding: ${event.finding.id}\n`,
        // Mail clients thread on it, and a receiver can drop a repeated delivery by it.
        messageId: `<${delivery.id.replace(/[^A-Za-z0-9._-]/g, '_')}@joblens>`,
        headers: { 'X-Joblens-Delivery': delivery.id },
      });
      return { ok: true };
    } catch (error) {
      const err = error as Error & { responseCode?: number };
      const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
      return { ok: false, retryable: !permanent, error: err.message ?? String(error) };
    }
  }

  close(): void {
    this.transport.close();
  }
}
