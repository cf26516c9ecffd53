import type { AlertMessage } from './alert-message.js';

/** What became of one alert, for joblens_analyzer_alerts_total{result}. */
export type AlertResult = 'sent' | 'retried' | 'failed' | 'dropped';

export interface WebhookAlertSenderOptions {
  /** Where to POST; http or https. Required. */
  url: string;
  /** Alerts waiting to be sent; beyond this the oldest is dropped. Default 1000. */
  maxQueueLength?: number;
  /** Tries per alert before giving up (the first try included). Default 6. */
  maxAttempts?: number;
  /** Backoff before the second try; doubles each time, with full jitter. Default 500. */
  initialBackoffMillis?: number;
  /** Ceiling of one backoff. Default 30000. */
  maxBackoffMillis?: number;
  /** Per-request timeout. Default 5000. */
  requestTimeoutMillis?: number;
  /** Told of every outcome (sent, retried, failed after the last try, dropped when the queue is full). */
  onResult?: (result: AlertResult, error?: unknown) => void;
}

const DEFAULTS = {
  maxQueueLength: 1000,
  maxAttempts: 6,
  initialBackoffMillis: 500,
  maxBackoffMillis: 30_000,
  requestTimeoutMillis: 5000,
};

/**
 * Sends alerts to one webhook in the background, in order, one at a time. `send()` only queues: a slow
 * or dead receiver never blocks ingest or evaluation. Retries 5xx, 429 and network errors with exponential
 * backoff and full jitter; a 4xx other than 408/429 is the receiver refusing the body, so it is not retried.
 */
export class WebhookAlertSender {
  private readonly queue: AlertMessage[] = [];
  private readonly options: Required<Omit<WebhookAlertSenderOptions, 'onResult'>>;
  private readonly onResult: (result: AlertResult, error?: unknown) => void;
  private draining: Promise<void> | undefined;
  private stopped = false;
  private wakeSleeper: (() => void) | undefined;

  constructor(options: WebhookAlertSenderOptions) {
    this.options = { ...DEFAULTS, ...definedOnly(options) } as Required<
      Omit<WebhookAlertSenderOptions, 'onResult'>
    >;
    this.onResult = options.onResult ?? (() => {});
    validate(this.options);
  }

  send(message: AlertMessage): void {
    if (this.stopped) return;
    if (this.queue.length >= this.options.maxQueueLength) {
      this.queue.shift();
      this.onResult('dropped');
    }
    this.queue.push(message);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Alerts not yet delivered (queued or being tried). */
  pending(): number {
    return this.queue.length;
  }

  /** Waits up to `timeoutMillis` for the queue to empty, then stops: later alerts are ignored. */
  async stop(timeoutMillis = 2000): Promise<void> {
    const draining = this.draining;
    if (draining) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([draining, new Promise((r) => (timer = setTimeout(r, timeoutMillis)))]);
      clearTimeout(timer);
    }
    this.stopped = true;
    this.queue.length = 0;
    this.wakeSleeper?.();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const message = this.queue[0];
      await this.deliver(message);
      if (this.queue[0] === message) this.queue.shift();
    }
  }

  private async deliver(message: AlertMessage): Promise<void> {
    const body = JSON.stringify(message);
    for (let attempt = 1; !this.stopped; attempt++) {
      let error: unknown;
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.requestTimeoutMillis),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return this.onResult('sent');
        error = new Error(`alert webhook answered ${response.status}`);
        if (!isRetryable(response.status)) return this.onResult('failed', error);
      } catch (cause) {
        error = new Error('posting an alert to the webhook', { cause });
      }
      if (attempt >= this.options.maxAttempts) return this.onResult('failed', error);
      this.onResult('retried', error);
      await this.sleep(this.backoffMillis(attempt));
    }
  }

  private backoffMillis(attempt: number): number {
    const ceiling = Math.min(
      this.options.maxBackoffMillis,
      this.options.initialBackoffMillis * 2 ** (attempt - 1),
    );
    return Math.random() * ceiling;
  }

  private sleep(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, millis);
      // Pending retries must not keep a stopping analyzer alive.
      timer.unref();
      this.wakeSleeper = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validate(options: Required<Omit<WebhookAlertSenderOptions, 'onResult'>>): void {
  let protocol = '';
  try {
    protocol = new URL(options.url).protocol;
  } catch {}
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error(`alert webhook url must be an http(s) URL, got ${JSON.stringify(options.url)}`);
  }
  for (const name of [
    'maxQueueLength',
    'maxAttempts',
    'initialBackoffMillis',
    'maxBackoffMillis',
    'requestTimeoutMillis',
  ] as const) {
    const value = options[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`alert webhook option ${name} must be a positive number, got ${JSON.stringify(value)}`);
    }
  }
}
