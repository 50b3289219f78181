/**
 * Reading an InferenceService as KServe's Go types do: which implementations a component has
 * (`GetImplementations` in predictor.go, transformer.go, explainer.go), in plain JSON.
 */
import { isObject } from '../schema/path.ts';
import { LEGACY_PREDICTOR_KEYS } from '../schemas/predictor.ts';

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** The name KServe gives the serving container (constants.InferenceServiceContainerName). */
export const SERVING_CONTAINER = 'kserve-container';

/** The components of an InferenceService, in the order KServe validates them. */
export const COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** `obj[key]` if it is an object. */
export function objAt(obj: unknown, key: string): Obj | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return isObject(v) ? v : undefined;
}

/** `obj[key]` if it is an array. */
export function listAt(obj: unknown, key: string): unknown[] | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return Array.isArray(v) ? v : undefined;
}

/** `obj[key]` if it is a string. */
export function strAt(obj: unknown, key: string): string | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** `obj[key]` if it is a number. */
export function numAt(obj: unknown, key: string): number | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'number' ? v : undefined;
}

/**
 * The implementation keys a predictor sets, as KServe counts them: each legacy framework key,
 * `model`, and `containers` when it is non-empty (a custom predictor).
 */
export function predictorImplementations(predictor: Obj): string[] {
  const found: string[] = [];
  for (const key of [...LEGACY_PREDICTOR_KEYS, 'model']) if (predictor[key] !== undefined && predictor[key] !== null) found.push(key);
  const containers = listAt(predictor, 'containers');
  if (containers && containers.length > 0) {
    // KServe adds the custom implementation when a container is named kserve-container, or when
    // nothing else is set (then the first container serves). A sidecar next to `model` is not one.
    const named = containers.some((c) => strAt(c, 'name') === SERVING_CONTAINER);
    if (named || found.length === 0) found.push('containers');
  }
  return found;
}

/** The implementation keys of a transformer or explainer (`art`, or custom `containers`). */
export function auxImplementations(component: Obj): string[] {
  const found: string[] = [];
  if (component.art !== undefined && component.art !== null) found.push('art');
  const containers = listAt(component, 'containers');
  if (containers && containers.length > 0) found.push('containers');
  return found;
}

/** The implementations of the named component. */
export function implementationsOf(name: ComponentName, component: Obj): string[] {
  return name === 'predictor' ? predictorImplementations(component) : auxImplementations(component);
}

/** Every key a predictor may hold an implementation under, for messages. */
export function implementationChoices(name: ComponentName): string[] {
  if (name === 'predictor') return ['model', ...LEGACY_PREDICTOR_KEYS, 'containers'];
  return name === 'explainer' ? ['art', 'containers'] : ['containers'];
}
