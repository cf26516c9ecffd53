import { afterEach, describe, expect, it } from 'vitest';
import type { AlertChannel } from '../../src/alerts/alert-channel.js';
import { EmailChannel } from '../../src/alerts/email-channel.js';
import { PagerDutyChannel } from '../../src/alerts/pagerduty-channel.js';
import { SlackChannel } from '../../src/alerts/slack-channel.js';
import { WebhookChannel } from '../../src/alerts/webhook-channel.js';
import { startHttpReceiver, unreachableUrl } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';
import { startSmtpReceiver } from './smtp-receiver.js';

/** A channel wired to a real local receiver, and what the test needs to steer and read that receiver. */
interface Harness {
  channel: AlertChannel;
  /** The finding id of every delivery the receiver accepted, as that receiver's format carries it. */
  acceptedFindingIds(): string[];
  /** Makes the receiver refuse from now on: temporarily (HTTP 503, SMTP 451) or for good (400, 550). */
  refuse(kind: 'temporary' | 'permanent'): void;
  close(): Promise<void>;
}

interface ChannelCase {
  type: string;
  start(): Promise<Harness>;
  /** The same channel pointed where nothing listens. */
  unreachable(): Promise<AlertChannel>;
}

async function httpHarness(
  make: (url: string) => AlertChannel,
  findingIdOf: (body: Record<string, unknown>) => string,
): Promise<Harness> {
  const receiver = await startHttpReceiver();
  let refusal: number | undefined;
  const accepted: string[] = [];
  receiver.answer = (request) => {
    if (refusal) return { status: refusal };
    accepted.push(findingIdOf(JSON.parse(request.body)));
    return { status: 202, body: '{}' };
  };
  return {
    channel: make(receiver.url),
    acceptedFindingIds: () => accepted,
    refuse: (kind) => {
      refusal = kind === 'temporary' ? 503 : 400;
    },
    close: () => receiver.close(),
  };
}

const CASES: ChannelCase[] = [
  {
    type: 'webhook',
    start: () =>
      httpHarness(
        (url) => new WebhookChannel({ name: 'hook', url, secret: 's3cret' }),
        (body) => (body.finding as { id: string }).id,
      ),
    unreachable: async () => new WebhookChannel({ name: 'hook', url: await unreachableUrl(), secret: 's' }),
  },
  {
    type: 'slack',
    start: () =>
      httpHarness(
        (url) => new SlackChannel({ name: 'chat', url }),
        (body) => (body.joblens as { finding: { id: string } }).finding.id,
      ),
    unreachable: async () => new SlackChannel({ name: 'chat', url: await unreachableUrl() }),
  },
  {
    type: 'pagerduty',
    start: () =>
      httpHarness(
        (url) => new PagerDutyChannel({ name: 'pd', routingKey: 'R0UTINGKEY', url }),
        (body) => body.dedup_key as string,
      ),
    unreachable: async () =>
      new PagerDutyChannel({ name: 'pd', routingKey: 'R0UTINGKEY', url: await unreachableUrl() }),
  },
  {
    type: 'email',
    async start() {
      const smtp = await startSmtpReceiver();
      const channel = new EmailChannel({
        name: 'mail',
        host: '127.0.0.1',
        port: smtp.port,
        from: 'joblens@example.com',
        to: 'oncall@example.com',
      });
      return {
        channel,
        acceptedFindingIds: () => smtp.mails.map((m) => /Finding: (\S+)/.exec(m.raw)?.[1] ?? ''),
        refuse: (kind) => {
          smtp.refuseWith = kind === 'temporary' ? 451 : 550;
        },
        close: async () => {
          channel.close();
          await smtp.close();
        },
      };
    },
    unreachable: async () =>
      new EmailChannel({
        name: 'mail',
        host: '127.0.0.1',
        port: Number(new URL(await unreachableUrl()).port),
        from: 'joblens@example.com',
        to: 'oncall@example.com',
      }),
  },
];

describe.each(CASES)('the $type channel', ({ type, start, unreachable }) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('delivers an opened finding to its receiver, naming the finding', async () => {
    harness = await start();
    const event = makeAlertEvent();
    const outcome = await harness.channel.deliver({ id: `${event.id}:${type}`, event });
    expect(outcome).toEqual({ ok: true });
    expect(harness.acceptedFindingIds()).toEqual([event.finding.id]);
  });

  it('delivers every kind of event', async () => {
    harness = await start();
    for (const kind of ['opened', 'raised', 'acknowledged', 'resolved', 'reminder'] as const) {
      const event = makeAlertEvent({ kind, actor: 'ana' });
      expect(await harness.channel.deliver({ id: `${event.id}:${type}`, event }), kind).toEqual({ ok: true });
    }
    expect(harness.acceptedFindingIds()).toHaveLength(5);
  });

  it('reports a temporary refusal as worth retrying', async () => {
    harness = await start();
    harness.refuse('temporary');
    const event = makeAlertEvent();
    const outcome = await harness.channel.deliver({ id: `${event.id}:${type}`, event });
    expect(outcome).toMatchObject({ ok: false, retryable: true });
  });

  it('reports a permanent refusal as not worth retrying', async () => {
    harness = await start();
    harness.refuse('permanent');
    const event = makeAlertEvent();
    const outcome = await harness.channel.deliver({ id: `${event.id}:${type}`, event });
    expect(outcome).toMatchObject({ ok: false, retryable: false });
  });

  it('reports a receiver nobody listens on as worth retrying, without throwing', async () => {
    const channel = await unreachable();
    const event = makeAlertEvent();
    const outcome = await channel.deliver({ id: `${event.id}:${type}`, event });
    channel.close?.();
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect((outcome as { error: string }).error).not.toBe('');
  });
});
