import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import {
  type Admission,
  type AdmissionOptions,
  admitRecords,
  resolveAdmission,
} from '../admit/admit-records.js';
import { DecodeCaches } from '../protobuf/decode-caches.js';
import type { TelemetrySink } from '../records/records.js';
import type { RedactionOptions } from '../records/redact.js';
import { RecordRedactor } from '../records/redact-records.js';
import { DecodeError } from '../wire/decode-error.js';
import { decodePayload, deliver, redactRecords } from './decode-payload.js';
import { DecodeTurns } from './decode-turns.js';
import { DEFAULT_LOAD_LIMITS, LoadShedder } from './load-shedder.js';
import { CONTENT_TYPES, exportResponse, type OtlpFormat, RPC_CODE, statusBody } from './otlp-response.js';
import { OTLP_SIGNALS, type OtlpSignal, ReceiverStats } from './receiver-stats.js';
import { BodyTooLargeError, readRequestBody } from './request-body.js';

export interface OtlpAppOptions {
  /** Where decoded spans, logs and metric points go. Required. */
  sink: TelemetrySink;
  /** Largest body accepted, both as received and after gzip decompression. Default 8 MiB. */
  maxBodyBytes?: number;
  /** When set, requests must carry `Authorization: Bearer <token>` (401 otherwise). Default: none. */
  token?: string;
  /** Counters to update; pass your own to read them elsewhere (the analyzer's /metrics). Default: a new one. */
  stats?: ReceiverStats;
  /** Attribute limits (on by default) and timestamp bounds (off by default): see admit-records.ts. */
  admission?: AdmissionOptions;
  /**
   * Bounds requests in flight and bytes reserved; past them requests are answered 429 with Retry-After.
   * Pass your own to read its counts. Default: one with the defaults of load-shedder.ts.
   */
  shedder?: LoadShedder;
  /**
   * What to redact from every record before the sink sees it (secret attribute keys, credentials in
   * values always; e-mail addresses with `emails: true`). Default `{}`. Redaction cannot be turned off.
   */
  redaction?: RedactionOptions;
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Seconds a client should wait after the sink failed (an internal error worth retrying). */
const SINK_FAILURE_RETRY_AFTER_SECONDS = 1;
/** Seconds a client refused by the load shedder should wait: long enough for the requests ahead to end. */
const SHED_RETRY_AFTER_SECONDS = 1;

interface ResolvedOptions {
  sink: TelemetrySink;
  maxBodyBytes: number;
  tokenDigest: Buffer | undefined;
  stats: ReceiverStats;
  admission: Admission;
  shedder: LoadShedder;
  turns: DecodeTurns;
  redactor: RecordRedactor;
  /** The protobuf decoders' byte caches: this receiver's own, kept between its requests. */
  caches: DecodeCaches;
}

function resolveOptions(options: OtlpAppOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createOtlpApp options: expected an object, got ${String(options)}`);
  }
  const {
    sink,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    token,
    stats = new ReceiverStats(),
    redaction = {},
  } = options;
  if (
    typeof sink !== 'object' ||
    sink === null ||
    typeof sink.acceptSpans !== 'function' ||
    typeof sink.acceptLogs !== 'function' ||
    typeof sink.acceptMetrics !== 'function'
  ) {
    throw new TypeError(`createOtlpApp option sink: expected a TelemetrySink, got ${String(sink)}`);
  }
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new RangeError(
      `createOtlpApp option maxBodyBytes: expected a positive integer, got ${maxBodyBytes}`,
    );
  }
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    throw new TypeError(
      `createOtlpApp option token: expected a non-empty string, got ${JSON.stringify(token)}`,
    );
  }
  if (!(stats instanceof ReceiverStats)) {
    throw new TypeError(`createOtlpApp option stats: expected a ReceiverStats, got ${String(stats)}`);
  }
  if (typeof redaction !== 'object' || redaction === null) {
    throw new TypeError(`createOtlpApp option redaction: expected an object, got ${String(redaction)}`);
  }
  return {
    sink,
    maxBodyBytes,
    tokenDigest: token === undefined ? undefined : digest(token),
    stats,
    admission: resolveAdmission(options.admission),
    shedder: resolveShedder(options.shedder),
    turns: new DecodeTurns(),
    caches: new DecodeCaches(),
    redactor: new RecordRedactor(redaction),
  };
}

function resolveShedder(shedder: LoadShedder | undefined): LoadShedder {
  if (shedder === undefined) return new LoadShedder(DEFAULT_LOAD_LIMITS);
  if (!(shedder instanceof LoadShedder)) {
    throw new TypeError(`createOtlpApp option shedder: expected a LoadShedder, got ${String(shedder)}`);
  }
  return shedder;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The request's OTLP format from its Content-Type, or undefined when it is neither. */
function formatOf(req: IncomingMessage): OtlpFormat | undefined {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

/** Comparing digests keeps the comparison constant-time whatever the lengths of the two tokens. */
function authorized(req: IncomingMessage, tokenDigest: Buffer | undefined): boolean {
  if (tokenDigest === undefined) return true;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return timingSafeEqual(digest(match === null ? '' : match[1].trim()), tokenDigest) && match !== null;
}

function send(
  res: ServerResponse,
  status: number,
  format: OtlpFormat,
  body: Buffer | string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.end(body);
}

async function handleExport(
  signal: OtlpSignal,
  options: ResolvedOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { stats, sink } = options;
  const format = formatOf(req) ?? 'json';
  const answer = (status: number, code: number, message: string, headers?: Record<string, string>): void => {
    stats.countRequest(signal, status);
    send(res, status, format, statusBody(format, code, message), headers);
  };

  if (!authorized(req, options.tokenDigest)) {
    answer(401, RPC_CODE.UNAUTHENTICATED, 'missing or wrong bearer token', { 'WWW-Authenticate': 'Bearer' });
    return;
  }
  if (formatOf(req) === undefined) {
    answer(415, RPC_CODE.UNIMPLEMENTED, 'Content-Type must be application/x-protobuf or application/json');
    return;
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity' && encoding !== '') {
    answer(
      415,
      RPC_CODE.UNIMPLEMENTED,
      `Content-Encoding ${encoding} is not supported (use gzip or identity)`,
    );
    return;
  }
  let retryAfterSeconds: number | undefined;
  try {
    retryAfterSeconds = sink.overloadedRetryAfterSeconds?.();
  } catch {
    retryAfterSeconds = SINK_FAILURE_RETRY_AFTER_SECONDS;
  }
  if (typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds)) {
    const seconds = String(Math.max(0, Math.ceil(retryAfterSeconds)));
    answer(503, RPC_CODE.UNAVAILABLE, 'analyzer is overloaded, retry later', { 'Retry-After': seconds });
    return;
  }

  const declared = Number(req.headers['content-length']);
  const reserved =
    Number.isSafeInteger(declared) && declared >= 0
      ? Math.min(declared, options.maxBodyBytes)
      : options.maxBodyBytes;
  const release = options.shedder.admit(reserved);
  if (typeof release === 'string') {
    const what = release === 'requests' ? 'too many requests in flight' : 'too many bytes in flight';
    // Connection: close, so that the body this answer does not read is not read afterwards either.
    answer(429, RPC_CODE.RESOURCE_EXHAUSTED, `analyzer is shedding load (${what}), retry later`, {
      'Retry-After': String(SHED_RETRY_AFTER_SECONDS),
      Connection: 'close',
    });
    return;
  }
  res.once('close', release);

  let body: Buffer;
  try {
    body = await readRequestBody(req, encoding === 'gzip', options.maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLargeError) answer(413, RPC_CODE.RESOURCE_EXHAUSTED, err.message);
    else answer(400, RPC_CODE.INVALID_ARGUMENT, (err as Error).message);
    return;
  }

  await options.turns.next();
  let decoded: ReturnType<typeof decodePayload>;
  try {
    decoded = decodePayload(signal, format, body, options.caches, options.admission.limits);
  } catch (err) {
    stats.decodeErrors[signal]++;
    const reason =
      err instanceof DecodeError ? err.message : `undecodable: ${(err as Error)?.message ?? err}`;
    answer(400, RPC_CODE.INVALID_ARGUMENT, `decoding ${signal}: ${reason}`);
    return;
  }

  const admitted = admitRecords(signal, decoded, options.admission);
  stats.limitedValues[signal] += admitted.count + (decoded.limited ?? 0);
  stats.clampedTimestamps[signal] += admitted.clamped;
  if (decoded.records.length > 0) {
    try {
      // Before the sink: nothing past the receiver may hold a secret (model, findings, store, page).
      redactRecords(options.redactor, signal, decoded.records);
      const returned = deliver(sink, signal, decoded.records);
      // A sink that returns a promise must not turn into an unhandled rejection.
      if (returned instanceof Promise) returned.catch(() => stats.sinkErrors[signal]++);
    } catch (err) {
      stats.sinkErrors[signal]++;
      answer(503, RPC_CODE.UNAVAILABLE, `storing ${signal} failed: ${(err as Error)?.message ?? err}`, {
        'Retry-After': String(SINK_FAILURE_RETRY_AFTER_SECONDS),
      });
      return;
    }
  }
  stats.itemsReceived[signal] += decoded.records.length;
  stats.itemsRejected[signal] += decoded.rejected;
  stats.countRequest(signal, 200);
  send(res, 200, format, exportResponse(signal, format, decoded.rejected, decoded.rejectReason));
}

/** Answers one request to `/v1/{signal}`: 405 unless POST, else the export. */
function handleSignal(
  signal: OtlpSignal,
  resolved: ResolvedOptions,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (req.method !== 'POST') {
    resolved.stats.countRequest(signal, 405);
    res.setHeader('Allow', 'POST');
    const format = formatOf(req) ?? 'json';
    send(res, 405, format, statusBody(format, RPC_CODE.UNIMPLEMENTED, `${req.method} not allowed, use POST`));
    return;
  }
  handleExport(signal, resolved, req, res).catch((err: unknown) => {
    resolved.stats.sinkErrors[signal]++;
    resolved.stats.countRequest(signal, 503);
    const format = formatOf(req) ?? 'json';
    const message = `internal error: ${(err as Error)?.message}`;
    send(res, 503, format, statusBody(format, RPC_CODE.INTERNAL, message), {
      'Retry-After': String(SINK_FAILURE_RETRY_AFTER_SECONDS),
    });
  });
}

function routerOf(resolved: ResolvedOptions): Router {
  const router = express.Router();
  for (const signal of OTLP_SIGNALS) {
    router.all(`/v1/${signal}`, (req: Request, res: Response) => handleSignal(signal, resolved, req, res));
  }
  return router;
}

function appOf(resolved: ResolvedOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(routerOf(resolved));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown })?.status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 503;
    const format = formatOf(req) ?? 'json';
    const rpcCode = code === 503 ? RPC_CODE.UNAVAILABLE : RPC_CODE.INVALID_ARGUMENT;
    send(res, code, format, statusBody(format, rpcCode, 'request failed'));
  });
  return app;
}

/**
 * An express app serving only the OTLP/HTTP receiver. Errors express itself raises (a malformed URL,
 * say) keep their 4xx status; anything else is answered 503 so that senders retry instead of dropping.
 */
export function createOtlpApp(options: OtlpAppOptions): Express {
  return appOf(resolveOptions(options));
}

const SIGNAL_OF_PATH: ReadonlyMap<string, OtlpSignal> = new Map(
  OTLP_SIGNALS.map((signal) => [`/v1/${signal}`, signal]),
);

/**
 * The receiver as a plain Node request listener, for a server of its own (the analyzer's OTLP port):
 * the export paths as exporters write them go straight to the handler, every other request (another
 * path, a query string, a trailing slash, other letter case) to the express app of `createOtlpApp`,
 * so that all answers stay the same. At 500-span batches, express's router, URL parsing and its swap of
 * the request's and response's prototypes were a few percent of what a request cost the receiver.
 */
export function createOtlpListener(options: OtlpAppOptions): RequestListener {
  const resolved = resolveOptions(options);
  const app = appOf(resolved);
  return (req, res) => {
    const signal = SIGNAL_OF_PATH.get(req.url ?? '');
    if (signal === undefined) app(req, res);
    else handleSignal(signal, resolved, req, res);
  };
}
