/**
 * A hand-written decoder of `inference.ModelInferRequest` (proto/grpc_predict_v2.proto; the field
 * numbers below are the protocol). It yields exactly the object @grpc/proto-loader yields with
 * PROTO_LOADER_OPTIONS (./proto.ts), which the codec (./codec.ts) consumes: snake_case keys,
 * defaults for absent fields ('' strings, [] lists, {} maps, `null` contents), 64-bit integers as
 * decimal strings, `parameter_choice` naming the set InferParameter member, and bytes fields as
 * Buffer views of the message (no copy; protobufjs does the same).
 *
 * Why not protobufjs: it builds an intermediate message object per tensor and then a second one
 * (`toObject`), and, more importantly, the server could not tell it that the message buffer is its
 * own. With `ownsBuffer`, raw contents are realigned in place when needed (typed arrays need
 * aligned offsets; otherwise `viewNumeric` would copy) and the buffer is marked detachable
 * (../detachable.ts), so a 600 KB image reaches an inference worker with no copy beyond the one
 * grpc-js makes when it joins the HTTP/2 frames.
 *
 * Malformed input throws INVALID_INPUT naming the field and byte offset (./wire-reader.ts).
 * Unknown fields are skipped; a known field with the wrong wire type is an error (it means the
 * sender uses another schema). Where protobufjs departs from the protobuf spec on valid-but-odd
 * input, this follows the spec: a oneof keeps the member that came last on the wire (protobufjs
 * keeps all), a map entry without a value gets an empty InferParameter (protobufjs fails), bool is
 * true for any non-zero varint. A repeated `contents` keeps the last, as protobufjs does.
 */
import { elementSize, isDatatype } from '../datatype.ts';
import { markDetachable } from '../detachable.ts';
import type { InferParameter__Output } from './generated/inference/InferParameter.ts';
import type {
  ModelInferRequest__Output,
  _inference_ModelInferRequest_InferInputTensor__Output as InputTensor,
  _inference_ModelInferRequest_InferRequestedOutputTensor__Output as RequestedOutput,
} from './generated/inference/ModelInferRequest.ts';
import { readContents } from './infer-wire-contents.ts';
import { FIXED64, LEN, VARINT, WireReader, wireTypeName, wrongWireType } from './wire-reader.ts';

export interface DecodeInferOptions {
  /**
   * `bytes` is the only data in its ArrayBuffer that anyone will read (the caller checked, see
   * dataplane/grpc): the decoder may move raw contents within it and marks it detachable.
   */
  ownsBuffer?: boolean;
}

const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/**
 * A field of `msg` we know (numbers 1..names.length) with an unexpected wire type is an error;
 * any other field is unknown and skipped.
 */
function skipUnknown(r: WireReader, t: number, msg: string, names: readonly string[], wireTypes: readonly number[]): void {
  const no = t >>> 3;
  if (no <= names.length) {
    throw wrongWireType(`${msg}.${names[no - 1]!}`, t, wireTypeName(wireTypes[no - 1]!), r.pos);
  }
  r.skip(t, msg);
}

/** Decodes a ModelInferRequest; throws INVALID_INPUT on malformed bytes. */
export function decodeModelInferRequest(bytes: Uint8Array, opts: DecodeInferOptions = {}): ModelInferRequest__Output {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new WireReader(buf, 0, buf.byteLength);
  const msg: ModelInferRequest__Output = { model_name: '', model_version: '', id: '', parameters: {}, inputs: [], outputs: [], raw_input_contents: [] };
  while (r.pos < r.end) {
    const at = r.pos;
    const t = r.tag('ModelInferRequest');
    switch (t) {
      case tag(1, LEN): msg.model_name = r.string('model_name'); break;
      case tag(2, LEN): msg.model_version = r.string('model_version'); break;
      case tag(3, LEN): msg.id = r.string('id'); break;
      case tag(4, LEN): readMapEntry(r, msg.parameters, 'parameters'); break;
      case tag(5, LEN): msg.inputs.push(readInput(r, `inputs[${msg.inputs.length}]`)); break;
      case tag(6, LEN): msg.outputs.push(readOutput(r, `outputs[${msg.outputs.length}]`)); break;
      case tag(7, LEN): {
        const start = r.bytesRange('raw_input_contents');
        const s = opts.ownsBuffer ? realign(buf, at, start, r.pos, alignmentOf(msg.inputs[msg.raw_input_contents.length])) : start;
        msg.raw_input_contents.push(buf.subarray(s, s + r.pos - start));
        break;
      }
      default: skipUnknown(r, t, 'ModelInferRequest', REQUEST_FIELDS, REQUEST_WIRE);
    }
  }
  if (opts.ownsBuffer) markDetachable(buf.buffer);
  return msg;
}
const REQUEST_FIELDS = ['model_name', 'model_version', 'id', 'parameters', 'inputs', 'outputs', 'raw_input_contents'];
const REQUEST_WIRE = [LEN, LEN, LEN, LEN, LEN, LEN, LEN];

/**
 * The alignment raw contents of `input` need to be viewed in place: its element size (1 for BOOL,
 * INT8, UINT8 and BYTES, whose length prefixes are read bytewise), or 8 when the tensor message
 * has not been read yet (writers put inputs, field 5, before raw contents, field 7, but need not).
 */
function alignmentOf(input: InputTensor | undefined): number {
  const dt = input?.datatype;
  if (!isDatatype(dt)) return 8;
  return dt === 'BYTES' ? 1 : elementSize(dt);
}

