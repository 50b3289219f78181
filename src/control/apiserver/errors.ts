/**
 * Kubernetes `Status` errors: every failure the API server answers is an `ApiError` built by one of
 * the catalogue functions below, worded as kube-apiserver words it (kubectl prints these messages
 * verbatim after "Error from server (Reason):"). Store failures are mapped in one place,
 * `fromStoreError`; anything else becomes a generic 500 whose cause is logged, never sent.
 */
import type { FieldError } from '../../api/registry.ts';
import { StoreError } from '../store/store.ts';

/** The `reason` values of metav1.Status that this server uses. */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'UnsupportedMediaType'
  | 'MethodNotAllowed'
  | 'Expired'
  | 'Forbidden'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError';

/** `details.causes[]` entry of a Status. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** `details` of a Status: which object, and for 422 each bad field. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** Names an object for messages: its group/resource (or group/kind), name. */
export interface Qualified {
  group: string;
  /** Plural resource (`inferenceservices`); NotFound and friends name the resource. */
  resource: string;
  /** Kind (`InferenceService`); Invalid names the kind. */
  kind?: string;
  name?: string;
}

/** A failure answered as a Kubernetes Status object. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The metav1.Status body. */
  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason };
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status;
  }
}

/** `inferenceservices.serving.kserve.io` or `namespaces` (core). */
function groupResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

function groupKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

export function notFound(q: Qualified): ApiError {
  return new ApiError(404, 'NotFound', `${groupResource(q.group, q.resource)} "${q.name ?? ''}" not found`, { name: q.name, group: q.group, kind: q.resource });
}

export function routeNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(q: Qualified): ApiError {
  return new ApiError(409, 'AlreadyExists', `${groupResource(q.group, q.resource)} "${q.name ?? ''}" already exists`, { name: q.name, group: q.group, kind: q.resource });
}

/** Optimistic-concurrency failure, as kube-apiserver's storage words it. */
export function conflict(q: Qualified, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${groupResource(q.group, q.resource)} "${q.name ?? ''}": ${why}`, { name: q.name, group: q.group, kind: q.resource });
}

/** 422 Invalid listing each field error, e.g. `InferenceService.serving.kserve.io "x" is invalid: spec.a: Required value`. */
export function invalid(q: Qualified, errs: readonly FieldError[]): ApiError {
  const kind = q.kind ?? q.resource;
  const lines = errs.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  const list = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  const causes = errs.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  return new ApiError(422, 'Invalid', `${groupKind(q.group, kind)} "${q.name ?? ''}" is invalid: ${list}`, { name: q.name, group: q.group, kind, causes });
}

/** 422 with a free-form message (a JSON patch whose `test` op failed, ...). */
export function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message, { causes: [{ reason: 'FieldValueInvalid', message }] });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** 403 for what no client may do, e.g. deleting an immortal namespace. */
export function forbidden(q: Qualified, why: string): ApiError {
  return new ApiError(403, 'Forbidden', `${groupResource(q.group, q.resource)} "${q.name ?? ''}" is forbidden: ${why}`, { name: q.name, group: q.group, kind: q.resource });
}

/** A watch or continue token older than the retained history (HTTP 410). */
export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function tooLarge(limitBytes: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limitBytes}`);
}

/** 409 of a server-side apply that would take fields another manager owns (message from ./apply, Kubernetes' words). */
export function applyConflicts(message: string, conflicts: readonly { field: string; manager: string; message?: string }[], apiVersion: string): ApiError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message ?? `conflict with "${c.manager}" using ${apiVersion}`, field: c.field }));
  return new ApiError(409, 'Conflict', message, { causes });
}

/** 429 when `maxInflight` requests are already being served (kube's max-requests-inflight). */
export function tooManyRequests(limit: number): ApiError {
  return new ApiError(429, 'TooManyRequests', `Too many requests, please try again later (${limit} requests in flight; --max-inflight)`, { retryAfterSeconds: 1 });
}

export function internalError(cause: unknown): ApiError {
  return new ApiError(500, 'InternalError', 'Internal error occurred: an unexpected server error; see the server log', undefined, cause);
}

/** The one place where store reasons become Statuses. */
export function fromStoreError(err: unknown, q: Qualified): ApiError {
  if (err instanceof ApiError) return err;
  if (!(err instanceof StoreError)) return internalError(err);
  switch (err.reason) {
    case 'NotFound':
      return notFound(q);
    case 'AlreadyExists':
      return alreadyExists(q);
    case 'Conflict':
      return conflict(q);
    case 'Gone':
      return expired(err.message);
    case 'Invalid':
      return badRequest(err.message);
  }
}
