import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AdmissionContext } from '../registry.ts';
import { ALL_KINDS } from '../index.ts';

const ctx: AdmissionContext = { list: async () => [{ metadata: 5 }, { spec: { supportedModelFormats: 'x' } }] };

/** Sets `value` at a random path of a plausible object, to reach deep code paths with garbage. */
function plant(base: Record<string, any>, path: string[], value: unknown): Record<string, any> {
  const obj = structuredClone(base);
  let at: any = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key];
  }
  at[path[path.length - 1]!] = value;
  return obj;
}

const base = {
  metadata: { name: 'a', namespace: 'd', annotations: { 'serving.kserve.io/deploymentMode': 'Standard', 'serving.kserve.io/autoscalerClass': 'keda' } },
  spec: {
    predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://x', env: [{ name: 'A' }] }, containers: [{ name: 'kserve-container' }], autoScaling: { metrics: [{ type: 'External', external: {} }] }, storageUris: [{ uri: 's3://a', mountPath: '/m/a' }], workerSpec: {} },
    transformer: { containers: [{}] },
    explainer: { art: { type: 'SquareAttack' } },
    canary: [{ predictor: { name: 'c' }, trafficPercent: 5 }],
    nodes: { root: { routerType: 'Splitter', steps: [{ nodeName: 'x', weight: 5 }] } },
    model: { storageUri: 'gs://x', memory: '1Gi' },
    supportedModelFormats: [{ name: 'sklearn', autoSelect: true, priority: 1 }],
    containers: [{ name: 'c', env: [{ name: 'PYTHONPATH' }] }],
  },
  status: { deploymentMode: 'Knative' },
};
const keys = ['metadata', 'annotations', 'spec', 'predictor', 'model', 'modelFormat', 'containers', 'env', 'autoScaling', 'metrics', 'storageUris', 'transformer', 'explainer', 'art', 'canary', 'nodes', 'root', 'steps', 'supportedModelFormats', 'workerSpec', 'logger', 'batcher', 'memory', '0'];

test('no kind hook throws on garbage anywhere (they return field errors instead)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...keys), { minLength: 1, maxLength: 5 }), fc.jsonValue(), fc.boolean(), async (path, value, withOld) => {
      for (const kind of ALL_KINDS) {
        const obj = plant(base, path, value);
        await kind.default?.(obj, ctx);
        const errors = await kind.validate?.(obj, withOld ? plant(base, path.slice(1), value) : undefined, ctx);
        for (const e of errors ?? []) assert.ok(typeof e.field === 'string' && typeof e.message === 'string');
      }
    }),
    { numRuns: 400 },
  );
});
