import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';

/** The body (raw or decompressed) is larger than allowed: answered 413. */
export class BodyTooLargeError extends Error {
  constructor(maxBodyBytes: number) {
    super(`request body exceeds ${maxBodyBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The body says gzip but is not, or the client went away: answered 400. */
class BodyReadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BodyReadError';
  }
}

const EMPTY = Buffer.alloc(0);
/**
 * Output chunk of the gunzip stream. Larger than zlib's 16 KiB default: a typical 512-span batch
 * inflates to ~170 KB, and every chunk costs a round trip to the zlib thread, a callback and a buffer;
 * in one chunk the body needs no copy into one buffer either (see `joined`).
 */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/** The chunks as one buffer: the only chunk as it is, several copied into one. */
function joined(chunks: Buffer[], bytes: number): Buffer {
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes);
}

/**
 * Reads a request body, gunzipping it on the fly when `gzip` is set. `maxBodyBytes` bounds the bytes
 * received and, separately, the bytes decompressed: decompression stops at the first chunk past the
 * limit, so a gzip bomb costs at most the limit in memory and a few milliseconds of CPU.
 */
export function readRequestBody(req: IncomingMessage, gzip: boolean, maxBodyBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBodyBytes) return Promise.reject(new BodyTooLargeError(maxBodyBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let outputBytes = 0;
    let rawBytes = 0;
    let settled = false;
    const gunzip = gzip ? createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }) : undefined;

    const settle = (err: Error | undefined, body?: Buffer): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (gunzip !== undefined && err !== undefined) gunzip.destroy();
      // Keep draining (and discarding) what the client still sends so the answer reaches it.
      if (err !== undefined) req.resume();
      if (err !== undefined) reject(err);
      else resolve(body ?? EMPTY);
    };
    const collect = (chunk: Buffer): void => {
      outputBytes += chunk.length;
      if (outputBytes > maxBodyBytes) settle(new BodyTooLargeError(maxBodyBytes));
      else chunks.push(chunk);
    };
    const onData = (chunk: Buffer): void => {
      rawBytes += chunk.length;
      if (rawBytes > maxBodyBytes) settle(new BodyTooLargeError(maxBodyBytes));
      else if (gunzip !== undefined) gunzip.write(chunk);
      else collect(chunk);
    };
    const onEnd = (): void => {
      if (gunzip === undefined || rawBytes === 0) {
        gunzip?.destroy();
        settle(undefined, joined(chunks, outputBytes));
      } else {
        gunzip.end();
      }
    };
    const onError = (err: Error): void =>
      settle(new BodyReadError('reading the request body', { cause: err }));
    const onAborted = (): void => settle(new BodyReadError('client closed the connection mid-body'));

    if (gunzip !== undefined) {
      gunzip.on('data', (chunk: Buffer) => {
        if (!settled) collect(chunk);
      });
      gunzip.on('end', () => settle(undefined, joined(chunks, outputBytes)));
      gunzip.on('error', (err) =>
        settle(
          new BodyReadError(`Content-Encoding gzip but the body is not gzip: ${err.message}`, { cause: err }),
        ),
      );
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
