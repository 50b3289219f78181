/**
 * The message protocol between the model (main thread) and its ONNX Runtime worker threads, and
 * the tensor encoding used on it. Messages are plain objects sent with `postMessage`, so typed
 * arrays travel by structured clone (a copy) or, when listed in the transfer list, by moving their
 * ArrayBuffer (no copy; the sender's array becomes detached).
 *
 * Rules for numeric data (see `encodeNumeric`):
 * - a typed array that is a view into a bigger buffer (a pooled Buffer, a slice of a request body)
 *   is first copied into its own buffer: structured clone would otherwise copy the whole
 *   underlying buffer, and transferring it would detach memory the array does not own; unless
 *   the transport marked that buffer as holding only this request (protocol/detachable.ts, a
 *   gRPC message): then a view of at least `transferMinBytes` moves the whole buffer, no copy;
 * - a typed array that exactly covers a non-shared ArrayBuffer is transferred when it is at least
 *   `transferMinBytes` long (default 64 KiB), and cloned (copied) when smaller, so small requests
 *   never see their arrays detached;
 * - SharedArrayBuffers are never transferred (cloning shares them).
 *
 * BYTES tensors travel packed: one Uint8Array of all elements plus a Uint32Array of n+1 offsets,
 * both transferred. The worker turns them into the UTF-8 strings ORT string tensors hold.
 *
 * This module is imported by the worker thread too, so it depends on nothing heavy.
 */
import type { NumericArray, TensorData } from '../../protocol/datatype.ts';
import { isDetachable } from '../../protocol/detachable.ts';
import type { OrtTensorType } from './datatypes.ts';
import type { OrtValueInfo } from './metadata.ts';
import type { SessionInit } from './session-io.ts';

/** BYTES elements packed into one buffer: element i is `bytes[offsets[i] .. offsets[i+1])`. */
export interface PackedBytes {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

/** A tensor on the wire. */
export interface WireTensor {
  name: string;
  type: OrtTensorType;
  dims: number[];
  /** A typed array for numeric types, PackedBytes for 'string'. */
  data: NumericArray | PackedBytes;
}

/** What the worker is started with (`workerData`). */
export interface WorkerInit extends SessionInit {
  /** Nice value for the worker thread (and the ORT threads it creates); 0 leaves it. */
  nice: number;
}

/** Main thread → worker. */
export type ToWorker =
  | { t: 'run'; id: number; feeds: WireTensor[]; fetches: string[] }
  | { t: 'close' }
  /** Test hook: throw an uncaught exception in the worker, as a bug in it would. */
  | { t: 'crash' };

/** Worker → main thread. */
export type FromWorker =
  | { t: 'ready'; inputs: OrtValueInfo[]; outputs: OrtValueInfo[]; provider: 'cpu' | 'cuda'; warning?: string }
  | { t: 'load-error'; message: string }
  /** `us`: how long ONNX Runtime's run took in the worker, µs (feeds the inline cost model). */
  | { t: 'ok'; id: number; outputs: WireTensor[]; us: number }
  | { t: 'err'; id: number; message: string };

/** Below this size, typed arrays are copied rather than transferred. */
export const DEFAULT_TRANSFER_MIN_BYTES = 64 * 1024;

/**
 * Prepares numeric data for postMessage; pushes buffers to move onto `transfer`.
 * `transferMinBytes = Infinity` never detaches the caller's arrays.
 */
export function encodeNumeric(a: NumericArray, transfer: ArrayBuffer[], transferMinBytes: number): NumericArray {
  const buf = a.buffer;
  if (typeof SharedArrayBuffer !== 'undefined' && buf instanceof SharedArrayBuffer) return a;
  if (a.byteOffset !== 0 || a.byteLength !== buf.byteLength) {
    if (a.byteLength >= transferMinBytes && isDetachable(buf)) {
      transfer.push(buf as ArrayBuffer); // several inputs of one message repeat it; the pool drops repeats
      return a;
    }
    const copy = a.slice();
    transfer.push(copy.buffer);
    return copy;
  }
  if (a.byteLength >= transferMinBytes) transfer.push(buf as ArrayBuffer);
  return a;
}

/** Packs byte strings into one buffer (transferred). */
export function packBytes(items: readonly Uint8Array[], transfer: ArrayBuffer[]): PackedBytes {
  const offsets = new Uint32Array(items.length + 1);
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    total += items[i]!.byteLength;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < items.length; i++) bytes.set(items[i]!, offsets[i]);
  transfer.push(bytes.buffer, offsets.buffer);
  return { bytes, offsets };
}

/** Views of each element of packed bytes (no copy). */
export function unpackBytes(p: PackedBytes): Uint8Array[] {
  const n = p.offsets.length - 1;
  const out = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) out[i] = p.bytes.subarray(p.offsets[i], p.offsets[i + 1]);
  return out;
}

/** Packs JS strings as UTF-8 (worker side, for ORT string outputs). */
export function packStrings(items: readonly string[], transfer: ArrayBuffer[]): PackedBytes {
  const enc = new TextEncoder();
  return packBytes(items.map((s) => enc.encode(s)), transfer);
}

/** Unpacks UTF-8 elements into JS strings (worker side, for ORT string inputs). */
export function unpackStrings(p: PackedBytes): string[] {
  const dec = new TextDecoder();
  return unpackBytes(p).map((b) => dec.decode(b));
}

/** True when data is PackedBytes rather than a typed array. */
export function isPacked(data: WireTensor['data'] | TensorData): data is PackedBytes {
  return !ArrayBuffer.isView(data) && !Array.isArray(data);
}
