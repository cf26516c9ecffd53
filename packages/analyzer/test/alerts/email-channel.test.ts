import { afterEach, describe, expect, it } from 'vitest';
import { EmailChannel } from '../../src/alerts/email-channel.js';
import { makeAlertEvent } from './make-alert-event.js';
import { type SmtpReceiver, startSmtpReceiver } from './smtp-receiver.js';

let smtp: SmtpReceiver | undefined;
let channel: EmailChannel | undefined;
afterEach(async () => {
  channel?.close();
  await smtp?.close();
});

describe('the email channel', () => {
  it('sends the finding over SMTP from and to the configured addresses', async () => {
    smtp = await startSmtpReceiver();
    channel = new EmailChannel({
      name: 'mail',
      host: '127.0.0.1',
      port: smtp.port,
      from: 'joblens@example.com',
      to: ['oncall@example.com', 'lead@example.com'],
    });
    const event = makeAlertEvent({ finding: { severity: 'critical' } });

    expect(await channel.deliver({ id: `${event.id}:mail`, event })).toEqual({ ok: true });

    const [mail] = smtp.mails;
    expect(mail.from).toBe('joblens@example.com');
    expect(mail.to).toEqual(['oncall@example.com', 'lead@example.com']);
    expect(mail.raw).toContain('Subject: [joblens critical] mystery_gap opened');
    // The body is quoted-printable: long lines are cut with a soft break (`=` at the line's end).
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain(event.finding.summary);
    expect(mail.raw).toContain(`X-Joblens-Delivery: ${event.id}:mail`);
  });
});
