import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { validateAlerts } from '../../src/config/validate-alerts.js';

const hook = { name: 'ops', type: 'webhook', url: 'https://hooks.example/joblens', secret: 's3cret' };

describe('the alerts section of the config file', () => {
  it('takes every channel type with its settings, and routes naming them', () => {
    const alerts = validateAlerts({
      channels: [
        hook,
        { name: 'chat', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
        { name: 'pager', type: 'pagerduty', routingKey: 'R0123' },
        {
          name: 'mail',
          type: 'email',
          host: 'smtp.example',
          port: 465,
          secure: true,
          auth: { user: 'joblens', pass: 'pw' },
          from: 'joblens@example.com',
          to: ['oncall@example.com'],
        },
      ],
      routes: [
        { match: { severity: 'critical', service: ['billing'] }, channels: ['pager', 'chat'] },
        { channels: ['chat'] },
      ],
      retryForHours: 48,
    });
    expect(alerts.channels.map((c) => c.type)).toEqual(['webhook', 'slack', 'pagerduty', 'email']);
    expect(alerts.routes[0]).toEqual({
      match: { severity: ['critical'], service: ['billing'] },
      channels: ['pager', 'chat'],
    });
    expect(alerts).toMatchObject({ retryForHours: 48, allowPrivateAddresses: false });
  });

  it('defaults to no channels, no routes and 24 hours of retries', () => {
    expect(validateAlerts(undefined)).toEqual({
      channels: [],
      routes: [],
      allowPrivateAddresses: false,
      retryForHours: 24,
    });
  });

  it.each([
    [
      { channels: [{ ...hook, secret: undefined }] },
      'alerts.channels[0].secret is required for a webhook channel',
    ],
    [
      { channels: [{ ...hook, type: 'sms' }] },
      'alerts.channels[0].type must be one of webhook, slack, pagerduty, email, got "sms"',
    ],
    [{ channels: [{ ...hook, url: 'ftp://x' }] }, 'alerts.channels[0].url must be an http(s) URL'],
    [{ channels: [hook, hook] }, 'alerts.channels[1].name "ops" is used twice'],
    [
      { channels: [{ ...hook, routingKey: 'x' }] },
      'alerts.channels[0].routingKey is not a setting of a webhook channel',
    ],
    [
      { channels: [hook], routes: [{ channels: ['pager'] }] },
      'alerts.routes[0].channels[0] names no channel in alerts.channels: "pager"',
    ],
    [
      { channels: [hook], routes: [{ match: { host: 'a' }, channels: ['ops'] }] },
      'alerts.routes[0].match.host is not a route field',
    ],
    [
      { channels: [hook], routes: [{ match: { severity: 'high' }, channels: ['ops'] }] },
      'alerts.routes[0].match.severity must be among info, warning, critical',
    ],
    [{ retryForHours: 0 }, 'alerts.retryForHours must be a positive number of hours, got 0'],
    [{ allowPrivateAddresses: 'yes' }, 'alerts.allowPrivateAddresses must be true or false'],
    [{ chanels: [] }, 'unknown field "alerts.chanels"'],
  ])('refuses %j naming the option', (input, message) => {
    expect(() => validateAlerts(input)).toThrow(ConfigError);
    expect(() => validateAlerts(input)).toThrow(message);
  });

  it('does not repeat a secret in its error', () => {
    expect(() => validateAlerts({ channels: [{ ...hook, secret: 12345678 }] })).toThrow(
      'alerts.channels[0].secret must be a non-empty string, got number',
    );
  });
});
