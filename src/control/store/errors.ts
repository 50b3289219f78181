/**
 * The store's failures, worded as kube-apiserver words them: the API server copies `message` into
 * its Status unchanged, so kubectl prints what users of KServe on Kubernetes are used to reading.
 * Every StoreError of this folder is made here, so the wording lives in one file.
 */
import { StoreError, type ResourceType } from './store.ts';

/** `inferenceservices.serving.kserve.io`, or `pods` for the core group: Kubernetes' qualified resource. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.resource : `${type.resource}.${type.group}`;
}

/** 404: `inferenceservices.serving.kserve.io "x" not found`. */
export function notFound(type: ResourceType, name: string): StoreError {
  return new StoreError('NotFound', `${qualifiedResource(type)} "${name}" not found`);
}

/** 409: `inferenceservices.serving.kserve.io "x" already exists`. */
export function alreadyExists(type: ResourceType, name: string): StoreError {
  return new StoreError('AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`);
}

/** 409 on a stale update: the optimistic-concurrency message of kube-apiserver. */
export function conflict(type: ResourceType, name: string): StoreError {
  return new StoreError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; ` +
      'please apply your changes to the latest version and try again',
  );
}

/** 409 on a delete whose resourceVersion precondition fails (kube-apiserver's Preconditions.Check wording). */
export function preconditionFailed(type: ResourceType, name: string, expected: number, actual: number): StoreError {
  return new StoreError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": Precondition failed: ` +
      `ResourceVersion in precondition: ${expected}, ResourceVersion in object meta: ${actual}`,
  );
}

/**
 * 410 for a watch that starts before the retained history. Kubernetes answers
 * `too old resource version: <asked> (<oldest available - 1>)`; a client then lists again.
 */
export function tooOld(fromVersion: number, oldestRetained: number): StoreError {
  return new StoreError('Gone', `too old resource version: ${fromVersion} (${oldestRetained - 1})`);
}

/** 422 for a malformed key or object: names the field, the value and what was expected. */
export function invalid(field: string, value: unknown, expected: string): StoreError {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return new StoreError('Invalid', `${field}: Invalid value: ${shown}: ${expected}`);
}

/** Calls after close() fail with this plain Error (not a StoreError: it is the server's fault, a 500/503). */
export function storeClosed(): Error {
  return new Error('the store is closed');
}
