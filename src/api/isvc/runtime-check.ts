/**
 * An opt-in admission check that the predictor's model has a runtime. KServe does not do this
 * at admission: it admits the InferenceService and reports `NoSupportingRuntime` (or
 * `RuntimeNotRecognized`, `RuntimeDisabled`) in status when it reconciles. A control plane that
 * prefers `kubectl apply` to fail at once can turn this on (inferenceServiceKind's options).
 */
import type { AdmissionContext, FieldError } from '../registry.ts';
import { withBuiltinClusterRuntimes } from '../runtime/builtin.ts';
import { selectRuntime } from '../runtime/select.ts';
import { isObject, text } from '../schema/path.ts';
import { ANNOTATION } from './annotations.ts';
import { objAt, strAt, type Obj } from './components.ts';
import { invalid } from '../field-errors.ts';

/** The FieldError when no runtime would serve the model (empty when one would, or there is no model). */
export async function runtimeAdmissionErrors(isvc: Obj, ctx: AdmissionContext): Promise<FieldError[]> {
  const model = objAt(objAt(objAt(isvc, 'spec'), 'predictor'), 'model');
  const metadata = objAt(isvc, 'metadata');
  if (!model || strAt(objAt(metadata, 'annotations'), ANNOTATION.deploymentMode) === 'ModelMesh') return [];
  const namespace = strAt(metadata, 'namespace');
  const selection = selectRuntime(isvc, await ctx.list('serving.kserve.io', 'servingruntimes', namespace), withBuiltinClusterRuntimes(await ctx.list('serving.kserve.io', 'clusterservingruntimes')));
  if (!('error' in selection)) return [];
  const format = objAt(model, 'modelFormat');
  const label = isObject(format) && format.version !== undefined ? `${text(format.name)}:${text(format.version)}` : text(format?.name);
  const field = selection.error.reason === 'NoSupportingRuntime' && model.runtime === undefined ? 'spec.predictor.model.modelFormat' : 'spec.predictor.model.runtime';
  return [invalid(field, field.endsWith('runtime') ? model.runtime : label, `${selection.error.reason}: ${selection.error.message}`)];
}
