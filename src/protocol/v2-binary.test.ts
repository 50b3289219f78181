import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ServingError } from '../core/errors.ts';
import type { InferRequest } from './infer.ts';
import { encodeFlat } from './json-data.ts';
import { parseJson } from './json-lossless.ts';
import { type Tensor, dataMatches, elementCount } from './tensor.ts';
import { tensorArb } from './testing/arbitraries.ts';
import { splitBody } from './v2-binary.ts';
import { decodeV2Request, rawOf } from './v2-json.ts';
import { assertInvalidInput } from './testing/assert.ts';
const assertInvalid = (f: () => unknown, field: string): void => assertInvalidInput(f, field, { spaceAfterField: true });

/** What the HTTP route does with a body. */
function decodeBody(body: Uint8Array, headerLength: string | undefined): InferRequest {
  const { json, binary } = splitBody(body, headerLength);
  return decodeV2Request(parseJson(json), 'm', undefined, binary);
}

interface Built {
  body: Uint8Array;
  headerLength: number;
  /** Body offsets of the BYTES length prefixes in the binary section. */
  prefixes: number[];
}

/**
 * A request body with the binary extension: inputs flagged binary carry binary_data_size (or the
 * raw JSON text `sizes[i]` instead, to corrupt it) and their raw bytes after the header.
 */
function build(inputs: readonly (readonly [boolean, Tensor])[], sizes: readonly (string | undefined)[] = []): Built {
  const parts: string[] = [];
  const chunks: Uint8Array[] = [];
  const rel: number[] = [];
  let offset = 0;
  inputs.forEach(([bin, t], i) => {
    let s = `{"name":${JSON.stringify(t.name)},"datatype":"${t.datatype}","shape":${JSON.stringify(t.shape)}`;
    if (bin) {
      const raw = rawOf(t);
      if (t.datatype === 'BYTES') {
        let p = offset;
        for (const e of t.data as Uint8Array[]) {
          rel.push(p);
          p += 4 + e.byteLength;
        }
      }
      chunks.push(raw);
      offset += raw.byteLength;
      s += `,"parameters":{"binary_data_size":${sizes[i] ?? raw.byteLength}}}`;
    } else {
      s += `,"data":${encodeFlat(t.data, t.datatype)}}`;
    }
    parts.push(s);
  });
  const head = Buffer.from(`{"inputs":[${parts.join(',')}]}`);
  return { body: new Uint8Array(Buffer.concat([head, ...chunks])), headerLength: head.byteLength, prefixes: rel.map((p) => p + head.byteLength) };
}

/** Every error must name what it is about. */
const FIELD = /^(request body|Inference-Header-Content-Length header|binary data|id|parameters|outputs|inputs)\b/;

type Mutation =
  | { kind: 'truncate' | 'delete'; at: number; n: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set' | 'insert'; at: number; value: number }
  | { kind: 'prefix'; at: number; value: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('truncate' as const, 'delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constantFrom('set' as const, 'insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('prefix' as const), at: fc.nat(), value: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.nat({ max: 0xffffffff })) }),
);

function mutate(b: Built, m: Mutation): Uint8Array {
  const body = b.body;
  const at = m.at % (body.byteLength + 1);
  switch (m.kind) {
    case 'truncate': return body.slice(0, at);
    case 'delete': return new Uint8Array([...body.subarray(0, at), ...body.subarray(at + m.n)]);
    case 'insert': return new Uint8Array([...body.subarray(0, at), m.value, ...body.subarray(at)]);
    case 'flip':
    case 'set': {
      const out = body.slice();
      if (at < out.byteLength) out[at] = m.kind === 'flip' ? out[at]! ^ (1 << m.bit) : m.value;
      return out;
    }
    case 'prefix': {
      const out = body.slice();
      const p = b.prefixes[m.at % Math.max(b.prefixes.length, 1)];
      if (p !== undefined && p + 4 <= out.byteLength) new DataView(out.buffer).setUint32(p, m.value, true);
      return out;
    }
  }
}

const sizeTextArb = fc.option(
  fc.oneof(fc.integer({ min: -3, max: 80 }).map(String), fc.constantFrom('1.5', '"8"', 'null', '-0', '1e1', 'true', '99999999999999999999', '[]')),
  { nil: undefined },
);

const headerLengthArb = (valid: number): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(String(valid)) },
    fc.integer({ min: -3, max: valid + 40 }).map(String),
    fc.constantFrom(undefined, '', ' ', 'abc', '1e2', '0x10', `${valid}.0`, `+${valid}`, ` ${valid} `, '99999999999999999999999'),
    fc.string({ maxLength: 6 }),
  );

