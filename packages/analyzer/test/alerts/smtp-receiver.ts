import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  /** Set to an SMTP reply code (451 temporary, 550 permanent) to refuse the next messages. */
  refuseWith: number | undefined;
  close(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) on a free port, without TLS or auth, that keeps every mail. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = {
    port: 0,
    mails: [],
    refuseWith: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (receiver.refuseWith !== undefined) {
          const error = new Error('refused by the test') as Error & { responseCode: number };
          error.responseCode = receiver.refuseWith;
          return callback(error);
        }
        receiver.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  return receiver;
}
