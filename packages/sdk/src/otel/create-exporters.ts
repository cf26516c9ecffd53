import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SignalExport } from '../options.js';

function config(signal: SignalExport, timeoutMillis: number) {
  // A small concurrency limit bounds memory when the collector is down: further batches fail fast.
  return { url: signal.url, headers: signal.headers, timeoutMillis, concurrencyLimit: 4 };
}

export function createSpanExporter(signal: SignalExport, timeoutMillis: number): SpanExporter {
  return signal.protocol === 'http/json'
    ? new JsonTraceExporter(config(signal, timeoutMillis))
    : new ProtoTraceExporter(config(signal, timeoutMillis));
}

export function createLogExporter(signal: SignalExport, timeoutMillis: number): LogRecordExporter {
  return signal.protocol === 'http/json'
    ? new JsonLogExporter(config(signal, timeoutMillis))
    : new ProtoLogExporter(config(signal, timeoutMillis));
}

export function createMetricExporter(signal: SignalExport, timeoutMillis: number): PushMetricExporter {
  return signal.protocol === 'http/json'
    ? new JsonMetricExporter(config(signal, timeoutMillis))
    : new ProtoMetricExporter(config(signal, timeoutMillis));
}
