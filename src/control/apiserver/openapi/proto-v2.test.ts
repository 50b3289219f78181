import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_KINDS } from '../../../api/index.ts';
import { openapiV2Protobuf } from './proto-v2.ts';
import { ProtoMessage } from './proto-writer.ts';

/** A minimal protobuf reader: the fields of one message, nested messages left as bytes. */
function fields(buf: Buffer): { field: number; wire: number; bytes?: Buffer; num?: number }[] {
  const out: { field: number; wire: number; bytes?: Buffer; num?: number }[] = [];
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) out.push({ field, wire, num: varint() });
    else if (wire === 1) {
      out.push({ field, wire, num: buf.readDoubleLE(i) });
      i += 8;
    } else if (wire === 2) {
      const len = varint();
      out.push({ field, wire, bytes: buf.subarray(i, i + len) });
      i += len;
    } else throw new Error(`unexpected wire type ${wire} at ${i}`);
  }
  assert.equal(i, buf.length, 'message ends exactly at the buffer end');
  return out;
}
const str = (f: { bytes?: Buffer }): string => f.bytes!.toString('utf8');
const sub = (buf: Buffer, n: number): Buffer[] => fields(buf).filter((f) => f.field === n).map((f) => f.bytes!);

test('wire format: tags above 15, big varints, doubles, skipped defaults', () => {
  const m = new ProtoMessage().string(31, 'x').int64(11, 300).double(7, 1.5).bool(4, false).string(1, '').finish();
  assert.deepEqual(fields(m).map((f) => [f.field, f.wire, f.bytes ? str(f) : f.num]), [[31, 2, 'x'], [11, 0, 300], [7, 1, 1.5]]);
  assert.throws(() => new ProtoMessage().int64(11, -1), /protobuf int64 field 11: got -1, expected a non-negative safe integer/);
});

test('the v2 document decodes as openapi.v2.Document: swagger, definitions with GVK extensions, PATCH with fieldValidation', () => {
  const doc = openapiV2Protobuf(ALL_KINDS);
  const top = fields(doc);
  assert.equal(str(top.find((f) => f.field === 1)!), '2.0');
  const defs = sub(sub(doc, 9)[0]!, 1).map((named) => ({ name: str(fields(named)[0]!), schema: sub(named, 2)[0]! }));
  const isvc = defs.find((d) => d.name === 'io.kserve.serving.v1beta1.InferenceService');
  assert.ok(isvc, 'InferenceService definition');
  const ext = sub(isvc.schema, 31).map((named) => [str(fields(named)[0]!), str(fields(sub(named, 2)[0]!).find((f) => f.field === 2)!)]);
  assert.deepEqual(ext, [['x-kubernetes-group-version-kind', '[{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"}]']]);
  const props = sub(sub(isvc.schema, 25)[0]!, 1).map((named) => str(fields(named)[0]!));
  assert.deepEqual(props, ['apiVersion', 'kind', 'metadata', 'spec', 'status']);

  const paths = sub(sub(doc, 8)[0]!, 2).map((named) => ({ name: str(fields(named)[0]!), item: sub(named, 2)[0]! }));
  const item = paths.find((p) => p.name === '/apis/serving.kserve.io/v1beta1/namespaces/{namespace}/inferenceservices/{name}')!;
  const patch = sub(item.item, 8)[0]!;
  assert.equal(str(fields(patch).find((f) => f.field === 5)!), 'patchServingKserveIoV1beta1NamespacedInferenceService');
  const queryNames = sub(patch, 8)
    .map((pi) => sub(sub(pi, 1)[0]!, 2)[0])
    .filter((nb): nb is Buffer => nb !== undefined)
    .map((nb) => sub(nb, 3)[0]!)
    .map((q) => str(fields(q).find((f) => f.field === 4)!));
  assert.deepEqual(queryNames, ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
});
