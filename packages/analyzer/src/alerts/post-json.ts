import { DELIVERY_TIMEOUT_MILLIS, type DeliveryOutcome } from './alert-channel.js';

/**
 * POSTs a body and reads the answer as a delivery outcome. Redirects are never followed: a 307 would
 * re-post the body (and its signature) to wherever the receiver points, an internal port included.
 * 5xx, 408, 429 and network errors are worth retrying; other answers, 3xx included, are the receiver's
 * last word on this body.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
  timeoutMillis = DELIVERY_TIMEOUT_MILLIS,
): Promise<DeliveryOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMillis),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    if (response.status >= 300 && response.status < 400) {
      return {
        ok: false,
        retryable: false,
        error: `answered ${response.status} (redirect to ${response.headers.get('location') ?? 'nowhere'}); redirects are not followed`,
      };
    }
    return {
      ok: false,
      retryable: response.status >= 500 || response.status === 408 || response.status === 429,
      error: `answered ${response.status}`,
    };
  } catch (error) {
    return { ok: false, retryable: true, error: describeFetchError(error) };
  }
}

function describeFetchError(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'no answer within the timeout';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(error);
}
