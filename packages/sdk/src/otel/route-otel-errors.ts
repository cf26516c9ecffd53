import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';

type Sink = (error: Error) => void;

// OpenTelemetry reports export failures and drops through process-wide hooks (diag and the global
// error handler), so one router feeds every live SDK instance's onError.
const sinks = new Set<Sink>();
let installed = false;

function toError(args: unknown[]): Error {
  const [first, ...rest] = args;
  // OpenTelemetry's own messages can be as terse as "Timeout": say where they come from.
  if (first instanceof Error) return new Error(`opentelemetry: ${first.message}`, { cause: first });
  const detail = rest
    .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : ''))
    .filter(Boolean);
  return new Error(`opentelemetry: ${String(first)}${detail.length > 0 ? ` ${detail.join(' ')}` : ''}`);
}

function dispatch(error: Error): void {
  for (const sink of sinks) {
    try {
      sink(error);
    } catch {
      // A user's onError that throws must not stop the others or reach OpenTelemetry.
    }
  }
}

const logger: DiagLogger = {
  error: (...args: unknown[]) => dispatch(toError(args)),
  warn: (...args: unknown[]) => dispatch(toError(args)),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};

/** Sends OpenTelemetry's own warnings and errors to `onError` until the returned function is called. */
export function routeOtelErrors(onError: Sink): () => void {
  sinks.add(onError);
  if (!installed) {
    installed = true;
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    setGlobalErrorHandler((exception) =>
      dispatch(exception instanceof Error ? exception : toError([exception])),
    );
  }
  return () => {
    sinks.delete(onError);
  };
}
