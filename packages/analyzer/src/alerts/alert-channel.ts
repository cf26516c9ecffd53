import type { AlertEvent } from '../findings/alert-event.js';

/** One event on its way to one channel. */
export interface AlertDelivery {
  /** `<event id>:<channel name>`: the same on every retry, so receivers can drop repeats. */
  id: string;
  event: AlertEvent;
}

/**
 * What became of one try. `retryable: false` means the receiver refused this delivery for good (a 4xx,
 * a redirect we will not follow): trying again would only repeat the answer.
 */
export type DeliveryOutcome = { ok: true } | { ok: false; retryable: boolean; error: string };

/** A place alerts go. Implementations never throw: every failure is an outcome. */
export interface AlertChannel {
  readonly name: string;
  readonly type: string;
  deliver(delivery: AlertDelivery): Promise<DeliveryOutcome>;
  /** Releases connections (e-mail's SMTP pool). */
  close?(): void;
}

/** Per-try limit for every channel, as the issue asks: a hung receiver costs 5 s, not the loop. */
export const DELIVERY_TIMEOUT_MILLIS = 5000;
