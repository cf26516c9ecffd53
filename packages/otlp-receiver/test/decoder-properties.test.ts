import { encodeOtlp } from '@joblens/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLogsJson } from '../src/logs/json-logs.js';
import { decodeLogsProto } from '../src/logs/proto-logs.js';
import { decodeMetricsJson } from '../src/metrics/json-metrics.js';
import { decodeMetricsProto } from '../src/metrics/proto-metrics.js';
import { decodeTracesJson } from '../src/traces/json-traces.js';
import { decodeTracesProto } from '../src/traces/proto-traces.js';
import { DecodeError } from '../src/wire/decode-error.js';
import {
  logsRequestArbitrary,
  metricsRequestArbitrary,
  toOtlpJson,
  traceRequestArbitrary,
} from './fixtures/request-arbitraries.js';

const signals = [
  {
    name: 'traces',
    type: 'ExportTraceServiceRequest',
    arbitrary: traceRequestArbitrary,
    proto: decodeTracesProto,
    json: decodeTracesJson,
  },
  {
    name: 'logs',
    type: 'ExportLogsServiceRequest',
    arbitrary: logsRequestArbitrary,
    proto: decodeLogsProto,
    json: decodeLogsJson,
  },
  {
    name: 'metrics',
    type: 'ExportMetricsServiceRequest',
    arbitrary: metricsRequestArbitrary,
    proto: decodeMetricsProto,
    json: decodeMetricsJson,
  },
] as const;

/** Runs `decode` and fails the property if it throws anything but a DecodeError. */
function onlyDecodeErrors(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw new Error(`threw ${String(err)} instead of a DecodeError`);
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

function mutate(
  bytes: Buffer,
  mutations: fc.Arbitrary<unknown> extends never
    ? never
    : Array<{ kind: string; at: number; bit?: number; byte?: number }>,
): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'flip') out[at] ^= 1 << (m.bit ?? 0);
    else if (m.kind === 'truncate') out = out.subarray(0, at);
    else if (m.kind === 'insert')
      out = Buffer.concat([out.subarray(0, at), Buffer.from([m.byte ?? 0]), out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
  }
  return out;
}

describe('the OTLP decoders under generated input', () => {
  for (const signal of signals) {
    it(`decode protobuf and JSON encodings of the same ${signal.name} request to equal records`, () => {
      fc.assert(
        fc.property(signal.arbitrary, fc.boolean(), fc.boolean(), (request, snakeCase, numbersForTimes) => {
          const fromProto = signal.proto(encodeOtlp(signal.type, request));
          const json = JSON.stringify(toOtlpJson(request, { snakeCase, numbersForTimes }));
          const fromJson = signal.json(Buffer.from(json));
          expect(fromJson).toEqual(fromProto);
        }),
        { numRuns: 150 },
      );
    });

    it(`throw nothing but DecodeError on random bytes as ${signal.name}`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => onlyDecodeErrors(signal.proto, bytes)),
        { numRuns: 1000 },
      );
    });

    it(`throw nothing but DecodeError on mutated valid ${signal.name} payloads`, () => {
      fc.assert(
        fc.property(
          signal.arbitrary,
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          (request, mutations) => {
            const bytes = encodeOtlp(signal.type, request);
            onlyDecodeErrors(signal.proto, mutate(bytes, mutations));
            const json = Buffer.from(
              JSON.stringify(toOtlpJson(request, { snakeCase: false, numbersForTimes: false })),
            );
            onlyDecodeErrors(signal.json, mutate(json, mutations));
          },
        ),
        { numRuns: 250 },
      );
    });

    it(`throw nothing but DecodeError on arbitrary JSON as ${signal.name}`, () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) =>
          onlyDecodeErrors(signal.json, Buffer.from(JSON.stringify(value) ?? '')),
        ),
        { numRuns: 500 },
      );
    });
  }
});
