import { afterEach, describe, expect, it } from 'vitest';
import { PagerDutyChannel } from '../../src/alerts/pagerduty-channel.js';
import { type HttpReceiver, type ReceivedRequest, startHttpReceiver } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcdef';

/**
 * What PagerDuty's Events API v2 checks before it answers 202: an event whose shape it would refuse
 * gets the 400 PagerDuty sends, so a wrong payload fails the delivery here as it would there.
 */
function eventsV2Answer(request: ReceivedRequest) {
  const body = JSON.parse(request.body) as Record<string, unknown>;
  const problems: string[] = [];
  if (request.headers['content-type'] !== 'application/json') problems.push('content-type');
  if (body.routing_key !== ROUTING_KEY) problems.push('routing_key');
  if (!['trigger', 'acknowledge', 'resolve'].includes(body.event_action as string))
    problems.push('event_action');
  if (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255) problems.push('dedup_key');
  if (body.event_action === 'trigger') {
    const payload = body.payload as Record<string, unknown> | undefined;
    if (typeof payload?.summary !== 'string' || payload.summary.length > 1024)
      problems.push('payload.summary');
    if (typeof payload?.source !== 'string' || payload.source === '') problems.push('payload.source');
    if (!['critical', 'error', 'warning', 'info'].includes(payload?.severity as string))
      problems.push('payload.severity');
    if (payload?.timestamp !== undefined && Number.isNaN(Date.parse(payload.timestamp as string)))
      problems.push('payload.timestamp');
  }
  if (problems.length)
    return { status: 400, body: JSON.stringify({ status: 'invalid event', errors: problems }) };
  return { status: 202, body: JSON.stringify({ status: 'success', dedup_key: body.dedup_key }) };
}

let pagerduty: HttpReceiver | undefined;
afterEach(async () => {
  await pagerduty?.close();
});

describe('the pagerduty channel', () => {
  it('triggers, acknowledges and resolves one incident per finding, keyed by the finding id', async () => {
    pagerduty = await startHttpReceiver(eventsV2Answer);
    const channel = new PagerDutyChannel({ name: 'pd', routingKey: ROUTING_KEY, url: pagerduty.url });
    const opened = makeAlertEvent({ finding: { severity: 'critical' } });
    const finding = { ...opened.finding, id: opened.finding.id };
    const events = [
      opened,
      { ...opened, id: 'e2', kind: 'acknowledged' as const, actor: 'ana', finding },
      { ...opened, id: 'e3', kind: 'resolved' as const, finding },
    ];

    for (const event of events) {
      expect(await channel.deliver({ id: `${event.id}:pd`, event })).toEqual({ ok: true });
    }

    const bodies = pagerduty.requests.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => [b.event_action, b.dedup_key])).toEqual([
      ['trigger', finding.id],
      ['acknowledge', finding.id],
      ['resolve', finding.id],
    ]);
    expect(bodies[0].payload).toMatchObject({
      severity: 'critical',
      source: 'w-1',
      class: 'mystery_gap',
      group: 'billing',
    });
  });

  it('triggers again for a reminder, which PagerDuty folds into the open incident', async () => {
    pagerduty = await startHttpReceiver(eventsV2Answer);
    const channel = new PagerDutyChannel({ name: 'pd', routingKey: ROUTING_KEY, url: pagerduty.url });
    const event = makeAlertEvent({ kind: 'reminder' });
    expect(await channel.deliver({ id: `${event.id}:pd`, event })).toEqual({ ok: true });
    expect(JSON.parse(pagerduty.requests[0].body)).toMatchObject({
      event_action: 'trigger',
      dedup_key: event.finding.id,
    });
  });
});
