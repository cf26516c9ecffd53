/**
 * Why a request body could not be decoded, with the path of the field that failed, for example
 * `resource_spans[0].scope_spans[1].spans[3].trace_id: truncated`. The receiver answers 400 with
 * this message; nothing else may escape a decoder.
 */
export class DecodeError extends Error {
  /** Path segments, outermost first, added while the error travels up through nested messages. */
  readonly segments: string[];
  readonly reason: string;

  constructor(reason: string, field?: string) {
    super(reason);
    this.name = 'DecodeError';
    this.reason = reason;
    this.segments = field === undefined ? [] : [field];
    this.message = this.render();
  }

  /** Adds an outer path segment and returns this error, so callers can `throw err.within('spans', 3)`. */
  within(field: string, index?: number): DecodeError {
    this.segments.unshift(index === undefined ? field : `${field}[${index}]`);
    this.message = this.render();
    return this;
  }

  get path(): string {
    return this.segments.join('.');
  }

  private render(): string {
    return this.segments.length === 0 ? this.reason : `${this.segments.join('.')}: ${this.reason}`;
  }
}

/**
 * Turns anything thrown while decoding into a DecodeError located at `field`: decoders call this in
 * their catch blocks so that a RangeError from a malformed buffer still reads as a decode error.
 */
export function locate(err: unknown, field: string, index?: number): DecodeError {
  if (err instanceof DecodeError) return err.within(field, index);
  const reason = err instanceof Error ? err.message : String(err);
  return new DecodeError(reason).within(field, index);
}

/**
 * Locates an error at a message field by its number: `names[field]` is the field's name, ending in
 * `[]` when repeated so that `index` (the element being read) is added. Field 0 means the error came
 * from reading a tag, which has no name of its own.
 */
export function atField(
  err: unknown,
  names: Readonly<Record<number, string>>,
  field: number,
  index: number,
): DecodeError {
  if (field === 0) return err instanceof DecodeError ? err : locate(err, 'tag');
  const name = names[field];
  if (name === undefined) return locate(err, `field_${field}`);
  return name.endsWith('[]') ? locate(err, name.slice(0, -2), index) : locate(err, name);
}
