import type { ResourceRecord } from '../records/records.js';
import { atField, DecodeError, locate } from '../wire/decode-error.js';
import { type DecodeCountLimits, type DecodeResult, emptyResult } from '../wire/decode-result.js';
import { completeResource, emptyResource } from '../wire/resource-record.js';
import { readResourceAttributes, readScopeName } from './proto-attributes.js';
import { expectWire, ProtoReader, WIRE_LENGTH_DELIMITED } from './proto-reader.js';

/**
 * The names of one signal's envelope, for error paths: `resource_spans[0].scope_spans[1].spans[3]...`.
 * All three OTLP export requests share the shape: request.1 = Resource{X}; Resource{X}.1 = resource,
 * .2 = Scope{X}; Scope{X}.1 = scope, .2 = the items.
 */
export interface EnvelopeNames {
  /** The request's field 1, e.g. `resource_spans`. */
  resources: string;
  resourceFields: Readonly<Record<number, string>>;
  scopeFields: Readonly<Record<number, string>>;
}

/** Reads one item (field 2 of a Scope{X}) ending at `end` and adds what it yields to `result`. */
export type ReadScopeItem<T> = (
  r: ProtoReader,
  end: number,
  resource: ResourceRecord,
  scopeName: string,
  result: DecodeResult<T>,
) => void;

/** Decodes an OTLP export request's envelope, handing each item to `readItem`; throws only DecodeError. */
export function decodeEnvelope<T extends { scopeName: string }>(
  bytes: Uint8Array,
  names: EnvelopeNames,
  readItem: ReadScopeItem<T>,
  limits?: DecodeCountLimits,
): DecodeResult<T> {
  const result = emptyResult<T>();
  const r = new ProtoReader(bytes);
  if (limits !== undefined) {
    r.maxAttributes = limits.maxAttributesPerRecord;
    r.maxEvents = limits.maxEventsPerSpan;
    r.maxLinks = limits.maxLinksPerSpan;
  }
  const end = r.length;
  let index = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      try {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        readResourceEnvelope(r, r.delimited(end), names, readItem, result);
      } catch (err) {
        throw locate(err, names.resources, index);
      }
      index++;
    } else {
      r.skip(tag & 7, end);
    }
  }
  if (r.skipped > 0) result.limited = r.skipped;
  return result;
}

function readResourceEnvelope<T extends { scopeName: string }>(
  r: ProtoReader,
  end: number,
  names: EnvelopeNames,
  readItem: ReadScopeItem<T>,
  result: DecodeResult<T>,
): void {
  const resource = emptyResource();
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      if (field === 1) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        completeResource(resource, readResourceAttributes(r, r.delimited(end)));
      } else if (field === 2) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        readScopeEnvelope(r, r.delimited(end), names, resource, readItem, result);
        index++;
      } else {
        r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, names.resourceFields, field, index);
  }
}

function readScopeEnvelope<T extends { scopeName: string }>(
  r: ProtoReader,
  end: number,
  names: EnvelopeNames,
  resource: ResourceRecord,
  readItem: ReadScopeItem<T>,
  result: DecodeResult<T>,
): void {
  const first = result.records.length;
  let scopeName = '';
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      if (field === 2) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        readItem(r, r.delimited(end), resource, scopeName, result);
        index++;
      } else if (field === 1) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        scopeName = readScopeName(r, r.delimited(end));
        // Any field order is valid protobuf: items read before their scope get its name now.
        for (let i = first; i < result.records.length; i++) result.records[i].scopeName = scopeName;
      } else {
        r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, names.scopeFields, field, index);
  }
}
