import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateServingRuntime } from './validate.ts';

type Obj = Record<string, any>;
const rt = (spec: Obj, name = 'r'): Obj => ({ metadata: { name, namespace: 'd' }, spec: { containers: [{ name: 'kserve-container', image: 'x' }], ...spec } });
const fields = (o: Obj, others: Obj[] = [], old?: Obj): string[] => validateServingRuntime(o, others, old).map((e) => e.field);

test('priority ties only count for auto-selected formats, a shared protocol and the same multi-model mode', () => {
  const other = rt({ protocolVersions: ['v2'], supportedModelFormats: [{ name: 'onnx', version: '1', autoSelect: true, priority: 1 }] }, 'other');
  const mine = (extra: Obj): Obj => rt({ protocolVersions: ['v2'], supportedModelFormats: [{ name: 'ONNX', version: '1', autoSelect: true, priority: 1 }], ...extra });
  assert.deepEqual(fields(mine({}), [other]), ['spec.supportedModelFormats[0].priority']);
  assert.deepEqual(fields(mine({ protocolVersions: ['v1'] }), [other]), []);
  assert.deepEqual(fields(mine({ multiModel: true }), [other]), []);
  assert.deepEqual(fields(mine({ supportedModelFormats: [{ name: 'onnx', version: '1', autoSelect: true, priority: 2 }] }), [other]), []);
  assert.deepEqual(fields(mine({}), [{ ...other, spec: { ...other.spec, disabled: true } }]), []);
  assert.deepEqual(fields(mine({}), [{ ...other, metadata: { name: 'r' } }]), [], 'an update does not clash with itself');
});

test('multi-node rules and blocked env', () => {
  const multi = rt({ workerSpec: { containers: [{ name: 'a' }, { name: 'b' }], tensorParallelSize: 0 }, containers: [{ name: 'kserve-container', env: [{ name: 'TENSOR_PARALLEL_SIZE', value: '2' }, { name: 'PYTHONPATH', value: '/x' }] }] });
  assert.deepEqual(fields(multi), ['spec.workerSpec.containers', 'spec.workerSpec.tensorParallelSize', 'spec.containers[0].env[0].name', 'spec.containers[0].env[1].name']);
  assert.deepEqual(fields(rt({}), [], rt({ workerSpec: { containers: [{ name: 'w' }] } })), ['spec.workerSpec']);
});
