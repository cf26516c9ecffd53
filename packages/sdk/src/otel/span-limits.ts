import { getNumberFromEnv } from '@opentelemetry/core';

/** The limits every span of the SDK obeys, whether OpenTelemetry's tracer or the SDK built it. */
export type ResolvedSpanLimits = {
  attributeCountLimit: number;
  /** Infinity when unlimited. */
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
};

/** Up to 512 events: a long job's checkpoints and diagnostic step events need more than the usual 128. */
const EVENT_COUNT_LIMIT = 512;
const DEFAULT_COUNT_LIMIT = 128;

function fromEnv(specific: string, general: string | undefined, fallback: number): number {
  const value = getNumberFromEnv(specific) ?? (general ? getNumberFromEnv(general) : undefined);
  return value !== undefined && value >= 0 ? value : fallback;
}

/**
 * Resolved once, from the same OTEL_* variables OpenTelemetry's tracer reads, so that the tracer (for
 * steps) and the SDK's attempt spans bound attributes, events and links alike.
 */
export function resolveSpanLimits(): ResolvedSpanLimits {
  return {
    attributeCountLimit: fromEnv(
      'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
      'OTEL_ATTRIBUTE_COUNT_LIMIT',
      DEFAULT_COUNT_LIMIT,
    ),
    attributeValueLengthLimit: fromEnv(
      'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
      'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
      Number.POSITIVE_INFINITY,
    ),
    eventCountLimit: EVENT_COUNT_LIMIT,
    linkCountLimit: fromEnv('OTEL_SPAN_LINK_COUNT_LIMIT', undefined, DEFAULT_COUNT_LIMIT),
    attributePerEventCountLimit: fromEnv('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', undefined, DEFAULT_COUNT_LIMIT),
    attributePerLinkCountLimit: fromEnv('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', undefined, DEFAULT_COUNT_LIMIT),
  };
}
