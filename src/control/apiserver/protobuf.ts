/**
 * The one protobuf body kubectl sends that this server must read: `kubectl create namespace`
 * encodes the Namespace its generator builds as `application/vnd.kubernetes.protobuf` and does
 * not fall back to JSON on 415. Kubernetes' protobuf envelope is the magic `k8s\0` followed by a
 * `runtime.Unknown` message {typeMeta{apiVersion=1, kind=2}=1, raw=2, contentEncoding=3,
 * contentType=4}, where `raw` is the object's own message. Only ObjectMeta's user-settable fields
 * and the Namespace spec/status are decoded; any other kind is 415, so clients send JSON.
 */
import { badRequest, unsupportedMediaType } from './errors.ts';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, (Buffer | number)[]>;

/** Splits one message into its fields (varints as numbers, length-delimited as buffers). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= buf.length) throw badRequest('protobuf body is truncated');
      const b = buf[i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
      shift += 7;
      if (shift > 63) throw badRequest('protobuf body has a malformed varint');
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw badRequest('protobuf body is truncated');
      value = buf.subarray(i, i + len);
      i += len;
    } else if (wire === 1) {
      value = 0;
      i += 8;
    } else if (wire === 5) {
      value = 0;
      i += 4;
    } else throw badRequest(`protobuf body has unsupported wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const str = (f: Fields, n: number): string | undefined => {
  const v = f.get(n)?.at(-1);
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
};
const strs = (f: Fields, n: number): string[] => (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v)).map((b) => b.toString('utf8'));
const msg = (f: Fields, n: number): Fields => {
  const v = f.get(n)?.at(-1);
  return Buffer.isBuffer(v) ? fields(v) : new Map();
};

function stringMap(f: Fields, n: number): Record<string, string> | undefined {
  const entries = (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v)).map((b) => fields(b));
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map((e) => [str(e, 1) ?? '', str(e, 2) ?? '']));
}

/** ObjectMeta fields a client sets: name 1, generateName 2, namespace 3, labels 11, annotations 12, finalizers 14. */
function objectMeta(f: Fields): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) meta[k] = v;
  };
  set('name', str(f, 1));
  set('generateName', str(f, 2));
  set('namespace', str(f, 3));
  set('resourceVersion', str(f, 6));
  set('labels', stringMap(f, 11));
  set('annotations', stringMap(f, 12));
  set('finalizers', strs(f, 14));
  return meta;
}

/** Decodes a protobuf Namespace body into its JSON form; 415 for any other kind. */
export function decodeProtobuf(buf: Buffer): unknown {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) throw badRequest('protobuf body does not start with the Kubernetes magic "k8s\\0"');
  const unknown = fields(buf.subarray(4));
  const typeMeta = msg(unknown, 1);
  const apiVersion = str(typeMeta, 1);
  const kind = str(typeMeta, 2);
  if (apiVersion !== 'v1' || kind !== 'Namespace') throw unsupportedMediaType(['application/json', 'application/yaml']);
  const raw = unknown.get(2)?.at(-1);
  const obj = Buffer.isBuffer(raw) ? fields(raw) : new Map<number, (Buffer | number)[]>();
  const out: Record<string, unknown> = { apiVersion, kind, metadata: objectMeta(msg(obj, 1)) };
  const finalizers = strs(msg(obj, 2), 1);
  if (finalizers.length > 0) out.spec = { finalizers };
  const phase = str(msg(obj, 3), 1);
  if (phase) out.status = { phase };
  return out;
}
