import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../src/fault-ledger.js';
import { formatFinding } from '../src/format-finding.js';
import { makeFinding } from './finding-factory.js';

const TRACE = 'c'.repeat(32);

function poisonJobEntry(): LedgerEntry {
  return {
    kind: 'false',
    first: true,
    finding: makeFinding({
      id: 'runaway_retries-0123456789ab',
      type: 'runaway_retries',
      nextStep: `Open trace ${TRACE} and fix the cause of ValidationError; retries only hide it.`,
      subject: { queue: 'crm', worker: 'sync-1-abc', host: 'sync-1', pid: 4242 },
      evidence: { figures: {}, traces: [{ traceId: TRACE, label: 'a job that retried most' }] },
    }),
  };
}

describe('a finding printed by the demo', () => {
  it('sends the reader to the job timeline on the page when there is no trace viewer', () => {
    const lines = formatFinding(poisonJobEntry(), 12, { pageUrl: 'http://127.0.0.1:4320/' }).join('\n');
    const page = 'http://127.0.0.1:4320/findings/runaway_retries-0123456789ab#timeline';
    expect(lines).toContain(`see:      ${page}`);
    expect(lines).toContain(
      `next:     Open the job timeline at ${page} and fix the cause of ValidationError`,
    );
    expect(lines).not.toContain(`Open trace ${TRACE}`);
  });

  it('keeps the trace to open, and links it, when Jaeger is configured', () => {
    const links = { pageUrl: 'http://127.0.0.1:4320', jaegerUrl: 'http://jaeger:16686/' };
    const lines = formatFinding(poisonJobEntry(), 12, links).join('\n');
    expect(lines).toContain(`see:      http://jaeger:16686/trace/${TRACE}`);
    expect(lines).toContain(`next:     Open trace ${TRACE} and fix`);
  });

  it('names the host and pid of the worker it is about', () => {
    const lines = formatFinding(poisonJobEntry(), 12, { pageUrl: 'http://127.0.0.1:4320' });
    expect(lines[1]).toBe('         where:    queue=crm worker=sync-1-abc host=sync-1 pid=4242');
  });
});
