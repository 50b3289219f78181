import assert from 'node:assert/strict';
import { test } from 'node:test';
import { difference, emptySet, fromFieldsV1, insert, intersection, members, pathString, toFieldsV1, union } from './fieldset.ts';

test('FieldsV1 round-trips, with "." first and f: before k: before v:', () => {
  const json = { 'f:spec': { '.': {}, 'f:a': {}, 'f:list': { 'k:{"name":"x"}': { '.': {}, 'f:name': {} } }, 'f:tags': { 'v:"b"': {} } } };
  const set = fromFieldsV1(json);
  set.member = false;
  assert.deepEqual(JSON.stringify(toFieldsV1(set)), JSON.stringify(json));
  const shuffled = emptySet();
  for (const p of [['f:spec', 'f:tags', 'v:"b"'], ['f:spec', 'f:list', 'k:{"name":"x"}', 'f:name'], ['f:spec', 'f:list', 'k:{"name":"x"}'], ['f:spec', 'f:a'], ['f:spec']]) insert(shuffled, p);
  assert.equal(JSON.stringify(toFieldsV1(shuffled)), JSON.stringify(json));
});

test('set algebra on members', () => {
  const a = emptySet();
  const b = emptySet();
  insert(a, ['f:x']);
  insert(a, ['f:y', 'f:z']);
  insert(b, ['f:y', 'f:z']);
  insert(b, ['f:w']);
  assert.deepEqual(members(difference(a, b)), [['f:x']]);
  assert.deepEqual(members(intersection(a, b)), [['f:y', 'f:z']]);
  assert.deepEqual(members(union(a, b)), [['f:w'], ['f:x'], ['f:y', 'f:z']]);
});

test('paths print as Kubernetes prints them in conflicts', () => {
  assert.equal(pathString(['f:spec', 'f:containers', 'k:{"name":"c","port":80}', 'f:image']), '.spec.containers[name="c",port=80].image');
  assert.equal(pathString(['f:metadata', 'f:finalizers', 'v:"x"']), '.metadata.finalizers[="x"]');
  assert.equal(pathString(['f:items', 'i:0']), '.items[0]');
});

test('bad FieldsV1 names the element', () => {
  assert.throws(() => fromFieldsV1({ 'f:spec': { 'spec2': {} } }), /fieldsV1\.f:spec: path element "spec2" is not one of f:, k:, v:, i:/);
  assert.throws(() => fromFieldsV1([1]), /fieldsV1: expected an object of path elements, got \[1\]/);
});
