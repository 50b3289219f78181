import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration, TableConvertor, wantsTable } from './table.ts';

test('humanDuration matches Kubernetes duration.HumanDuration', () => {
  const s = 1000;
  const cases: [number, string][] = [
    [-5 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [90 * s, '90s'],
    [150 * s, '2m30s'],
    [180 * s, '3m'],
    [11 * 60 * s, '11m'],
    [179 * 60 * s, '179m'],
    [(5 * 60 + 3) * 60 * s, '5h3m'],
    [6 * 3600 * s, '6h'],
    [30 * 3600 * s, '30h'],
    [(3 * 24 + 4) * 3600 * s, '3d4h'],
    [5 * 24 * 3600 * s, '5d'],
    [400 * 24 * 3600 * s, '400d'],
    [(3 * 365 + 10) * 24 * 3600 * s, '3y10d'],
    [9 * 365 * 24 * 3600 * s, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
});

test('Table Accept detection', () => {
  assert.ok(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json'));
  assert.ok(wantsTable('application/json;as=Table;g=meta.k8s.io;v=v1beta1'));
  assert.ok(!wantsTable('application/json'));
  assert.ok(!wantsTable(undefined));
});

test('a kind without printer columns gets Name and Age; typed cells', () => {
  const t = new TableConvertor([]);
  assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Age']);
  const typed = new TableConvertor([
    { name: 'N', type: 'integer', jsonPath: '.n' },
    { name: 'B', type: 'boolean', jsonPath: '.b' },
    { name: 'S', type: 'string', jsonPath: '.o' },
    { name: 'D', type: 'date', jsonPath: '.d' },
  ]);
  assert.deepEqual(typed.cells({ metadata: { name: 'x' }, n: 2.7, b: true, o: { k: 1 }, d: 'not a date' }, 0), ['x', 2, true, '{"k":1}', '<invalid>']);
  assert.deepEqual(typed.cells({ metadata: { name: 'x' }, n: 'two', b: 'yes' }, 0), ['x', null, null, null, null]);
});

test('a kind with its own name column (format name) gets no NAME column first', () => {
  const t = new TableConvertor([
    { name: 'Reason', type: 'string', jsonPath: '.reason' },
    { name: 'Name', type: 'string', format: 'name', jsonPath: '.metadata.name', priority: 1 },
  ]);
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.priority]), [['Reason', 0], ['Name', 1]]);
  assert.deepEqual(t.cells({ metadata: { name: 'e1' }, reason: 'Created' }, 0), ['Created', 'e1']);
});
