/** Server-side apply and managedFields (see apply.ts). */
export { conflictMessage, serverSideApply, trackUpdate, type ApplyConflict, type ApplyOptions, type ApplyResult, type ManagedWriteOptions } from './apply.ts';
export { fromFieldsV1, pathString, toFieldsV1, type FieldSet } from './fieldset.ts';
export { applyFunctionFor, updateTrackerFor } from './for-kinds.ts';
