/** What a decoder hands back: the records it accepted and how many it rejected, with the first reason. */
export interface DecodeResult<T> {
  records: T[];
  rejected: number;
  /** Why the first rejected item was rejected, '' when none was. */
  rejectReason: string;
}

export function emptyResult<T>(): DecodeResult<T> {
  return { records: [], rejected: 0, rejectReason: '' };
}

/** Counts a rejected item, keeping the first reason for the partial_success message. */
export function reject(result: DecodeResult<unknown>, reason: string): void {
  if (result.rejected === 0) result.rejectReason = reason;
  result.rejected++;
}
