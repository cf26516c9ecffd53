import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A decoded OTLP attribute value, as plain JavaScript. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };
export type AttributeMap = Record<string, AttributeValue>;

export type ReceivedSpan = {
  resource: AttributeMap;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: AttributeMap;
  events: { name: string; timeUnixNano: bigint; attributes: AttributeMap }[];
  links: { traceId: string; spanId: string; attributes: AttributeMap }[];
  status: { code: number; message?: string };
};

export type ReceivedLog = {
  resource: AttributeMap;
  scope: string;
  eventName?: string;
  body?: AttributeValue;
  severityNumber?: number;
  traceId?: string;
  spanId?: string;
  timeUnixNano: bigint;
  attributes: AttributeMap;
};

export type ReceivedMetricPoint = { attributes: AttributeMap; value?: number; count?: number; sum?: number };

export type ReceivedMetric = {
  resource: AttributeMap;
  scope: string;
  name: string;
  unit?: string;
  kind: 'sum' | 'gauge' | 'histogram' | 'other';
  points: ReceivedMetricPoint[];
};

export type OtlpJsonReceiver = {
  /** Base URL, e.g. http://127.0.0.1:41234 (the SDK appends /v1/traces etc.). */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  readonly logs: ReceivedLog[];
  readonly metrics: ReceivedMetric[];
  /** Every request seen: path and content type, including rejected ones. */
  readonly requests: { path: string; contentType: string }[];
  /** Polls `probe` until it returns something truthy; rejects after `timeoutMillis` (default 10000). */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMillis?: number): Promise<T>;
  close(): Promise<void>;
};

type Json = Record<string, unknown>;
type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: { key: string; value?: AnyValue }[] };
  bytesValue?: string;
};

function decodeValue(value: AnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue);
  if (value.kvlistValue) return decodeAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function decodeAttributes(list: unknown): AttributeMap {
  const map: AttributeMap = {};
  if (!Array.isArray(list)) return map;
  for (const entry of list as { key: string; value?: AnyValue }[]) map[entry.key] = decodeValue(entry.value);
  return map;
}

function nanos(value: unknown): bigint {
  try {
    return BigInt(typeof value === 'number' ? Math.round(value) : String(value ?? '0'));
  } catch {
    return 0n;
  }
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function scopeName(scope: unknown): string {
  return String((scope as Json | undefined)?.name ?? '');
}

function collectSpans(body: Json, into: ReceivedSpan[]): void {
  for (const rs of list(body.resourceSpans)) {
    const resource = decodeAttributes((rs.resource as Json | undefined)?.attributes);
    for (const ss of list(rs.scopeSpans)) {
      for (const span of list(ss.spans)) {
        const status = (span.status as Json | undefined) ?? {};
        into.push({
          resource,
          scope: scopeName(ss.scope),
          traceId: String(span.traceId ?? ''),
          spanId: String(span.spanId ?? ''),
          parentSpanId: span.parentSpanId ? String(span.parentSpanId) : undefined,
          name: String(span.name ?? ''),
          kind: Number(span.kind ?? 0),
          startTimeUnixNano: nanos(span.startTimeUnixNano),
          endTimeUnixNano: nanos(span.endTimeUnixNano),
          attributes: decodeAttributes(span.attributes),
          events: list(span.events).map((e) => ({
            name: String(e.name ?? ''),
            timeUnixNano: nanos(e.timeUnixNano),
            attributes: decodeAttributes(e.attributes),
          })),
          links: list(span.links).map((l) => ({
            traceId: String(l.traceId ?? ''),
            spanId: String(l.spanId ?? ''),
            attributes: decodeAttributes(l.attributes),
          })),
          status: {
            code: Number(status.code ?? 0),
            message: status.message ? String(status.message) : undefined,
          },
        });
      }
    }
  }
}

function collectLogs(body: Json, into: ReceivedLog[]): void {
  for (const rl of list(body.resourceLogs)) {
    const resource = decodeAttributes((rl.resource as Json | undefined)?.attributes);
    for (const sl of list(rl.scopeLogs)) {
      for (const record of list(sl.logRecords)) {
        into.push({
          resource,
          scope: scopeName(sl.scope),
          eventName: record.eventName ? String(record.eventName) : undefined,
          body: record.body ? decodeValue(record.body as AnyValue) : undefined,
          severityNumber: record.severityNumber === undefined ? undefined : Number(record.severityNumber),
          traceId: record.traceId ? String(record.traceId) : undefined,
          spanId: record.spanId ? String(record.spanId) : undefined,
          timeUnixNano: nanos(record.timeUnixNano ?? record.observedTimeUnixNano),
          attributes: decodeAttributes(record.attributes),
        });
      }
    }
  }
}

function decodePoint(point: Json): ReceivedMetricPoint {
  const value = point.asDouble ?? point.asInt;
  return {
    attributes: decodeAttributes(point.attributes),
    value: value === undefined ? undefined : Number(value),
    count: point.count === undefined ? undefined : Number(point.count),
    sum: point.sum === undefined ? undefined : Number(point.sum),
  };
}

function collectMetrics(body: Json, into: ReceivedMetric[]): void {
  for (const rm of list(body.resourceMetrics)) {
    const resource = decodeAttributes((rm.resource as Json | undefined)?.attributes);
    for (const sm of list(rm.scopeMetrics)) {
      for (const metric of list(sm.metrics)) {
        const kind = metric.sum ? 'sum' : metric.gauge ? 'gauge' : metric.histogram ? 'histogram' : 'other';
        const data = (metric.sum ?? metric.gauge ?? metric.histogram ?? {}) as Json;
        into.push({
          resource,
          scope: scopeName(sm.scope),
          name: String(metric.name ?? ''),
          unit: metric.unit ? String(metric.unit) : undefined,
          kind,
          points: list(data.dataPoints).map(decodePoint),
        });
      }
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * A real OTLP/HTTP receiver on 127.0.0.1 and an ephemeral port that accepts the JSON encoding
 * (configure senders with protocol `http/json`) and keeps what it receives, decoded to plain
 * values. Protobuf requests are answered 415 and recorded in `requests`.
 */
export async function startOtlpJsonReceiver(): Promise<OtlpJsonReceiver> {
  const spans: ReceivedSpan[] = [];
  const logs: ReceivedLog[] = [];
  const metrics: ReceivedMetric[] = [];
  const requests: { path: string; contentType: string }[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0];
    const contentType = String(request.headers['content-type'] ?? '');
    requests.push({ path, contentType });
    const text = await readBody(request);
    if (request.method !== 'POST' || !['/v1/traces', '/v1/logs', '/v1/metrics'].includes(path)) {
      response.writeHead(404).end();
      return;
    }
    if (!contentType.includes('json')) {
      response
        .writeHead(415, { 'content-type': 'text/plain' })
        .end('this receiver accepts application/json only');
      return;
    }
    let body: Json;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (path === '/v1/traces') collectSpans(body, spans);
    else if (path === '/v1/logs') collectLogs(body, logs);
    else collectMetrics(body, metrics);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    logs,
    metrics,
    requests,
    async waitFor<T>(probe: () => T | undefined | null | false, timeoutMillis = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMillis;
      for (;;) {
        const found = probe();
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`the OTLP receiver did not get what was awaited within ${timeoutMillis} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
