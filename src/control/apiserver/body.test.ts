import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBody, jsonDuplicates } from './body.ts';

test('duplicate JSON keys are found with their paths, escapes and nesting included', () => {
  assert.deepEqual(jsonDuplicates('{"a":1,"b":{"c":[{"d":1,"d":2}],"c":3},"a":"x\\"y"}'), ['b.c[0].d', 'b.c', 'a']);
  assert.deepEqual(jsonDuplicates('{"a\\u0062":1,"ab":2}'), ['ab']);
  assert.deepEqual(jsonDuplicates('[1, {"x": true, "y": null}, "s"]'), []);
  assert.deepEqual(jsonDuplicates('{}'), []);
});

test('YAML bodies decode with duplicate keys reported; other media types are 415', () => {
  const d = decodeBody(Buffer.from('a: 1\nb:\n  c: 2\n  c: 3\n'), 'application/yaml');
  assert.deepEqual(d.value, { a: 1, b: { c: 3 } });
  assert.deepEqual(d.duplicates, ['b.c']);
  assert.throws(() => decodeBody(Buffer.from('k8s\0'), 'application/vnd.kubernetes.protobuf'), (e: any) => e.code === 415);
  assert.throws(() => decodeBody(Buffer.from('  '), 'application/json'), (e: any) => e.code === 400);
});

test('YAML that parses but cannot become JSON is a 400 naming the problem (an alias with no anchor, an alias bomb)', () => {
  assert.throws(() => decodeBody(Buffer.from('*!'), 'application/apply-patch+yaml'), (e: any) => e.code === 400 && /error converting YAML to JSON: yaml: Unresolved alias/.test(e.message));
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
  assert.throws(() => decodeBody(Buffer.from(bomb), 'application/yaml'), (e: any) => e.code === 400 && /error converting YAML to JSON/.test(e.message));
});
