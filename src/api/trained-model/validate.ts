/**
 * KServe's TrainedModel admission checks (trainedmodel_webhook.go): name `[a-zA-Z0-9_-]+`, a
 * storageUri scheme the model agent can pull, and `memory` immutable on update.
 */
import type { FieldError } from '../registry.ts';
import { isObject, text } from '../schema/path.ts';
import { forbidden, invalid } from '../field-errors.ts';
import { trainedModelUriProblem } from '../storage-uri.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (isObject(v) ? v : {});
const TM_NAME = /^[a-zA-Z0-9_-]+$/;

/** The admission errors of a TrainedModel; `old` on update. */
export function validateTrainedModel(tm: Obj, old?: Obj): FieldError[] {
  const errors: FieldError[] = [];
  const name = o(tm.metadata).name;
  if (typeof name === 'string' && name !== '' && !TM_NAME.test(name)) {
    errors.push(invalid('metadata.name', name, "a Trained Model name must consist of alphanumeric characters, '_', or '-'. (e.g. \"my-Name\" or \"abc_123\", regex used for validation is '[a-zA-Z0-9_-]+')"));
  }
  const model = o(o(tm.spec).model);
  if (typeof model.storageUri === 'string') {
    const problem = trainedModelUriProblem(model.storageUri);
    if (problem) errors.push(invalid('spec.model.storageUri', model.storageUri, problem));
  }
  if (old) {
    const before = o(o(old.spec).model).memory;
    if (before !== undefined && text(before) !== text(model.memory)) {
      errors.push(forbidden('spec.model.memory', `the memory field is immutable: it was ${text(before)} and may not become ${text(model.memory)}`));
    }
  }
  return errors;
}
