/**
 * Lists and loads ONNX conformance cases, for any test that runs them: through `OnnxModel`
 * directly, or through a transport (REST JSON, binary extension, gRPC). Nothing here knows how a
 * case is run.
 *
 * Two layouts are understood:
 *
 * - **dir** (the ONNX backend test layout, and every folder under fixtures/onnx):
 *   `<case>/model.onnx` + `<case>/test_data_set_N/input_K.pb` and `output_K.pb`, K in graph
 *   input/output order;
 * - **light** (upstream onnx/backend/test/data/light): `light_X.onnx` + `light_X_output_K.pb`
 *   side by side, with no input files. Each input is the ramp i/n (i = 0 … n−1, computed in double
 *   precision and rounded to float32, i.e. `(np.arange(n) / n).astype(np.float32)` in the input's
 *   shape); names and shapes come from the suite's manifest (`<suite>-manifest.json` beside the
 *   suite folder, entries `{ test, inputs: [{ name, type: "tensor(float32)[1,3,224,224]" }] }`).
 *   fixtures/onnx ships the light models already converted to the dir layout; their input_0.pb
 *   equals this ramp bit for bit (harness.test.ts checks it).
 *
 * Some .pb files carry no tensor name; `loadDataset` fills such names from the model's
 * input/output names when given them.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Tensor } from '../../../protocol/tensor.ts';
import { elementCount } from '../../../protocol/tensor.ts';
import { readTensorProtoFile } from './tensor-proto.ts';
import { sharedFixturesDir } from '../../testing/fixtures-dir.ts';

/** An input made rather than read from a file (light layout). */
export interface SynthesizedInput {
  name: string;
  shape: number[];
  /** Float32 values i/n for i = 0 … n−1, row-major (`rampFloat32`). */
  fill: 'ramp';
}

/** One set of inputs and expected outputs of a case. */
export interface ConformanceDataset {
  /** e.g. "test_data_set_0". */
  name: string;
  /** input_K.pb files in K order (empty when the inputs are synthesized). */
  inputFiles: string[];
  /** output_K.pb files in K order. */
  outputFiles: string[];
  synthesizedInputs?: SynthesizedInput[];
}

/** One model and its datasets. */
export interface ConformanceCase {
  /** Unique across suites: "<suite>/<name>", e.g. "node/test_abs". */
  id: string;
  /** The suite folder's name, e.g. "node", "dtypes". */
  suite: string;
  /** The case name, e.g. "test_abs" or "light_resnet50". */
  name: string;
  layout: 'dir' | 'light';
  /** Absolute path of the .onnx file (for a dir case, `<case>/model.onnx`). */
  modelPath: string;
  /** A directory to hand to a server as the model dir: the case folder, or for light cases the .onnx file. */
  modelDir: string;
  datasets: ConformanceDataset[];
}

/** A dataset read into tensors. */
export interface LoadedDataset {
  inputs: Tensor[];
  expected: Tensor[];
}

/** Names to give tensors whose .pb file has none, by position (graph order). */
export interface TensorNames {
  inputs?: readonly string[];
  outputs?: readonly string[];
}

const INDEXED = /^(input|output)_(\d+)\.pb$/;

const byIndex = (a: string, b: string): number => indexOf(a) - indexOf(b);
function indexOf(file: string): number {
  const m = /_(\d+)\.pb$/.exec(file);
  return m ? Number(m[1]) : -1;
}
const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/**
 * The fixtures/onnx folder: `<repo>/shared/fixtures/onnx` or `<repo>/../shared/fixtures/onnx`.
 * @param override a path to use instead (e.g. from an environment variable in a test).
 * @throws Error naming the paths tried when none exists.
 */
export function onnxFixturesDir(override?: string): string {
  return override ? override : sharedFixturesDir('onnx');
}

/** Every conformance suite folder under fixtures/onnx that the runtime must pass. */
export const CONFORMANCE_SUITES: readonly string[] = Object.freeze([
  'conformance/node', 'conformance/pytorch-converted', 'conformance/pytorch-operator', 'conformance/light', 'dtypes', 'ort-testdata',
]);

/** Lists the cases of one suite folder (both layouts), sorted by name. */
export async function listCases(suiteDir: string): Promise<ConformanceCase[]> {
  const suite = basename(suiteDir);
  const entries = await readdir(suiteDir, { withFileTypes: true });
  const cases: ConformanceCase[] = [];
  for (const e of entries) {
    if (e.isDirectory() && existsSync(join(suiteDir, e.name, 'model.onnx'))) {
      cases.push(await dirCase(suite, join(suiteDir, e.name)));
    }
  }
  const lightModels = entries.filter((e) => e.isFile() && /^light_.+\.onnx$/.test(e.name)).map((e) => e.name);
  if (lightModels.length > 0) {
    const manifest = await readManifest(suiteDir);
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    for (const m of lightModels) cases.push(lightCase(suite, suiteDir, m, files, manifest));
  }
  return cases.sort((a, b) => natural(a.name, b.name));
}

