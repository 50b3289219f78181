import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonPatch, mergePatch } from './patch.ts';

test('merge patch follows RFC 7386 (examples from its appendix)', () => {
  assert.deepEqual(mergePatch({ a: 'b' }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(mergePatch({ a: 'b' }, { b: 'c' }), { a: 'b', b: 'c' });
  assert.deepEqual(mergePatch({ a: 'b' }, { a: null }), {});
  assert.deepEqual(mergePatch({ a: 'b', b: 'c' }, { a: null }), { b: 'c' });
  assert.deepEqual(mergePatch({ a: ['b'] }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(mergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } }), { a: { b: 'd' } });
  assert.deepEqual(mergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  assert.deepEqual(mergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
  assert.deepEqual(mergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  const target = { a: { b: 1 } };
  mergePatch(target, { a: { b: 2 } });
  assert.deepEqual(target, { a: { b: 1 } }, 'the input is not mutated');
});

test('JSON patch follows RFC 6902: add, remove, replace, move, copy, test, pointer escapes', () => {
  const doc = { foo: ['bar', 'baz'], 'a/b': 1, 'm~n': 2 };
  assert.deepEqual(jsonPatch(doc, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { ...doc, foo: ['bar', 'qux', 'baz'] });
  assert.deepEqual(jsonPatch(doc, [{ op: 'add', path: '/foo/-', value: 'end' }]), { ...doc, foo: ['bar', 'baz', 'end'] });
  assert.deepEqual(jsonPatch(doc, [{ op: 'remove', path: '/foo/0' }]), { ...doc, foo: ['baz'] });
  assert.deepEqual(jsonPatch(doc, [{ op: 'replace', path: '/a~1b', value: 3 }]), { ...doc, 'a/b': 3 });
  assert.deepEqual(jsonPatch(doc, [{ op: 'move', from: '/m~0n', path: '/moved' }]), { foo: ['bar', 'baz'], 'a/b': 1, moved: 2 });
  assert.deepEqual(jsonPatch(doc, [{ op: 'copy', from: '/foo/0', path: '/first' }]), { ...doc, first: 'bar' });
  assert.deepEqual(jsonPatch(doc, [{ op: 'test', path: '/foo', value: ['bar', 'baz'] }]), doc);
  assert.deepEqual(doc, { foo: ['bar', 'baz'], 'a/b': 1, 'm~n': 2 }, 'the input is not mutated');
});

test('JSON patch errors: malformed is 400, inapplicable is 422', () => {
  const doc = { a: { b: 1 }, l: [1] };
  assert.throws(() => jsonPatch(doc, { op: 'add' }), (e: any) => e.code === 400);
  assert.throws(() => jsonPatch(doc, [{ op: 'nope', path: '/a' }]), (e: any) => e.code === 400 && /unknown op "nope"/.test(e.message));
  assert.throws(() => jsonPatch(doc, [{ op: 'add', path: 'a' }]), (e: any) => e.code === 400);
  assert.throws(() => jsonPatch(doc, [{ op: 'test', path: '/a/b', value: 2 }]), (e: any) => e.code === 422 && e.message === 'testing value /a/b failed: test failed');
  assert.throws(() => jsonPatch(doc, [{ op: 'remove', path: '/a/zz' }]), (e: any) => e.code === 422);
  assert.throws(() => jsonPatch(doc, [{ op: 'replace', path: '/x/y', value: 1 }]), (e: any) => e.code === 422);
  assert.throws(() => jsonPatch(doc, [{ op: 'add', path: '/l/5', value: 1 }]), (e: any) => e.code === 422 && /out of bounds/.test(e.message));
});
