import type { Finding, FindingTransition } from './finding.js';

/** What happened to a finding that is worth telling a channel. */
export type AlertEventKind = 'opened' | 'raised' | 'acknowledged' | 'resolved' | 'reminder';

export interface AlertEvent {
  /** Unique per event; with the channel name it makes the delivery id receivers dedupe on. */
  id: string;
  kind: AlertEventKind;
  /** Unix ms. */
  at: number;
  finding: Finding;
  transition?: FindingTransition;
  /** Who acknowledged, for 'acknowledged'. */
  actor?: string;
}

/** Durable: once publish resolves, the event will be delivered to every channel its routes pick, at least once, across restarts. */
export interface AlertPublisher {
  publish(event: AlertEvent): Promise<void>;
}
