import type { ResourceRecord } from '../records/records.js';
import { locate } from '../wire/decode-error.js';
import { type DecodeCountLimits, type DecodeResult, emptyResult } from '../wire/decode-result.js';
import { completeResource, emptyResource } from '../wire/resource-record.js';
import type { DecodeCaches } from './decode-caches.js';
import { readResourceAttributes, readScopeName } from './proto-attributes.js';
import { type MessageFields, readFields } from './proto-fields.js';
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

/**
 * Reads the items (field 2 of a Scope{X}) of one request: `read` reads one ending at `end` and adds
 * what it yields to `result`. One per request, so it may keep scratch space of its own.
 */
export interface ScopeItemReader<T> {
  read(
    r: ProtoReader,
    end: number,
    resource: ResourceRecord,
    scopeName: string,
    result: DecodeResult<T>,
  ): void;
}

/** One signal's envelope: its names and its two message readers, built once per signal. */
export interface Envelope<T> {
  readonly names: EnvelopeNames;
  readonly resource: MessageFields<EnvelopeState<T>>;
  readonly scope: MessageFields<EnvelopeState<T>>;
}

/** What the envelope's messages are read into: one per request. */
interface EnvelopeState<T> {
  items: ScopeItemReader<T>;
  result: DecodeResult<T>;
  resource: ResourceRecord;
  scopeName: string;
  /** The first record of the scope being read, to give it its scope's name when that comes last. */
  first: number;
  /** The scope of the resource being read. */
  scopeIndex: number;
  /** The item of the scope being read. */
  itemIndex: number;
}

/** Builds a signal's envelope from its names. */
export function envelopeOf<T extends { scopeName: string }>(names: EnvelopeNames): Envelope<T> {
  const scope: MessageFields<EnvelopeState<T>> = {
    names: names.scopeFields,
    readField(r, field, wire, end, state) {
      if (field === 2) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        state.items.read(r, r.delimited(end), state.resource, state.scopeName, state.result);
        state.itemIndex++;
      } else if (field === 1) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        const scopeName = readScopeName(r, r.delimited(end));
        state.scopeName = scopeName;
        // Any field order is valid protobuf: items read before their scope get its name now.
        const records = state.result.records;
        for (let i = state.first; i < records.length; i++) records[i].scopeName = scopeName;
      } else {
        r.skip(wire, end);
      }
    },
    elementIndex: (state) => state.itemIndex,
  };
  const resource: MessageFields<EnvelopeState<T>> = {
    names: names.resourceFields,
    readField(r, field, wire, end, state) {
      if (field === 1) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        completeResource(state.resource, readResourceAttributes(r, r.delimited(end)));
      } else if (field === 2) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        const stop = r.delimited(end);
        state.scopeName = '';
        state.first = state.result.records.length;
        state.itemIndex = 0;
        readFields(r, stop, scope, state);
        state.scopeIndex++;
      } else {
        r.skip(wire, end);
      }
    },
    elementIndex: (state) => state.scopeIndex,
  };
  return { names, resource, scope };
}

/**
 * Decodes an OTLP export request's envelope, handing each item to `items`; throws only DecodeError.
 * `caches`: the decoder's, kept between requests (a new set when absent).
 */
export function decodeEnvelope<T extends { scopeName: string }>(
  bytes: Uint8Array,
  envelope: Envelope<T>,
  items: ScopeItemReader<T>,
  limits?: DecodeCountLimits,
  caches?: DecodeCaches,
): DecodeResult<T> {
  const result = emptyResult<T>();
  const r = new ProtoReader(bytes, caches);
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
        const state: EnvelopeState<T> = {
          items,
          result,
          resource: emptyResource(),
          scopeName: '',
          first: 0,
          scopeIndex: 0,
          itemIndex: 0,
        };
        readFields(r, r.delimited(end), envelope.resource, state);
      } catch (err) {
        throw locate(err, envelope.names.resources, index);
      }
      index++;
    } else {
      r.skip(tag & 7, end);
    }
  }
  if (r.skipped > 0) result.limited = r.skipped;
  return result;
}
