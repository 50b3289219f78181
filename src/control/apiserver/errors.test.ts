import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError, type StoreErrorReason } from '../store/store.ts';
import * as errors from './errors.ts';
import { ApiError, fromStoreError, type StatusReason } from './errors.ts';

/** Kubernetes' HTTP code for each Status reason (apimachinery/pkg/api/errors). */
const KUBE_CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  UnsupportedMediaType: 415,
  MethodNotAllowed: 405,
  Expired: 410,
  Forbidden: 403,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  InternalError: 500,
};

test('every catalogue function answers the HTTP code Kubernetes gives its reason, as a Failure Status', () => {
  const q = { group: 'serving.kserve.io', resource: 'inferenceservices', kind: 'InferenceService', name: 'x' };
  const fns = Object.entries(errors).filter(([k, v]) => typeof v === 'function' && /^[a-z]/.test(k) && k !== 'fromStoreError');
  assert.ok(fns.length >= 12);
  const args: Record<string, unknown[]> = {
    invalid: [q, [{ type: 'FieldValueRequired', field: 'spec.a', message: 'Required value' }]],
    unsupportedMediaType: [['application/json']],
    applyConflicts: ['Apply failed with 1 conflict', [{ field: '.spec.a', manager: 'm' }], 'v1'],
    tooLarge: [10],
    tooManyRequests: [1],
    forbidden: [q, 'no'],
  };
  for (const [name, fn] of fns) {
    const e = (fn as (...a: unknown[]) => unknown)(...(args[name] ?? [q]));
    assert.ok(e instanceof ApiError, name);
    assert.equal(e.code, KUBE_CODES[e.reason], name);
    const s = e.toStatus();
    assert.deepEqual([s.kind, s.apiVersion, s.status, s.code, s.reason], ['Status', 'v1', 'Failure', e.code, e.reason], name);
    assert.ok(typeof s.message === 'string' && s.message.length > 5, name);
  }
});

test('store failures map to their Statuses in one place; unknown errors become a generic 500', () => {
  const q = { group: '', resource: 'namespaces', name: 'x' };
  const want: Record<StoreErrorReason, [number, StatusReason]> = {
    NotFound: [404, 'NotFound'],
    AlreadyExists: [409, 'AlreadyExists'],
    Conflict: [409, 'Conflict'],
    Gone: [410, 'Expired'],
    Invalid: [400, 'BadRequest'],
  };
  for (const [reason, [code, status]] of Object.entries(want)) {
    const e = fromStoreError(new StoreError(reason as StoreErrorReason, 'm'), q);
    assert.deepEqual([e.code, e.reason], [code, status], reason);
  }
  const internal = fromStoreError(new TypeError('secret /path'), q);
  assert.equal(internal.code, 500);
  assert.doesNotMatch(internal.message, /secret/);
  assert.ok(internal.cause instanceof TypeError);
});

test('Invalid lists several causes in brackets and one without, as kubectl prints them', () => {
  const q = { group: 'serving.kserve.io', resource: 'inferenceservices', kind: 'InferenceService', name: 'x' };
  const one = errors.invalid(q, [{ type: 'FieldValueRequired', field: 'spec.a', message: 'Required value' }]);
  assert.equal(one.message, 'InferenceService.serving.kserve.io "x" is invalid: spec.a: Required value');
  const two = errors.invalid(q, [
    { type: 'FieldValueRequired', field: 'spec.a', message: 'Required value' },
    { type: 'FieldValueInvalid', field: 'spec.b', message: 'Invalid value: 1: must be 2' },
  ]);
  assert.equal(two.message, 'InferenceService.serving.kserve.io "x" is invalid: [spec.a: Required value, spec.b: Invalid value: 1: must be 2]');
  assert.deepEqual(two.details?.causes?.[1], { reason: 'FieldValueInvalid', message: 'Invalid value: 1: must be 2', field: 'spec.b' });
});
