/**
 * fast-check arbitraries of ModelInferRequest message objects as protobufjs / proto-loader take
 * them (not the internal InferRequest): any strings, every InferParameter member, int64/uint64 over
 * their full range as decimal strings, every typed contents field at once, raw contents of any
 * length. Everything the decoder must reproduce, valid for the schema or not for the codec.
 * `extra` adds fields of a schema extended with unknown fields (see infer-wire.test.ts).
 */
import fc from 'fast-check';

const I64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
const U64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
const list = <T>(a: fc.Arbitrary<T>, maxLength = 4): fc.Arbitrary<T[]> => fc.array(a, { maxLength });

/** One member of the InferParameter oneof. */
export const parameterArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.boolean().map((v) => ({ bool_param: v })),
  I64.map((v) => ({ int64_param: v })),
  fc.string().map((v) => ({ string_param: v })),
  fc.double().map((v) => ({ double_param: v })),
  U64.map((v) => ({ uint64_param: v })),
);

/** A `map<string, InferParameter>` object. */
export function parametersArb(extra: fc.Arbitrary<object>): fc.Arbitrary<Record<string, unknown>> {
  return fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.tuple(parameterArb, extra).map(([p, x]) => ({ ...p, ...x })), { maxKeys: 3 }), { nil: {} });
}

export function contentsArb(extra: fc.Arbitrary<object>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(
    fc.record(
      {
        bool_contents: list(fc.boolean()),
        int_contents: list(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
        int64_contents: list(I64),
        uint_contents: list(fc.integer({ min: 0, max: 2 ** 32 - 1 })),
        uint64_contents: list(U64),
        fp32_contents: list(fc.float()),
        fp64_contents: list(fc.double()),
        bytes_contents: list(fc.uint8Array({ maxLength: 6 })),
      },
      { requiredKeys: [] },
    ),
    extra,
  ).map(([c, x]) => ({ ...c, ...x }));
}

export function inputArb(extra: fc.Arbitrary<object>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.record(
        { name: fc.string({ maxLength: 8 }), datatype: fc.string({ maxLength: 6 }), shape: list(I64), parameters: parametersArb(extra), contents: contentsArb(extra) },
        { requiredKeys: [] },
      ),
      extra,
    )
    .map(([t, x]) => ({ ...t, ...x }));
}

/** A ModelInferRequest object; `extra` (default: nothing) adds fields of an extended schema. */
export function requestObjectArb(extra: fc.Arbitrary<object> = fc.constant({})): fc.Arbitrary<Record<string, unknown>> {
  const outputArb = fc.tuple(fc.record({ name: fc.string({ maxLength: 6 }), parameters: parametersArb(extra) }, { requiredKeys: [] }), extra).map(([o, x]) => ({ ...o, ...x }));
  return fc
    .tuple(
      fc.record(
        {
          model_name: fc.string({ maxLength: 10 }),
          model_version: fc.string({ maxLength: 4 }),
          id: fc.string({ maxLength: 6 }),
          parameters: parametersArb(extra),
          inputs: list(inputArb(extra), 3),
          outputs: list(outputArb, 2),
          raw_input_contents: list(fc.uint8Array({ maxLength: 40 }), 3),
        },
        { requiredKeys: [] },
      ),
      extra,
    )
    .map(([m, x]) => ({ ...m, ...x }));
}

/** Fields of the extended schema's unknown-to-us fields (numbers 90–94 in every message). */
export const extraFieldsArb: fc.Arbitrary<object> = fc.record(
  { x_f64: U64, x_f32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), x_len: fc.uint8Array({ maxLength: 8 }), x_var: I64, x_msg: parameterArb },
  { requiredKeys: [] },
);
