import { describe, expect, it } from 'vitest';
import { routeEvent } from '../../src/alerts/route-event.js';
import type { AlertRoute } from '../../src/config/alerts-config.js';
import { makeAlertEvent } from './make-alert-event.js';

const ROUTES: AlertRoute[] = [
  { match: { severity: ['critical'], service: ['billing'] }, channels: ['pagerduty', 'chat'] },
  { match: { monitor: ['nightly-backup'] }, channels: ['mail'] },
  { match: { type: ['silent_job', 'stalled_job'], queue: ['emails'] }, channels: ['chat'] },
  { channels: ['chat'] },
];
const ALL = ['pagerduty', 'chat', 'mail'];

describe('routing an alert event', () => {
  it('sends a critical billing finding to the pager and the chat', () => {
    const event = makeAlertEvent({ finding: { severity: 'critical' } });
    expect(routeEvent(event, ROUTES, ALL)).toEqual(['pagerduty', 'chat']);
  });

  it('picks a route by monitor', () => {
    const event = makeAlertEvent({
      finding: { type: 'missed_heartbeat', severity: 'critical', subject: { monitor: 'nightly-backup' } },
    });
    expect(routeEvent(event, ROUTES, ALL)).toEqual(['mail']);
  });

  it('falls through to the default route when nothing else matches', () => {
    const event = makeAlertEvent({ finding: { severity: 'warning' } });
    expect(routeEvent(event, ROUTES, ALL)).toEqual(['chat']);
  });

  it('sends to no channel when no route matches and there is no default', () => {
    const event = makeAlertEvent({ finding: { severity: 'warning' } });
    expect(routeEvent(event, ROUTES.slice(0, 2), ALL)).toEqual([]);
  });

  it('sends every event to every channel when there are no routes', () => {
    expect(routeEvent(makeAlertEvent(), [], ALL)).toEqual(ALL);
  });
});