const caseArb = fc
  .record({
    inputs: fc.array(fc.boolean().chain((b) => tensorArb(b).map((t) => [b, t] as const)), { minLength: 1, maxLength: 3 }),
    sizes: fc.array(sizeTextArb, { maxLength: 3 }),
    mutations: fc.array(mutationArb, { maxLength: 3 }),
  })
  .chain((c) => {
    const built = build(c.inputs, c.sizes);
    return headerLengthArb(built.headerLength).map((headerLength) => ({ ...c, built, headerLength }));
  });

describe('binary request bodies under mutation', () => {
  test('property: any corruption → a well-formed request or INVALID_INPUT naming a field, nothing else', () => {
    let ok = 0;
    let invalid = 0;
    fc.assert(
      fc.property(caseArb, ({ built, mutations, headerLength }) => {
        let body = built.body;
        for (const m of mutations) body = mutate({ ...built, body }, m);
        let req: InferRequest;
        try {
          req = decodeBody(body, headerLength);
        } catch (err) {
          assert.ok(err instanceof ServingError, `not a ServingError: ${String(err)}`);
          assert.equal(err.code, 'INVALID_INPUT');
          assert.match(err.message, FIELD);
          invalid++;
          return;
        }
        ok++;
        for (const t of req.inputs) {
          assert.ok(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0));
          assert.equal(t.data.length, elementCount(t.shape));
          assert.ok(dataMatches(t.datatype, t.data));
          if (t.datatype === 'BOOL') assert.ok((t.data as Uint8Array).every((x) => x <= 1));
        }
      }),
      { numRuns: 3000 },
    );
    assert.ok(ok > 100 && invalid > 100, `both outcomes exercised (${ok} ok, ${invalid} invalid)`);
  });
});

describe('binary framing errors', () => {
  const i32: Tensor = { name: 'a', datatype: 'INT32', shape: [2], data: new Int32Array([1, 2]) };
  const good = build([[true, i32]]);

  test('a valid body decodes', () => {
    const req = decodeBody(good.body, String(good.headerLength));
    assert.deepEqual(req.inputs[0]!.data, new Int32Array([1, 2]));
  });

  test('Inference-Header-Content-Length longer than the body, zero, negative, not a number', () => {
    for (const h of [String(good.body.byteLength + 1), '0', '-5', 'abc', '', '12abc', '1e2', '4.5']) {
      assertInvalid(() => decodeBody(good.body, h), 'Inference-Header-Content-Length header');
    }
  });

  test('a header length that cuts the JSON short is invalid JSON', () => {
    assertInvalid(() => decodeBody(good.body, String(good.headerLength - 1)), 'request body');
  });

  test('binary_data_size larger than the bytes left', () => {
    const b = build([[true, i32], [true, i32]], [undefined, '9']);
    assertInvalid(() => decodeBody(b.body, String(b.headerLength)), 'inputs[1].parameters.binary_data_size');
  });

  test('binary_data_size not a non-negative integer, or beside data, or with no binary section', () => {
    for (const size of ['-1', '1.5', '"8"', 'true', '99999999999999999999']) {
      const b = build([[true, i32]], [size]);
      assertInvalid(() => decodeBody(b.body, String(b.headerLength)), 'inputs[0].parameters.binary_data_size');
    }
    const both = '{"inputs":[{"name":"a","datatype":"INT8","shape":[1],"data":[1],"parameters":{"binary_data_size":1}}]}';
    assertInvalid(() => decodeBody(Buffer.from(`${both}x`), String(both.length)), 'inputs[0].data');
    assertInvalid(() => decodeBody(good.body.subarray(0, good.headerLength), undefined), 'inputs[0].parameters.binary_data_size');
  });

  test('leftover bytes after the last input', () => {
    const body = new Uint8Array([...good.body, 0]);
    assertInvalid(() => decodeBody(body, String(good.headerLength)), 'binary data');
  });

  test('binary size not matching the shape', () => {
    const b = build([[true, i32]], ['4']);
    assertInvalid(() => decodeBody(b.body.subarray(0, b.body.byteLength - 4), String(b.headerLength)), 'inputs[0] binary data');
  });

  test('BYTES length prefix overrunning the section, short, or with bytes left over', () => {
    const s: Tensor = { name: 's', datatype: 'BYTES', shape: [2], data: [new Uint8Array([1, 2]), new Uint8Array([3])] };
    const b = build([[true, s]]);
    const overrun = b.body.slice();
    new DataView(overrun.buffer).setUint32(b.prefixes[1]!, 2, true);
    assertInvalid(() => decodeBody(overrun, String(b.headerLength)), 'inputs[0] element 1 length prefix');
    const short = build([[true, s]], ['9']); // 4+2+4+1 = 11 bytes; 9 cut element 1's prefix short
    const cut = short.body.subarray(0, short.body.byteLength - 2);
    assertInvalid(() => decodeBody(cut, String(short.headerLength)), 'inputs[0]');
    assert.throws(() => decodeBody(cut, String(short.headerLength)), /element 1 has no 4-byte length/);
    const under = b.body.slice();
    new DataView(under.buffer).setUint32(b.prefixes[1]!, 0, true);
    assertInvalid(() => decodeBody(under, String(b.headerLength)), 'inputs[0]');
  });

  test('BOOL byte 2', () => {
    const b = build([[true, { name: 'b', datatype: 'BOOL', shape: [3], data: new Uint8Array([1, 2, 0]) }]]);
    assertInvalid(() => decodeBody(b.body, String(b.headerLength)), 'inputs[0] binary data[1]');
  });

  test('unaligned numeric sections are copied, not mis-viewed', () => {
    const b = build([[true, { name: 'u', datatype: 'UINT8', shape: [3], data: new Uint8Array([1, 2, 3]) }],
      [true, { name: 'd', datatype: 'FP64', shape: [2], data: new Float64Array([0.1, -0]) }]]);
    const req = decodeBody(b.body, String(b.headerLength));
    assert.deepEqual(req.inputs[1]!.data, new Float64Array([0.1, -0]));
  });
});

