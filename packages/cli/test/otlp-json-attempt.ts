import { randomBytes } from 'node:crypto';

type JsonValue = { stringValue: string } | { intValue: string };

const kv = (key: string, value: string | number) => ({
  key,
  value: (typeof value === 'number' ? { intValue: String(value) } : { stringValue: value }) as JsonValue,
});

const nanos = (ms: number) => `${Math.round(ms)}000000`;

/**
 * An OTLP/JSON trace request holding one finished `render` attempt on queue `invoices` whose fetch and
 * upload steps are 3 s apart: a mystery gap for any threshold under 3 s.
 */
export function attemptWithGapRequest(startMs: number): unknown {
  const traceId = randomBytes(16).toString('hex');
  const attemptId = randomBytes(8).toString('hex');
  const step = (name: string, from: number, to: number) => ({
    traceId,
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: attemptId,
    name,
    kind: 1,
    startTimeUnixNano: nanos(startMs + from),
    endTimeUnixNano: nanos(startMs + to),
    attributes: [kv('joblens.step.name', name)],
    status: {},
  });
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            kv('service.name', 'billing'),
            kv('service.instance.id', 'worker-1'),
            kv('host.name', 'host-a'),
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'cli-test' },
            spans: [
              step('fetch', 0, 200),
              step('upload', 3200, 3400),
              {
                traceId,
                spanId: attemptId,
                name: 'process invoices',
                kind: 5,
                startTimeUnixNano: nanos(startMs),
                endTimeUnixNano: nanos(startMs + 3500),
                attributes: [
                  kv('messaging.system', 'joblens'),
                  kv('messaging.operation.type', 'process'),
                  kv('messaging.destination.name', 'invoices'),
                  kv('joblens.job.id', `job-${attemptId}`),
                  kv('joblens.job.name', 'render'),
                  kv('joblens.job.attempt', 1),
                  kv('joblens.job.outcome', 'completed'),
                ],
                status: { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  };
}
