/**
 * Merging the inline runs queued in one event-loop turn into one ONNX Runtime call (inline-runner.ts).
 *
 * A small model's run is mostly ORT's fixed cost per call: the iris classifier takes ≈ 4.9 µs for
 * 2 rows and ≈ 4.8 µs for 16. Requests that arrive together and feed the same inputs with the same
 * trailing dimensions are concatenated along dimension 0, run once, and each gets its own rows of
 * every output back. This is Triton's dynamic batching with no queue delay: nothing waits for a
 * batch to fill, only runs that were already waiting together are merged.
 *
 * It is only right for models whose rows do not affect each other, and only possible when every
 * output has the merged rows on dimension 0. The runner checks both (see `InlineRunner`): a merged
 * run that ORT rejects or whose outputs do not split turns merging off for the model, and the first
 * merged runs are also made one by one and must give the same bytes.
 */
import type { NumericArray, TensorData } from '../../protocol/datatype.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import type { InlineFeed } from './session-io.ts';

/**
 * The rows of a run (dimension 0, shared by every input) when it can be merged, else 0: BYTES
 * inputs, scalar inputs, inputs whose dimension 0 differ, or no rows.
 */
export function mergeRows(feeds: readonly InlineFeed[]): number {
  if (feeds.length === 0) return 0;
  const rows = feeds[0]!.dims[0] ?? 0;
  for (const f of feeds) {
    if (Array.isArray(f.data) || f.dims.length === 0 || f.dims[0] !== rows) return 0;
  }
  return rows;
}

/**
 * Whether two mergeable runs can share an ORT call: the same inputs (in any order) with the same
 * types and trailing dimensions, and the same outputs asked for. Compared field by field, not
 * through a string key: this runs for every queued request.
 */
export function sameMergeShape(a: readonly InlineFeed[], fa: readonly string[], b: readonly InlineFeed[], fb: readonly string[]): boolean {
  if (a.length !== b.length || fa.length !== fb.length) return false;
  if (fa !== fb) {
    for (let i = 0; i < fa.length; i++) if (fa[i] !== fb[i]) return false;
  }
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!.name === x.name ? b[i]! : b.find((f) => f.name === x.name);
    if (!y || y.type !== x.type || y.dims.length !== x.dims.length) return false;
    for (let d = 1; d < x.dims.length; d++) if (x.dims[d] !== y.dims[d]) return false;
  }
  return true;
}

/** The runs' feeds concatenated along dimension 0 (runs for which `sameMergeShape` holds: same names, types, trailing dims). */
export function concatFeeds(runs: readonly (readonly InlineFeed[])[]): InlineFeed[] {
  const first = runs[0]!;
  return first.map((f) => {
    const parts = runs.map((feeds) => feeds.find((g) => g.name === f.name)!.data as NumericArray);
    let length = 0;
    let rows = 0;
    for (let i = 0; i < parts.length; i++) {
      length += parts[i]!.length;
      rows += runs[i]!.find((g) => g.name === f.name)!.dims[0]!;
    }
    const Ctor = (f.data as NumericArray).constructor as new (n: number) => NumericArray;
    const data = new Ctor(length);
    let at = 0;
    for (const p of parts) {
      (data as { set(a: ArrayLike<number | bigint>, o: number): void }).set(p, at);
      at += p.length;
    }
    return { name: f.name, type: f.type, dims: [rows, ...f.dims.slice(1)], data };
  });
}

/**
 * Each run's rows of every output (views, no copies), or a reason when an output does not have
 * the merged rows on dimension 0.
 */
export function splitOutputs(outputs: readonly Tensor[], rows: readonly number[]): Tensor[][] | string {
  let total = 0;
  for (const r of rows) total += r;
  for (const o of outputs) {
    if (o.shape.length === 0 || o.shape[0] !== total) {
      return `output ${JSON.stringify(o.name)} has shape ${JSON.stringify(o.shape)}, not the ${total} merged rows on dimension 0`;
    }
  }
  const out: Tensor[][] = rows.map(() => []);
  for (const o of outputs) {
    const per = o.data.length / total;
    let row = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const data = slice(o.data, row * per, (row + r) * per);
      out[i]!.push({ name: o.name, datatype: o.datatype, shape: [r, ...o.shape.slice(1)], data });
      row += r;
    }
  }
  return out;
}

function slice(data: TensorData, from: number, to: number): TensorData {
  return Array.isArray(data) ? data.slice(from, to) : (data).subarray(from, to);
}

/** Where two answers differ (name, datatype, shape or any byte), or undefined when they are the same. */
export function outputsDiffer(merged: readonly Tensor[], alone: readonly Tensor[]): string | undefined {
  if (merged.length !== alone.length) return `${merged.length} outputs merged, ${alone.length} alone`;
  for (let i = 0; i < merged.length; i++) {
    const a = merged[i]!;
    const b = alone[i]!;
    if (a.name !== b.name || a.datatype !== b.datatype || a.shape.join() !== b.shape.join()) {
      return `output ${JSON.stringify(b.name)}: ${a.datatype}${JSON.stringify(a.shape)} merged, ${b.datatype}${JSON.stringify(b.shape)} alone`;
    }
    if (!sameData(a.data, b.data)) return `output ${JSON.stringify(b.name)}: different values merged and alone`;
  }
  return undefined;
}

function sameData(a: TensorData, b: TensorData): boolean {
  if (a.length !== b.length) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = a as readonly Uint8Array[];
    const y = b as readonly Uint8Array[];
    for (let i = 0; i < x.length; i++) if (Buffer.compare(x[i]!, y[i]!) !== 0) return false;
    return true;
  }
  const x = a;
  const y = b;
  return Buffer.compare(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), new Uint8Array(y.buffer, y.byteOffset, y.byteLength)) === 0;
}
