import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectMatches, parseFieldSelector, parseLabelSelector } from './selectors.ts';

const obj = (labels: Record<string, string>, name = 'n') => ({ metadata: { name, namespace: 'default', labels } });
const EVERY = parseFieldSelector(null, 'serving.kserve.io', 'inferenceservices');

test('label selector operators as Kubernetes', () => {
  const m = (sel: string, labels: Record<string, string>) => objectMatches(obj(labels), parseLabelSelector(sel), EVERY);
  assert.ok(m('a=1', { a: '1' }));
  assert.ok(m('a==1', { a: '1' }));
  assert.ok(!m('a=1', { a: '2' }));
  assert.ok(m('a!=1', {}), '!= matches a missing key');
  assert.ok(m('a in (1, 2)', { a: '2' }));
  assert.ok(!m('a in (1,2)', {}));
  assert.ok(m('a notin (1,2)', {}), 'notin matches a missing key');
  assert.ok(!m('a notin (1,2)', { a: '1' }));
  assert.ok(m('a', { a: '' }));
  assert.ok(m('!a', { b: '1' }));
  assert.ok(m('a=1,b in (x),!c', { a: '1', b: 'x' }));
  assert.ok(!m('a=1,b in (x),!c', { a: '1', b: 'x', c: '' }));
  assert.ok(m('example.com/team=red', { 'example.com/team': 'red' }));
  assert.ok(m('', {}));
});

test('malformed label selectors are 400 naming the selector', () => {
  assert.throws(() => parseLabelSelector('a in b'), (e: any) => e.code === 400 && /"a in b"/.test(e.message));
  assert.throws(() => parseLabelSelector('a=b c'), (e: any) => e.code === 400);
  assert.throws(() => parseLabelSelector('a=-bad-'), (e: any) => e.code === 400 && /invalid label value "-bad-"/.test(e.message));
});

test('field selectors: metadata fields for every kind, Event fields for events, 400 otherwise', () => {
  const f = parseFieldSelector('metadata.name=n,metadata.namespace!=x', 'serving.kserve.io', 'inferenceservices');
  assert.ok(objectMatches(obj({}), parseLabelSelector(''), f));
  assert.ok(!objectMatches(obj({}, 'm'), parseLabelSelector(''), f));
  assert.throws(() => parseFieldSelector('spec.x=1', 'serving.kserve.io', 'inferenceservices'), /field label not supported: spec.x/);
  const ev = parseFieldSelector('involvedObject.kind=InferenceService,type=Warning', '', 'events');
  assert.ok(objectMatches({ metadata: { name: 'e' }, involvedObject: { kind: 'InferenceService' }, type: 'Warning' }, parseLabelSelector(''), ev));
  assert.ok(!objectMatches({ metadata: { name: 'e' }, involvedObject: { kind: 'InferenceService' }, type: 'Normal' }, parseLabelSelector(''), ev));
});