/** Lists the cases of several suite folders, in the order given. */
export async function listAllCases(suiteDirs: readonly string[]): Promise<ConformanceCase[]> {
  const lists = await Promise.all(suiteDirs.map((d) => listCases(d)));
  return lists.flat();
}

async function dirCase(suite: string, dir: string): Promise<ConformanceCase> {
  const name = basename(dir);
  const sets = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && e.name.startsWith('test_data_set_'))
    .map((e) => e.name)
    .sort(natural);
  const datasets: ConformanceDataset[] = [];
  for (const s of sets) {
    const files = (await readdir(join(dir, s))).filter((f) => INDEXED.test(f));
    datasets.push({
      name: s,
      inputFiles: files.filter((f) => f.startsWith('input_')).sort(byIndex).map((f) => join(dir, s, f)),
      outputFiles: files.filter((f) => f.startsWith('output_')).sort(byIndex).map((f) => join(dir, s, f)),
    });
  }
  return { id: `${suite}/${name}`, suite, name, layout: 'dir', modelPath: join(dir, 'model.onnx'), modelDir: dir, datasets };
}

interface ManifestEntry {
  test: string;
  inputs: { name: string; type: string }[];
}

async function readManifest(suiteDir: string): Promise<Map<string, ManifestEntry>> {
  const path = join(dirname(suiteDir), `${basename(suiteDir)}-manifest.json`);
  const list = JSON.parse(await readFile(path, 'utf8')) as ManifestEntry[];
  return new Map(list.map((e) => [e.test, e]));
}

/** "tensor(float32)[1,3,224,224]" → [1, 3, 224, 224]. */
function shapeOfType(type: string, where: string): number[] {
  const m = /^tensor\(float32?\)\[([\d,]*)\]$/.exec(type.replace(/\s+/g, ''));
  if (!m) throw new Error(`${where}: cannot synthesize an input of type ${type} (only fixed-shape float32 inputs)`);
  return m[1] ? m[1].split(',').map(Number) : [];
}

function lightCase(suite: string, suiteDir: string, modelFile: string, files: string[], manifest: Map<string, ManifestEntry>): ConformanceCase {
  const name = modelFile.replace(/\.onnx$/, '');
  const entry = manifest.get(name);
  if (!entry) throw new Error(`${join(suiteDir, modelFile)}: no entry ${JSON.stringify(name)} in the suite manifest to take input shapes from`);
  const outputFiles = files.filter((f) => f.startsWith(`${name}_output_`) && f.endsWith('.pb')).sort(byIndex).map((f) => join(suiteDir, f));
  const synthesizedInputs = entry.inputs.map((i) => ({ name: i.name, shape: shapeOfType(i.type, `${name} input ${i.name}`), fill: 'ramp' as const }));
  const modelPath = join(suiteDir, modelFile);
  return {
    id: `${suite}/${name}`, suite, name, layout: 'light', modelPath, modelDir: modelPath,
    datasets: [{ name: 'light', inputFiles: [], outputFiles, synthesizedInputs }],
  };
}

/** `(np.arange(n) / n).astype(np.float32)`: i/n in double precision, rounded to float32. */
export function rampFloat32(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = i / n;
  return out;
}

function fillNames(tensors: Tensor[], names: readonly string[] | undefined): Tensor[] {
  if (!names) return tensors;
  return tensors.map((t, i) => (t.name || names[i] === undefined ? t : { ...t, name: names[i] }));
}

/**
 * Reads a dataset's input and expected output tensors (synthesizing light inputs).
 * @param names model input/output names in graph order, for .pb files without a name.
 */
export async function loadDataset(ds: ConformanceDataset, names: TensorNames = {}): Promise<LoadedDataset> {
  const read = (files: string[]): Promise<Tensor[]> => Promise.all(files.map((f) => readTensorProtoFile(f)));
  const [fromFiles, expected] = await Promise.all([read(ds.inputFiles), read(ds.outputFiles)]);
  const made: Tensor[] = (ds.synthesizedInputs ?? []).map((s) => ({ name: s.name, datatype: 'FP32', shape: s.shape, data: rampFloat32(elementCount(s.shape)) }));
  return { inputs: fillNames([...fromFiles, ...made], names.inputs), expected: fillNames(expected, names.outputs) };
}
