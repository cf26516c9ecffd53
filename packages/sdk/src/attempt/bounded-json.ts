const encoder = new TextEncoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

function stringify(data: unknown): string {
  const seen = new WeakSet<object>();
  const text = JSON.stringify(data, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  });
  return text ?? 'null';
}

/**
 * JSON text of `data` in at most `maxBytes` UTF-8 bytes. Oversized data becomes a valid JSON object
 * holding a prefix of the text, so readers can always parse what they get.
 */
export function boundedJson(data: unknown, maxBytes: number): string {
  let text: string;
  try {
    text = stringify(data);
  } catch (error) {
    text = JSON.stringify({ unserializable: error instanceof Error ? error.message : 'error' });
  }
  if (byteLength(text) <= maxBytes) return text;
  let keep = Math.min(text.length, maxBytes);
  for (;;) {
    const candidate = JSON.stringify({ truncated: true, prefix: text.slice(0, keep) });
    if (byteLength(candidate) <= maxBytes || keep === 0)
      return byteLength(candidate) <= maxBytes ? candidate : '{}';
    keep = Math.floor(keep * 0.9);
  }
}
