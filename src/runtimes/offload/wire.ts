/**
 * Messages between an OffloadedModel (main thread) and its worker (worker.ts). Requests and
 * results travel by structured clone; output buffers that a result owns whole are transferred.
 * Imported by the worker too (as CommonJS from source): no import.meta, nothing heavy.
 */
import type { InferRequest } from '../../protocol/infer.ts';
import type { PredictResult } from '../model.ts';

/** What the worker builds its model from: `module`'s export `factory` called with `options`. */
export interface OffloadSpec {
  /** file: URL of the module (from `siblingModule`, so it is .ts from source and .js from dist/). */
  module: string;
  factory: string;
  /** Structured-cloneable factory options (name, modelDir, version, runtime options). */
  options: Record<string, unknown> & { name: string; modelDir: string };
}

export type ToWorker =
  | { t: 'run'; id: number; req: InferRequest; headers: Record<string, string | undefined> }
  | { t: 'close' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'load-error'; message: string }
  /** `us`: how long predict took in the worker (feeds the cost model). */
  | { t: 'ok'; id: number; result: PredictResult; us: number }
  /** `code`: the ServingError code when predict threw one. */
  | { t: 'err'; id: number; code?: string; message: string };
