/** What a decoder hands back: the records it accepted and how many it rejected, with the first reason. */
export interface DecodeResult<T> {
  records: T[];
  rejected: number;
  /** Why the first rejected item was rejected, '' when none was. */
  rejectReason: string;
  /** Attributes, events and links the decoder skipped for the count limits. */
  limited?: number;
}

/** Counts past which a decoder skips items unread; the rest of the limits apply after decoding. */
export interface DecodeCountLimits {
  maxAttributesPerRecord: number;
  maxEventsPerSpan: number;
  maxLinksPerSpan: number;
}

export function emptyResult<T>(): DecodeResult<T> {
  return { records: [], rejected: 0, rejectReason: '' };
}

/** Counts a rejected item, keeping the first reason for the partial_success message. */
export function reject(result: DecodeResult<unknown>, reason: string): void {
  if (result.rejected === 0) result.rejectReason = reason;
  result.rejected++;
}
