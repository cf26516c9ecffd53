import { redactText } from '@joblens/otlp-receiver';
import type { Request } from 'express';

/** Bytes of a ping's body kept as the run's log; the rest is read and dropped (Healthchecks.io keeps 100 KB too). */
export const MAX_PING_BODY_BYTES = 100 * 1024;
// Past this the sender is not sending a log; stop reading so a runaway upload cannot tie the analyzer up.
const MAX_DRAINED_BYTES = 16 * 1024 * 1024;

/**
 * The first {@link MAX_PING_BODY_BYTES} of a ping's body as UTF-8 text with secrets redacted (a cron
 * job's log often prints a connection string), or undefined when there is none. A body an app-wide
 * parser already read (JSON, text) is used as it was parsed.
 */
export async function readPingBody(req: Request): Promise<string | undefined> {
  const parsed: unknown = req.body;
  if (parsed !== undefined && parsed !== null) {
    const text =
      typeof parsed === 'string'
        ? parsed
        : Buffer.isBuffer(parsed)
          ? parsed.toString('utf8')
          : JSON.stringify(parsed);
    if (text === '{}' && !req.headers['content-length']) return undefined;
    return truncate(Buffer.from(text, 'utf8'));
  }
  if (req.method !== 'POST' || req.readableEnded) return undefined;
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let seenBytes = 0;
  await new Promise<void>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      seenBytes += chunk.length;
      if (keptBytes < MAX_PING_BODY_BYTES) {
        kept.push(chunk);
        keptBytes += chunk.length;
      }
      if (seenBytes > MAX_DRAINED_BYTES) {
        req.pause();
        resolve();
      }
    });
    req.on('end', () => resolve());
    req.on('error', () => resolve());
    req.on('close', () => resolve());
  });
  if (keptBytes === 0) return undefined;
  return truncate(Buffer.concat(kept));
}

function truncate(bytes: Buffer): string {
  // Cut on a byte count, then drop a partial UTF-8 sequence at the end rather than keep a broken character.
  const text = bytes.subarray(0, MAX_PING_BODY_BYTES).toString('utf8');
  return redactText(bytes.length > MAX_PING_BODY_BYTES ? text.replace(/\uFFFD$/, '') : text);
}
