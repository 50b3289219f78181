/**
 * Checks an inference request against the model's metadata: input names, datatypes, ranks and
 * fixed dimensions, requested output names. Declared dims of -1 (or 0, which some exporters write
 * for "unknown", e.g. Silero VAD) match any size.
 */
import { invalidInput, invalidRequest } from '../core/errors.ts';
import type { InferRequest, ModelMetadata } from '../protocol/infer.ts';

export function validateRequest(req: InferRequest, meta: ModelMetadata): void {
  // Linear searches over a model's few inputs: no Map or Set per request (this runs for every one).
  const metas = meta.inputs;
  if (metas.length > 0) {
    const inputs = req.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i]!;
      const m = metas.find((x) => x.name === t.name);
      if (!m) throw invalidInput(`inputs[${i}].name`, t.name, `one of the model's inputs: ${metas.map((x) => x.name).join(', ')}`);
      for (let j = 0; j < i; j++) if (inputs[j]!.name === t.name) throw invalidInput(`inputs[${i}].name`, t.name, 'each input given once');
      if (m.datatype !== t.datatype) {
        throw invalidInput(`inputs[${i}].datatype (input ${t.name})`, t.datatype, m.datatype);
      }
      checkDims(t.shape, m.shape, `inputs[${i}].shape (input ${t.name})`);
    }
    // Every input named is the model's and given once, so fewer inputs than the model's means one is missing.
    if (inputs.length < metas.length) {
      const missing = metas.find((m) => !inputs.some((t) => t.name === m.name))!;
      throw invalidRequest(`inputs: input ${JSON.stringify(missing.name)} is missing; the model needs ${metas.map((x) => x.name).join(', ')}`);
    }
  }
  if (req.outputs && meta.outputs.length > 0) {
    const outs = meta.outputs;
    req.outputs.forEach((o, i) => {
      if (!outs.some((x) => x.name === o.name)) throw invalidInput(`outputs[${i}].name`, o.name, `one of the model's outputs: ${outs.map((x) => x.name).join(', ')}`);
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