/**
 * Moves raw contents `buf[start, end)` down over their own tag and length bytes (which begin at
 * `at`) so they start `align`-aligned in the ArrayBuffer, or failing that 4- or 2-aligned; returns
 * the new start. Only those bytes are overwritten, and nothing refers to them once parsed.
 * Example: FP64 data at offset 38 of the ArrayBuffer, tag at 34: 38 % 8 = 6 > the 4 bytes of tag
 * and length, so it stays unaligned for FP64 (viewNumeric copies it); FP32 data there moves by 2
 * to 36. A memmove of 600 KB costs a few µs; the copy it avoids costs an allocation and a GC'd
 * buffer on top.
 */
function realign(buf: Buffer, at: number, start: number, end: number, align: number): number {
  const abs = buf.byteOffset + start;
  for (let a = align; a > 1; a >>= 1) {
    const shift = abs % a;
    if (shift === 0) return start;
    if (shift <= start - at) {
      buf.copyWithin(start - shift, start, end);
      return start - shift;
    }
  }
  return start;
}

/** Reads a length-delimited submessage with `body` between its bounds. */
function readMessage<T>(r: WireReader, field: string, body: (r: WireReader, field: string) => T): T {
  const end = r.lengthEnd(field);
  const outer = r.end;
  r.end = end;
  const v = body(r, field);
  r.end = outer;
  return v;
}

function readInput(r: WireReader, f: string): InputTensor {
  return readMessage(r, f, () => {
    const t0: InputTensor = { name: '', datatype: '', shape: [], parameters: {}, contents: null };
    while (r.pos < r.end) {
      const t = r.tag(f);
      switch (t) {
        case tag(1, LEN): t0.name = r.string(`${f}.name`); break;
        case tag(2, LEN): t0.datatype = r.string(`${f}.datatype`); break;
        case tag(3, LEN): readPackedInt64(r, t0.shape, `${f}.shape`); break;
        case tag(3, VARINT): r.varint64(`${f}.shape`); t0.shape.push(r.int64String(true)); break;
        case tag(4, LEN): readMapEntry(r, t0.parameters, `${f}.parameters`); break;
        case tag(5, LEN): t0.contents = readMessage(r, `${f}.contents`, readContents); break;
        default: skipUnknown(r, t, f, INPUT_FIELDS, INPUT_WIRE);
      }
    }
    return t0;
  });
}
const INPUT_FIELDS = ['name', 'datatype', 'shape', 'parameters', 'contents'];
const INPUT_WIRE = [LEN, LEN, VARINT, LEN, LEN];

function readPackedInt64(r: WireReader, out: string[], f: string): void {
  const end = r.lengthEnd(f);
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    r.varint64(f);
    out.push(r.int64String(true));
  }
  r.end = outer;
}

function readOutput(r: WireReader, f: string): RequestedOutput {
  return readMessage(r, f, () => {
    const o: RequestedOutput = { name: '', parameters: {} };
    while (r.pos < r.end) {
      const t = r.tag(f);
      if (t === tag(1, LEN)) o.name = r.string(`${f}.name`);
      else if (t === tag(2, LEN)) readMapEntry(r, o.parameters, `${f}.parameters`);
      else skipUnknown(r, t, f, OUTPUT_FIELDS, OUTPUT_WIRE);
    }
    return o;
  });
}
const OUTPUT_FIELDS = ['name', 'parameters'];
const OUTPUT_WIRE = [LEN, LEN];

/** One entry of a `map<string, InferParameter>` (a message with key = 1, value = 2). */
function readMapEntry(r: WireReader, into: Record<string, InferParameter__Output>, f: string): void {
  readMessage(r, f, () => {
    let key = '';
    let value: InferParameter__Output = {};
    while (r.pos < r.end) {
      const t = r.tag(f);
      if (t === tag(1, LEN)) key = r.string(`${f} key`);
      else if (t === tag(2, LEN)) value = readMessage(r, `${f} value`, readParameter);
      else skipUnknown(r, t, `${f} entry`, ENTRY_FIELDS, ENTRY_WIRE);
    }
    // an own property even for "__proto__", as protobufjs makes it
    if (key === '__proto__') Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
    else into[key] = value;
  });
}
const ENTRY_FIELDS = ['key', 'value'];
const ENTRY_WIRE = [LEN, LEN];

/** An InferParameter: the oneof member that comes last on the wire wins. */
function readParameter(r: WireReader, f: string): InferParameter__Output {
  let p: InferParameter__Output = {};
  while (r.pos < r.end) {
    const t = r.tag(f);
    switch (t) {
      case tag(1, VARINT): r.varint64(f); p = { bool_param: (r.lo | r.hi) !== 0, parameter_choice: 'bool_param' }; break;
      case tag(2, VARINT): r.varint64(f); p = { int64_param: r.int64String(true), parameter_choice: 'int64_param' }; break;
      case tag(3, LEN): p = { string_param: r.string(f), parameter_choice: 'string_param' }; break;
      case tag(4, FIXED64): p = { double_param: r.double(f), parameter_choice: 'double_param' }; break;
      case tag(5, VARINT): r.varint64(f); p = { uint64_param: r.int64String(false), parameter_choice: 'uint64_param' }; break;
      default: skipUnknown(r, t, f, PARAMETER_FIELDS, PARAMETER_WIRE);
    }
  }
  return p;
}
const PARAMETER_FIELDS = ['bool_param', 'int64_param', 'string_param', 'double_param', 'uint64_param'];
const PARAMETER_WIRE = [VARINT, VARINT, LEN, FIXED64, VARINT];