describe('JSON tensor errors name the field', () => {
  const one = (input: string): string => `{"inputs":[{"name":"a","datatype":"INT8","shape":[1],"data":[1]},${input}]}`;
  const cases: [string, string][] = [
    ['{"name":"x","datatype":"FP8","shape":[1],"data":[1]}', 'inputs[1].datatype'],
    ['{"name":"x","datatype":"FP32","shape":[2,-1],"data":[]}', 'inputs[1].shape[1]'],
    ['{"name":"x","datatype":"FP32","shape":[1.5],"data":[1]}', 'inputs[1].shape[0]'],
    ['{"name":"x","datatype":"FP32","shape":["2"],"data":[1,2]}', 'inputs[1].shape[0]'],
    ['{"name":"x","datatype":"FP32","shape":2,"data":[1,2]}', 'inputs[1].shape'],
    ['{"name":"x","datatype":"FP32","shape":[2,2],"data":[1,2,3]}', 'inputs[1].data'],
    ['{"name":"x","datatype":"FP32","shape":[4],"data":[1,2,3,"4"]}', 'inputs[1].data[3]'],
    ['{"name":"x","datatype":"INT32","shape":[2],"data":[1,1.5]}', 'inputs[1].data[1]'],
    ['{"name":"x","datatype":"UINT8","shape":[1],"data":[300]}', 'inputs[1].data[0]'],
    ['{"name":"x","datatype":"BOOL","shape":[1],"data":["true"]}', 'inputs[1].data[0]'],
    ['{"name":"x","datatype":"BYTES","shape":[1],"data":[7]}', 'inputs[1].data[0]'],
    ['{"name":"x","datatype":"INT64","shape":[1],"data":[9223372036854775808]}', 'inputs[1].data[0]'],
  ];
  for (const [input, field] of cases) {
    test(field, () => assertInvalid(() => decodeBody(Buffer.from(one(input)), undefined), field));
  }

  test('2^53 + 1 as a JSON number for INT64 stays exact', () => {
    const req = decodeBody(Buffer.from(one('{"name":"x","datatype":"INT64","shape":[2],"data":[9007199254740993,-9007199254740993]}')), undefined);
    assert.deepEqual(req.inputs[1]!.data, new BigInt64Array([9007199254740993n, -9007199254740993n]));
  });

  test('lists nested 100000 deep anywhere are INVALID_INPUT, on both parse paths', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assertInvalid(() => decodeBody(Buffer.from(deep), undefined), 'request body');
    for (const big of ['', ',"big":12345678901234567890']) {
      assertInvalid(() => decodeBody(Buffer.from(`{"inputs":[{"name":"x","datatype":"INT8","shape":[1],"data":${deep}}]${big}}`), undefined), 'inputs[0].data');
      assertInvalid(() => decodeBody(Buffer.from(`{"inputs":[{"name":"x","datatype":"INT8","shape":[${deep}],"data":[]}]${big}}`), undefined), 'inputs[0].shape[0]');
      assertInvalid(() => decodeBody(Buffer.from(`{"inputs":[],"parameters":{"p":${deep}}${big}}`), undefined), 'parameters.p');
    }
  });
});
