/** The model formats the model server serves out of the box (`--model-format`). */
import { createOnnxModel } from '../runtimes/onnx/index.ts';
import type { ModelFactory } from '../runtimes/model.ts';

export const BUILTIN_FORMATS: Readonly<Record<string, ModelFactory>> = Object.freeze({
  onnx: createOnnxModel,
});
