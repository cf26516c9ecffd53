import type { ReceiverStats } from '@joblens/otlp-receiver';
import type { ReceiverTotals } from './metric-inputs.js';

/** The OTLP receiver's counters in the shape /metrics advances its counters from. */
export function receiverTotals(stats: ReceiverStats): ReceiverTotals {
  const of = (signal: 'traces' | 'metrics' | 'logs') => ({
    receivedItems: stats.itemsReceived[signal],
    rejectedItems: stats.itemsRejected[signal],
    decodeErrors: stats.decodeErrors[signal],
  });
  return { traces: of('traces'), metrics: of('metrics'), logs: of('logs') };
}
