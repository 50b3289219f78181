/** The InferenceService controller (see README.md): what `kserve-ts up` and the tests use. */
export { Reconciler } from './reconciler.ts';
export type { Endpoint, ModelFetch, ReconcilerOptions, Route } from './reconciler.ts';
export { WorkQueue, backoffDelayMs } from './work-queue.ts';
export type { Take, WorkQueueOptions } from './work-queue.ts';
export { EventRecorder } from './events.ts';
export type { EventType } from './events.ts';
export { FINALIZER, HASH_ANNOTATION, REVISION_ANNOTATION } from './observe.ts';
