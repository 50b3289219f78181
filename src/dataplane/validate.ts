/**
 * Checks an inference request against the model's metadata: input names, datatypes, ranks and
 * fixed dimensions, requested output names. Declared dims of -1 (or 0, which some exporters write
 * for "unknown", e.g. Silero VAD) match any size.
 */
import { invalidInput, invalidRequest } from '../core/errors.ts';
import type { InferRequest, ModelMetadata, TensorMetadata } from '../protocol/infer.ts';

export function validateRequest(req: InferRequest, meta: ModelMetadata): void {
  if (meta.inputs.length > 0) {
    const byName = new Map<string, TensorMetadata>(meta.inputs.map((m) => [m.name, m]));
    const seen = new Set<string>();
    req.inputs.forEach((t, i) => {
      const m = byName.get(t.name);
      if (!m) {
        throw invalidInput(`inputs[${i}].name`, t.name, `one of the model's inputs: ${[...byName.keys()].join(', ')}`);
      }
      if (seen.has(t.name)) throw invalidInput(`inputs[${i}].name`, t.name, 'each input given once');
      seen.add(t.name);
      if (m.datatype !== t.datatype) {
        throw invalidInput(`inputs[${i}].datatype (input ${t.name})`, t.datatype, m.datatype);
      }
      checkDims(t.shape, m.shape, `inputs[${i}].shape (input ${t.name})`);
    });
    for (const m of meta.inputs) {
      if (!seen.has(m.name)) throw invalidRequest(`inputs: input ${JSON.stringify(m.name)} is missing; the model needs ${meta.inputs.map((x) => x.name).join(', ')}`);
    }
  }
  if (req.outputs && meta.outputs.length > 0) {
    const names = new Set(meta.outputs.map((o) => o.name));
    req.outputs.forEach((o, i) => {
      if (!names.has(o.name)) throw invalidInput(`outputs[${i}].name`, o.name, `one of the model's outputs: ${[...names].join(', ')}`);
    });
  }
}

function checkDims(got: readonly number[], want: readonly number[], field: string): void {
  if (got.length !== want.length) {
    throw invalidInput(field, got, `rank ${want.length} (model shape ${JSON.stringify(want)})`);
  }
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w > 0 && got[i] !== w) throw invalidInput(`${field}[${i}]`, got[i], `${w} (model shape ${JSON.stringify(want)})`);
  }
}
