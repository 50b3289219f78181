/**
 * Transformer, explainer and custom-container predictors through the reconciler (sim driver):
 * revisions per component, KServe's injected transformer args, routes (entry through the
 * transformer, `:explain` to the explainer, one route per component), conditions, and cleanup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InferenceServiceStatus } from '../../api/index.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { StoredObject } from '../store/store.ts';
import { Reconciler, type Route } from './reconciler.ts';
import { ISVC } from './reconcile-isvc.ts';
import { SimDriver } from './testing/sim-driver.ts';
import { expandVars } from './container-spec.ts';
import { parseQuantity } from './pod-settings.ts';

const KEY = { ...ISVC, namespace: 'default', name: 'iris' };
const PRED = 'default/iris/predictor/iris-predictor-00001';
const TRANS = 'default/iris/transformer/iris-transformer-00001';
const EXPL = 'default/iris/explainer/iris-explainer-00001';

function isvc(extra: Record<string, unknown>): StoredObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: 'default', generation: 1 },
    spec: { predictor: { model: { modelFormat: { name: 'onnx' }, protocolVersion: 'v2', storageUri: 'file:///models/iris' } }, ...extra },
  };
}

async function setup() {
  const store = new MemoryStore();
  const driver = new SimDriver();
  const routes: Route[][] = [];
  const r = new Reconciler({ store, driver, launcher: '/usr/bin/node', launcherArgs: ['/opt/kserve-ts.js'], baseDir: '/srv', gatewayAddress: '127.0.0.1:28090', onRoutes: (t) => routes.push(t) });
  await r.start();
  return { store, driver, r, routes };
}

const statusOf = async (s: MemoryStore) => (await s.get(KEY))?.status as InferenceServiceStatus;
const cond = (st: InferenceServiceStatus, type: string) => st.conditions?.find((c) => c.type === type)?.status;

const transformer = {
  containers: [{ name: 'kserve-container', image: 'kserve/custom-transformer:v1', command: ['kserve-ts', 'model-server', '--model-class', 'examples/transformer/iris-features.ts'], args: ['--http_port', '8080', '--predictor_host', 'iris-predictor.default'], env: [{ name: 'FEATURES', value: '4' }] }],
};

test('a transformer: its own revision with KServe\'s injected args; the isvc enters through it once both are Ready', async () => {
  const { store, driver, r, routes } = await setup();
  await store.create(KEY, isvc({ transformer }));
  await r.settled();
  const spec = driver.specs.get(TRANS);
  assert.ok(spec, `transformer revision applied: ${driver.revisions().join(', ')}`);
  assert.equal(spec.command, '/usr/bin/node');
  assert.deepEqual(spec.args, [
    '/opt/kserve-ts.js', 'model-server', '--model-class', 'examples/transformer/iris-features.ts',
    '--http_port=$(KSERVE_TS_HTTP_PORT)', '--predictor_host=127.0.0.1:28090/serving/default/iris-predictor',
    '--grpc_port=$(KSERVE_TS_GRPC_PORT)', '--model_name=iris', '--protocol=v2',
  ]);
  assert.deepEqual(spec.env, { FEATURES: '4' });
  assert.equal(spec.readinessPath, '/v2/health/ready');
  assert.equal(spec.cwd, '/srv');

  driver.setPhase(PRED, 'Ready');
  await r.settled();
  let st = await statusOf(store);
  assert.equal(cond(st, 'PredictorReady'), 'True');
  assert.equal(cond(st, 'TransformerReady'), 'Unknown');
  assert.equal(cond(st, 'Ready'), 'Unknown');
  assert.deepEqual(routes.at(-1)?.map((x) => x.name), ['iris-predictor'], 'the predictor is reachable for the transformer; the isvc is not routed yet');

  driver.setPhase(TRANS, 'Ready');
  await r.settled();
  st = await statusOf(store);
  assert.equal(cond(st, 'Ready'), 'True');
  assert.equal(st.components?.transformer?.latestReadyRevision, 'iris-transformer-00001');
  const byName = new Map(routes.at(-1)?.map((x) => [x.name, x]));
  assert.equal(byName.get('iris')?.revision, 'iris-transformer-00001');
  assert.equal(byName.get('iris')?.endpoints[0]?.http, byName.get('iris-transformer')?.endpoints[0]?.http);
  assert.equal(byName.get('iris-predictor')?.revision, 'iris-predictor-00001');

  // Removing the transformer from the spec: its replicas go, the isvc enters at the predictor again.
  const obj = (await store.get(KEY))!;
  await store.update(KEY, { ...obj, spec: isvc({}).spec });
  await r.settled();
  assert.ok(!driver.revisions().includes(TRANS));
  assert.equal(routes.at(-1)?.find((x) => x.name === 'iris')?.revision, 'iris-predictor-00001');
  assert.equal((await statusOf(store)).components?.transformer, undefined);
});

test('an explainer serves :explain through the isvc route; ExplainerReady joins Ready', async () => {
  const { store, driver, r, routes } = await setup();
  await store.create(KEY, isvc({ explainer: { containers: [{ name: 'kserve-container', command: ['python3', 'explainer.py'], args: ['--port=$(PORT)'], readinessProbe: { httpGet: { path: '/healthz' } } }] } }));
  await r.settled();
  const spec = driver.specs.get(EXPL);
  assert.deepEqual([spec?.command, spec?.args, spec?.readinessPath], ['python3', ['explainer.py', '--port=$(KSERVE_TS_HTTP_PORT)', '--model_name=iris', '--predictor_host=127.0.0.1:28090/serving/default/iris-predictor', '--protocol=v2'], '/healthz']);
  driver.setPhase(PRED, 'Ready');
  driver.setPhase(EXPL, 'Ready');
  await r.settled();
  assert.equal(cond(await statusOf(store), 'ExplainerReady'), 'True');
  const main = routes.at(-1)?.find((x) => x.name === 'iris');
  assert.equal(main?.revision, 'iris-predictor-00001');
  assert.equal(main?.explain?.revision, 'iris-explainer-00001');
});

test('a custom-container predictor runs its command with PORT, no runtime; TCP readiness without a probe; memory limit and grace honoured', async () => {
  const { store, driver, r } = await setup();
  const custom = { containers: [{ name: 'kserve-container', image: 'me/server', command: ['python3', '-m', 'http.server'], args: ['$(PORT)', '$$(PORT)'], resources: { limits: { memory: '256Mi' } } }], terminationGracePeriodSeconds: 5 };
  await store.create(KEY, { ...isvc({}), spec: { predictor: custom } });
  await r.settled();
  const spec = driver.specs.get(PRED);
  assert.deepEqual([spec?.command, spec?.args, spec?.readinessPath], ['python3', ['-m', 'http.server', '$(KSERVE_TS_HTTP_PORT)', '$(PORT)'], undefined]);
  assert.equal(spec?.memoryLimitBytes, 256 * 2 ** 20);
  assert.equal(spec?.terminationGracePeriodMs, 5000);
  const st = await statusOf(store);
  assert.equal(st.clusterServingRuntimeName, undefined);
});

test('a component that cannot run here: no command (an image only), or the ART explainer: a clear reason, Ready False', async () => {
  const { store, r } = await setup();
  await store.create(KEY, isvc({ transformer: { containers: [{ name: 'kserve-container', image: 'kserve/image-transformer:latest' }] } }));
  await r.settled();
  const st = await statusOf(store);
  const c = st.conditions?.find((x) => x.type === 'TransformerReady');
  assert.equal(c?.status, 'False');
  assert.match(c?.message ?? '', /spec\.transformer\.containers\[0\]\.command: not set \(image "kserve\/image-transformer:latest"\)/);
  assert.equal(cond(st, 'Ready'), 'False');
  const events = (await store.list({ group: '', resource: 'events' }, { namespace: 'default' })).items as { type?: string; reason?: string; message?: string }[];
  const warning = events.find((e) => e.type === 'Warning');
  assert.equal(warning?.reason, 'InvalidSpec');
  assert.match(warning?.message ?? '', /^Transformer: spec\.transformer\.containers\[0\]\.command: not set/);
});

test('quantities and $(VAR) expansion as Kubernetes', () => {
  assert.equal(parseQuantity('512Mi'), 512 * 2 ** 20);
  assert.equal(parseQuantity('1G'), 1e9);
  assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity(2048), 2048);
  assert.equal(parseQuantity('lots'), undefined);
  assert.equal(expandVars('a=$(A) b=$(B) $$(A) $', { A: '1' }), 'a=1 b=$(B) $(A) $');
});
