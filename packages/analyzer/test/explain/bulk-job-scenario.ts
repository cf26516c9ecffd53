import type { Attributes } from '@joblens/otlp-receiver';
import {
  type FindingScenario,
  makeAttemptSpan,
  makeResource,
  makeStepSpan,
  SCENARIO_SECRETS,
  type ScenarioInit,
  SECRET_ATTRIBUTES,
  SECRET_ERROR_MESSAGE,
} from '@joblens/test-utils';

const ATTEMPTS = 12;
const STEPS_PER_ATTEMPT = 400;
const STEP_MS = 20;
const GAP_MS = 10_000;

/**
 * A job far past every bound of an explanation: 12 retried attempts of 400 steps with 1000-character
 * names, a 10 s silence in the middle of each (mystery_gap), 100 attributes of 20 kB, and a 100 kB error
 * message that starts and ends with a credential.
 */
export function bulkJobScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const resource = makeResource({ service, worker: `${service}-w`, host: `${service}-h` });
  const attributes: Attributes = { ...SECRET_ATTRIBUTES };
  for (let k = 0; k < 100; k++) attributes[`big.attr.${k}`] = `${k}`.padEnd(20_000, 'v');
  const message = `${SECRET_ERROR_MESSAGE} ${'x'.repeat(100_000)} ${SECRET_ERROR_MESSAGE} ${SCENARIO_SECRETS.join(' ')}`;
  const out: FindingScenario = { spans: [], logs: [], metrics: [] };
  for (let n = 1; n <= ATTEMPTS; n++) {
    const startMs = nowMs - 450_000 + n * 30_000;
    const durationMs = STEPS_PER_ATTEMPT * STEP_MS + GAP_MS + 500;
    const attempt = makeAttemptSpan({
      resource,
      queue: 'bulk',
      jobName: 'bulk-import',
      jobId: 'huge',
      attempt: n,
      maxAttempts: 50,
      outcome: 'retry_scheduled',
      errorType: 'ConnectionError',
      startMs,
      durationMs,
      events: [
        {
          name: 'exception',
          timeMs: startMs + durationMs,
          attributes: { 'exception.type': 'ConnectionError', 'exception.message': message },
        },
      ],
      attributes,
    });
    out.spans.push(attempt);
    for (let i = 0; i < STEPS_PER_ATTEMPT; i++) {
      const stepStart = startMs + i * STEP_MS + (i >= STEPS_PER_ATTEMPT / 2 ? GAP_MS : 0);
      out.spans.push(
        makeStepSpan({
          parent: attempt,
          name: `step-${i}-`.padEnd(1000, 'n'),
          startMs: stepStart,
          endMs: stepStart + STEP_MS,
        }),
      );
    }
    out.attempt = attempt;
  }
  return out;
}
