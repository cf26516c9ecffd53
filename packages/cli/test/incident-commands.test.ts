import { createAnalyzer, type Finding } from '@joblens/analyzer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoblens, runJoblensInProcess } from './run-joblens.js';

const TOKEN = 'incident-cli-token';
const analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:', token: TOKEN });
let apiUrl: string;

function openFinding(id: string): Finding {
  const at = Date.now() - 60_000;
  return {
    id,
    type: 'silent_worker',
    key: id,
    status: 'open',
    severity: 'critical',
    subject: { service: 'mail', queue: 'outbox', worker: 'w-3' },
    summary: 'worker w-3 completes nothing',
    nextStep: 'dump it',
    evidence: { figures: {}, traces: [] },
    since: at,
    firstSeen: at,
    lastSeen: at,
  };
}

beforeAll(async () => {
  ({ apiUrl } = await analyzer.start());
  analyzer.store.save([openFinding('silent_worker-ack'), openFinding('silent_worker-snooze')], []);
});
afterAll(() => analyzer.stop());

describe('joblens ack', () => {
  it('acknowledges a finding by the name given, and joblens findings shows who', async () => {
    const result = await runJoblens([
      'ack',
      'silent_worker-ack',
      '--by',
      'alice',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^acknowledged silent_worker-ack by alice at \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    expect((await analyzer.store.get('silent_worker-ack'))?.acknowledgedBy).toBe('alice');
    const table = await runJoblens(['findings', '--url', apiUrl, '--token', TOKEN]);
    expect(table.stdout).toMatch(/^silent_worker-ack\s+silent_worker\s+acknowledged by alice\s+critical /m);
  });

  it('says in one line who acknowledged a finding first', async () => {
    const result = await runJoblensInProcess([
      'ack',
      'silent_worker-ack',
      '--by',
      'bob',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^joblens ack: finding silent_worker-ack was acknowledged by alice at .*\n$/,
    );
  });

  it('refuses to run without exactly one finding id, exit code 2', async () => {
    const result = await runJoblensInProcess(['ack', '--url', apiUrl]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('joblens ack: expected one finding id, got 0\n');
  });
});

describe('joblens ack with a token per role', () => {
  it('acts with JOBLENS_ADMIN_TOKEN, and says in one line that the read token is not enough', async () => {
    const roles = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      readToken: 'reader-token',
      adminToken: 'admin-token',
      ingestToken: 'ingest-token',
    });
    const url = (await roles.start()).apiUrl;
    try {
      roles.store.save([openFinding('silent_worker-roles')], []);
      const refused = await runJoblens(['ack', 'silent_worker-roles', '--by', 'eve', '--url', url], {
        JOBLENS_TOKEN: 'reader-token',
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^joblens ack: .*\(401\).*admin role\n$/);
      expect((await roles.store.get('silent_worker-roles'))?.acknowledgedBy).toBeUndefined();
      const acted = await runJoblens(['ack', 'silent_worker-roles', '--by', 'erin', '--url', url], {
        JOBLENS_TOKEN: 'reader-token',
        JOBLENS_ADMIN_TOKEN: 'admin-token',
      });
      expect(acted.stderr).toBe('');
      expect((await roles.store.get('silent_worker-roles'))?.acknowledgedBy).toBe('erin');
    } finally {
      await roles.stop();
    }
  });
});

describe('joblens snooze', () => {
  it('snoozes a finding for a duration, and joblens findings shows until when', async () => {
    const before = Date.now();
    const result = await runJoblensInProcess([
      'snooze',
      'silent_worker-snooze',
      '--until',
      '2h',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const until = (await analyzer.store.get('silent_worker-snooze'))?.snoozedUntil ?? 0;
    expect(until).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    expect(result.stdout).toBe(`snoozed silent_worker-snooze until ${new Date(until).toISOString()}\n`);
    const json = await runJoblensInProcess(['findings', '--json', '--url', apiUrl, '--token', TOKEN]);
    expect(JSON.parse(json.stdout)).toContainEqual(
      expect.objectContaining({ id: 'silent_worker-snooze', state: 'snoozed', snoozedUntil: until }),
    );
  });

  it('takes an ISO time, and names --until when it is neither a time nor a duration', async () => {
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await runJoblensInProcess([
      'snooze',
      'silent_worker-snooze',
      '--until',
      until,
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expect(ok.code).toBe(0);
    expect((await analyzer.store.get('silent_worker-snooze'))?.snoozedUntil).toBe(Date.parse(until));
    const bad = await runJoblensInProcess([
      'snooze',
      'silent_worker-snooze',
      '--until',
      'tomorrow',
      '--url',
      apiUrl,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'joblens snooze: --until must be an ISO time (2026-01-01T09:00:00Z) or a duration like 30m, 2h or 1d, got "tomorrow"\n',
    );
  });

  it('refuses a time already past, naming --until, before it asks the analyzer', async () => {
    const past = await runJoblensInProcess([
      'snooze',
      'silent_worker-snooze',
      '--until',
      '2020-01-01T09:00:00Z',
      '--url',
      apiUrl,
    ]);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(
      /^joblens snooze: --until must be a time after now \(\d{4}-.*Z\), got "2020-01-01T09:00:00Z"\n$/,
    );
  });
});
