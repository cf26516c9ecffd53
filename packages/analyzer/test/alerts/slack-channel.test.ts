import { afterEach, describe, expect, it } from 'vitest';
import { escapeSlackText, SlackChannel } from '../../src/alerts/slack-channel.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';

let hook: HttpReceiver | undefined;
afterEach(async () => {
  await hook?.close();
});

describe('the slack channel', () => {
  it('delivers a <!channel> job name as text, not as a mention', async () => {
    hook = await startHttpReceiver();
    const channel = new SlackChannel({ name: 'chat', url: hook.url });
    const event = makeAlertEvent({
      finding: {
        summary: 'job <!channel> & <@U123> spends 7.0 s with no span',
        subject: { service: 'billing', jobName: '<!channel>' },
      },
    });

    await channel.deliver({ id: `${event.id}:chat`, event });

    const { text } = JSON.parse(hook.requests[0].body) as { text: string };
    expect(text).toContain('job &lt;!channel&gt; &amp; &lt;@U123&gt; spends');
    expect(text).not.toMatch(/[<>]/);
  });

  it('escapes the ampersand before the angle brackets, so an escape is not escaped twice', () => {
    expect(escapeSlackText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });
});
