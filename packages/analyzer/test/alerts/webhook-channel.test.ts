import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/alerts/sign-payload.js';
import { WebhookChannel } from '../../src/alerts/webhook-channel.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';

const SECRET = 'whsec-test-1';
const receivers: HttpReceiver[] = [];

async function receiver(): Promise<HttpReceiver> {
  const started = await startHttpReceiver();
  receivers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('the webhook channel', () => {
  it('signs the raw body with the channel secret so the receiver can verify it', async () => {
    const hook = await receiver();
    const channel = new WebhookChannel({
      name: 'ops',
      url: hook.url,
      secret: SECRET,
      clock: () => 1_800_000_000_000,
    });
    const event = makeAlertEvent();
    await channel.deliver({ id: `${event.id}:ops`, event });

    const [request] = hook.requests;
    const header = String(request.headers['x-joblens-signature']);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, header, request.body, 1_800_000_010)).toBe(true);
    expect(verifySignature('another-secret', header, request.body, 1_800_000_010)).toBe(false);
    expect(verifySignature(SECRET, header, `${request.body} `, 1_800_000_010)).toBe(false);
    // A signature replayed an hour later is refused.
    expect(verifySignature(SECRET, header, request.body, 1_800_003_600)).toBe(false);
  });

  it('names the delivery in X-Joblens-Delivery, the same on a retry, so receivers can drop repeats', async () => {
    const hook = await receiver();
    const channel = new WebhookChannel({ name: 'ops', url: hook.url, secret: SECRET });
    const event = makeAlertEvent();
    await channel.deliver({ id: `${event.id}:ops`, event });
    await channel.deliver({ id: `${event.id}:ops`, event });
    expect(hook.requests.map((r) => r.headers['x-joblens-delivery'])).toEqual([
      `${event.id}:ops`,
      `${event.id}:ops`,
    ]);
    expect(JSON.parse(hook.requests[0].body)).toMatchObject({
      id: `${event.id}:ops`,
      kind: 'opened',
      finding: { id: event.finding.id },
    });
  });

  it('does not follow a 307: the redirect target receives nothing and the delivery fails for good', async () => {
    const internal = await receiver();
    const hook = await receiver();
    hook.answer = () => ({ status: 307, headers: { location: internal.url } });
    const channel = new WebhookChannel({ name: 'ops', url: hook.url, secret: SECRET });
    const event = makeAlertEvent();

    const outcome = await channel.deliver({ id: `${event.id}:ops`, event });

    expect(hook.requests).toHaveLength(1);
    expect(internal.requests).toHaveLength(0);
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect((outcome as { error: string }).error).toContain('307');
  });
});
