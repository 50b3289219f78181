import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateInferenceGraph } from './validate.ts';

const ig = (nodes: Record<string, unknown>, name = 'g'): Record<string, unknown> => ({ metadata: { name, namespace: 'd' }, spec: { nodes } });
const fields = (o: Record<string, unknown>): string[] => validateInferenceGraph(o).map((e) => `${e.field}: ${e.message}`);

test('a graph of every router type is valid', () => {
  assert.deepEqual(fields(ig({
    root: { routerType: 'Sequence', steps: [{ name: 'a', serviceName: 'a' }, { name: 'b', nodeName: 'split', data: '$response' }] },
    split: { routerType: 'Splitter', steps: [{ serviceName: 'x', weight: 30 }, { serviceUrl: 'https://y/v1/models/y:predict', weight: 70 }] },
    ens: { routerType: 'Ensemble', steps: [{ name: 'p', serviceName: 'p' }, { name: 'q', serviceName: 'q', dependency: 'Hard' }] },
    sw: { routerType: 'Switch', steps: [{ serviceName: 'p', condition: 'instances.#(x>1)' }] },
  })), []);
});

test('step names unique per node; one target per step; splitter weights present', () => {
  assert.deepEqual(fields(ig({ root: { routerType: 'Ensemble', steps: [{ name: 'a', serviceName: 'a' }, { name: 'a', serviceName: 'b' }, { name: 'c' }] } })), [
    'spec.nodes[root].steps[1].name: Duplicate value: "a"',
    'spec.nodes[root].steps[2]: Required value: exactly one of nodeName, serviceName, serviceUrl must be specified',
  ]);
  assert.deepEqual(fields(ig({ root: { routerType: 'Splitter', steps: [{ serviceName: 'a', weight: 100 }, { serviceName: 'b' }] } })), [
    'spec.nodes[root].steps[1].weight: Required value: every Splitter step needs a weight',
  ]);
  assert.deepEqual(fields(ig({ root: { routerType: 'Sequence', steps: [{ serviceUrl: 'ftp://x' }] } })), ['spec.nodes[root].steps[0].serviceUrl: Invalid value: "ftp://x": must be an http:// or https:// URL']);
});

test('the graph name is a DNS-1035 label', () => {
  assert.equal(fields(ig({ root: { routerType: 'Sequence', steps: [{ serviceName: 'a' }] } }, 'Graph'))[0]!.split(':')[0], 'metadata.name');
});
