/**
 * Models that cannot be served fail `load()` with a MODEL_LOAD_FAILED ServingError that says why,
 * and the process carries on: every entry of fixtures/onnx/expected-failures (including the
 * int4-output model that would abort Node if it ever ran), model paths with no or several .onnx
 * files, bad options; plus the CUDA → CPU fallback.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { OnnxModel, type OnnxModelOptions } from './onnx-model.ts';
import { onnxFixturesDir } from './testing/cases.ts';
import { irisInput, readIrisRows, realModelDirs } from './testing/fixtures.ts';
import { editMessage, readFields, textOf } from './testing/proto-edit.ts';

const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);
const failures = join(fixtures, 'expected-failures');
const dirs = realModelDirs(fixtures);
const SUPPORTED = /supported element types: float32 \(FP32\), .*string \(BYTES\)$/;

async function loadFails(opts: Partial<OnnxModelOptions> & { modelDir: string }, ...patterns: RegExp[]): Promise<void> {
  const model = new OnnxModel({ name: 'broken', ...opts });
  await assert.rejects(model.load(), (err: unknown) => {
    assert.ok(err instanceof ServingError, `expected a ServingError, got ${String(err)}`);
    assert.equal(err.code, 'MODEL_LOAD_FAILED');
    assert.match(err.message, /^Model broken failed to load: /);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
  assert.equal(model.ready, false);
  await model.unload();
}

describe('fixtures/onnx/expected-failures', () => {
  const cases: [string, ...RegExp[]][] = [
    // Would abort the whole process when run: refused from its metadata, before any run.
    ['PROCESS_ABORT_int4_output__test_cast_FLOAT_to_INT4', /output "output" has element type int4/, SUPPORTED],
    ['run_error_int4_input__test_cast_INT4_to_FLOAT', /input "input" has element type int4/, SUPPORTED],
    // ORT itself refuses these; the message is ORT's, and for bfloat16 names the output too.
    ['load_error_bfloat16__test_cast_FLOAT_to_BFLOAT16', /output "output" has element type bfloat16.*\(Unsupported data type: 16\)/, SUPPORTED],
    ['load_error_unregistered_op__test_adagrad', /ai\.onnx\.preview\.training:Adagrad\(-1\) is not a registered function\/op/],
    ['unsupported_io_sequence__test_identity_sequence', /input "x" is not a tensor \(a sequence, map or optional value\)/],
    ['unsupported_io_optional__test_optional_get_element_optional_tensor', /input "optional_input" is not a tensor/],
    ['invalid_models/corrupt-model.onnx', /Protobuf parsing failed/],
    ['invalid_models/foo_truncated.onnx', /This is an invalid model.*No Op registered for Foo/],
    ['invalid_models/zipmap-string.onnx', /none of the model's outputs is a tensor \("Y" is a sequence, map or optional value/],
    ['invalid_models/dictvectorizer-string.onnx', /input "X" is not a tensor/],
  ];
  for (const [entry, ...patterns] of cases) {
    test(entry, () => loadFails({ modelDir: join(failures, entry) }, ...patterns));
  }

  test('the table above covers every entry', async () => {
    const entries = [
      ...(await readdir(failures)).filter((e) => e !== 'invalid_models'),
      ...(await readdir(join(failures, 'invalid_models'))).map((f) => `invalid_models/${f}`),
    ].sort();
    assert.deepEqual(cases.map(([e]) => e).sort(), entries);
  });

  test('the process survives all of them and still serves', async () => {
    const model = new OnnxModel({ name: 'iris', modelDir: dirs.iris });
    await model.load();
    const rows = (await readIrisRows(dirs.iris)).slice(0, 5);
    const res = await model.predict({ modelName: 'iris', inputs: [irisInput(rows)] });
    assert.deepEqual(Array.from(res.outputs[0]!.data as BigInt64Array, Number), rows.map((r) => r.label));
    await model.unload();
  });
});

test('non-tensor outputs are left out with a warning and never fetched', async () => {
  // zipmap-string.onnx (X → ZipMap → Y, a seq(map)) with X also exposed as a graph output.
  const zipmap = await readFile(join(failures, 'invalid_models/zipmap-string.onnx'));
  const edited = editMessage(zipmap, (m) => m.no !== 7 ? m : {
    ...m,
    value: editMessage(m.value, (g) => {
      if (g.no !== 12) return g;
      const x = readFields(m.value).find((f) => f.no === 11 && textOf(f.value, 1) === 'X')!;
      return [g, { ...x, no: 12 }];
    }),
  });
  const tmp = await mkdtemp(join(tmpdir(), 'kserve-ts-zipmap-'));
  const lines: string[] = [];
  const model = new OnnxModel({ name: 'zip', modelDir: tmp, logger: createLogger({ level: 'warn', sink: { write: (l: string) => lines.push(l) } }) });
  try {
    await writeFile(join(tmp, 'model.onnx'), edited);
    await model.load();
    assert.deepEqual(model.metadata().outputs, [{ name: 'X', datatype: 'FP32', shape: [1, 3] }]);
    assert.match(lines.join(''), /outputs that are not tensors are left out of the metadata and never fetched","model":"zip","runtime":"onnx","outputs":\["Y"\]/);
    const x = Float32Array.of(0.1, 0.7, 0.2);
    const res = await model.predict({ modelName: 'zip', inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: x }] });
    assert.deepEqual(res.outputs.map((o) => [o.name, Array.from(o.data as Float32Array)]), [['X', Array.from(x)]]);
    await assert.rejects(async () => model.predict({ modelName: 'zip', inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: x }], outputs: [{ name: 'Y' }] }), /outputs\[0\]\.name: got "Y", expected one of the model's tensor outputs: X/);
  } finally {
    await model.unload();
    await rm(tmp, { recursive: true, force: true });
  }
});

describe('finding the .onnx file', () => {
  let tmp = '';
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'kserve-ts-onnx-dir-'));
    const iris = join(dirs.iris, 'model.onnx');
    await mkdir(join(tmp, 'none'));
    await writeFile(join(tmp, 'none', 'README.md'), 'no model here');
    await mkdir(join(tmp, 'two/1'), { recursive: true });
    await copyFile(iris, join(tmp, 'two', 'a.onnx'));
    await copyFile(iris, join(tmp, 'two/1', 'b.onnx'));
    await mkdir(join(tmp, 'nested/1'), { recursive: true });
    await copyFile(iris, join(tmp, 'nested/1', 'iris.onnx'));
    await mkdir(join(tmp, 'deep/1/2'), { recursive: true });
    await copyFile(iris, join(tmp, 'deep/1/2', 'iris.onnx'));
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  test('a directory without one fails, naming where it looked', () =>
    loadFails({ modelDir: join(tmp, 'none') }, /no \.onnx file in .*none \(looked in the directory and its immediate subdirectories\)/));
  test('a directory with several fails, listing them', () =>
    loadFails({ modelDir: join(tmp, 'two') }, /2 \.onnx files in .*two, expected exactly one: .*two\/1\/b\.onnx, .*two\/a\.onnx/));
  test('more than one level down is not searched', () => loadFails({ modelDir: join(tmp, 'deep') }, /no \.onnx file/));
  test('a missing path fails', () => loadFails({ modelDir: join(tmp, 'missing') }, /does not exist/));
  test('a file that is not .onnx fails', () => loadFails({ modelDir: join(tmp, 'none', 'README.md') }, /not an \.onnx file/));
  test('one level down is found; so is a path to the file itself', async () => {
    for (const modelDir of [join(tmp, 'nested'), join(tmp, 'nested/1/iris.onnx')]) {
      const model = new OnnxModel({ name: 'iris', modelDir });
      await model.load();
      assert.equal(model.metadata().inputs[0]!.name, 'input-0');
      await model.unload();
    }
  });
});

describe('options', () => {
  const build = (o: Partial<OnnxModelOptions>): OnnxModel => new OnnxModel({ name: 'o', modelDir: dirs.iris, ...o });
  test('out-of-range options name the key, the value and the range', () => {
    assert.throws(() => build({ workers: 0 }), /option workers: got 0, expected an integer from 1 to 256/);
    assert.throws(() => build({ intraOpThreads: 1.5 }), /option intraOpThreads: got 1.5, expected an integer from 1 to 256/);
    assert.throws(() => build({ executionProviders: 'tpu' as 'cpu' }), /option executionProviders: got "tpu", expected "cpu" or "cuda"/);
    assert.throws(() => build({ transferMinBytes: -1 }), /option transferMinBytes: got -1/);
  });

  test('executionProviders cuda falls back to CPU with a warning when CUDA is unavailable', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: { write: (l: string) => lines.push(l) } });
    const model = build({ executionProviders: 'cuda', logger, workers: 2 });
    await model.load();
    try {
      assert.equal(model.executionProvider, 'cpu');
      const warns = lines.map((l) => JSON.parse(l) as { level: string; msg: string; model: string }).filter((r) => r.level === 'warn');
      assert.equal(warns.length, 1);
      assert.match(warns[0]!.msg, /CUDA execution provider is not available \(.+\); running on CPU/);
      const res = await model.predict({ modelName: 'o', inputs: [irisInput((await readIrisRows(dirs.iris)).slice(0, 2))] });
      assert.deepEqual(res.outputs[0]!.shape, [2]);
    } finally {
      await model.unload();
    }
  });
});
