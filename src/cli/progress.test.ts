import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { renderTable } from './get.ts';
import { parseManifests } from './manifests.ts';
import { protocolOf } from './predict.ts';
import { createProgress, isvcProgressLine, withBar } from './progress.ts';

function sink(isTTY: boolean): { out: PassThrough & { isTTY?: boolean }; text: () => string } {
  const out = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { out, text: () => text };
}

test('progress: one rewritten line on a TTY, plain lines otherwise; repeats dropped', () => {
  const plain = sink(false);
  const p = createProgress(plain.out);
  for (const t of ['a', 'a', 'b']) p.update(t);
  p.done();
  assert.equal(plain.text(), 'a\nb\n');
  const tty = sink(true);
  const q = createProgress(tty.out);
  for (const t of ['a', 'b']) q.update(t);
  q.done();
  q.done();
  assert.equal(tty.text(), '\r\x1b[2Ka\r\x1b[2Kb\n');
  // Wider than the terminal: cut, so the rewrite stays on one row.
  const narrow = sink(true);
  Object.assign(narrow.out, { columns: 10 });
  createProgress(narrow.out).update('0123456789abc');
  assert.equal(narrow.text(), '\r\x1b[2K01234567…');
});

test('isvcProgressLine: model state, replicas, and the condition that blocks', () => {
  const line = isvcProgressLine({
    metadata: { name: 'iris' },
    status: {
      modelStatus: { states: { activeModelState: '', targetModelState: 'Loading' }, copies: { failedCopies: 0, totalCopies: 1 } },
      conditions: [
        { type: 'PredictorReady', status: 'Unknown', reason: 'RevisionMissing', message: 'waiting' },
        { type: 'Ready', status: 'Unknown' },
      ],
    },
  });
  assert.equal(line, 'isvc/iris: model Pending (target Loading), replicas 1, Ready=Unknown, PredictorReady: RevisionMissing: waiting');
  assert.equal(isvcProgressLine({ metadata: { name: 'x' } }), 'isvc/x: model Pending');
});

test('protocolOf: V2 by inputs tensors, V1 by instances or plain inputs, else why not', () => {
  assert.deepEqual(protocolOf({ inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] }), { protocol: 'v2' });
  assert.deepEqual(protocolOf({ instances: [[1, 2, 3, 4]] }), { protocol: 'v1' });
  assert.deepEqual(protocolOf({ inputs: [[1, 2]] }), { protocol: 'v1' });
  assert.ok('problem' in protocolOf([1]));
  assert.ok('problem' in protocolOf({ x: 1 }));
});

test('renderTable: kubectl columns, wide adds priority columns, -A adds NAMESPACE', () => {
  const t = {
    columnDefinitions: [{ name: 'Name' }, { name: 'URL' }, { name: 'Extra', priority: 1 }],
    rows: [
      { cells: ['iris', 'http://iris.default.example.com', 'x'], object: { metadata: { namespace: 'default' } } },
      { cells: ['a-long-name', null, 'y'], object: { metadata: { namespace: 'ns2' } } },
    ],
  };
  assert.equal(renderTable(t, false, false), 'NAME          URL\niris          http://iris.default.example.com\na-long-name   <none>\n');
  assert.equal(renderTable(t, true, true).split('\n')[0], 'NAMESPACE   NAME          URL                               EXTRA');
});

test('parseManifests: several documents, empty ones skipped, Lists flattened, bad YAML named', () => {
  const ms = parseManifests('---\na: 1\n---\n---\nkind: List\nitems:\n- b: 2\n- c: 3\n', 'f.yaml');
  assert.deepEqual(ms.map((m) => m.object), [{ a: 1 }, { b: 2 }, { c: 3 }]);
  assert.throws(() => parseManifests('a: [1\n', 'bad.yaml'), /bad.yaml: document 1 is not valid YAML/);
  assert.throws(() => parseManifests('- 1\n', 'l.yaml'), /l.yaml: document 1 is not an object/);
});

test('a download percentage gets a bar on a terminal only', () => {
  assert.equal(withBar('isvc/iris: model Pending (target Loading), PredictorReady: Downloading: Downloading s3://models/iris: 45% (450.0 MB of 1.00 GB)'), 'isvc/iris: model Pending (target Loading), PredictorReady: Downloading: Downloading s3://models/iris: [█████████···········] 45% (450.0 MB of 1.00 GB)');
  assert.equal(withBar('isvc/iris: model Loaded'), 'isvc/iris: model Loaded');
  const lines: string[] = [];
  const plain = createProgress({ write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream);
  plain.update('Downloading s3://b/m: 45% (1 MB)');
  assert.deepEqual(lines, ['Downloading s3://b/m: 45% (1 MB)\n']);
});
