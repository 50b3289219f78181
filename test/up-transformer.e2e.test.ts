/**
 * `kserve-ts up` with a transformer (examples/manifests/iris-transformer.yaml): the transformer
 * runs as its own revision, reaches the predictor through the gateway with KServe's injected
 * `--predictor_host`, and the InferenceService's URL enters through it — named features in, class
 * names out — while the predictor stays reachable on its own component route. Editing the
 * transformer makes a new transformer revision only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './cli-helpers.ts';
import { kubectlSkip } from './support/kubectl.ts';
import { startUp, until } from './support/up.ts';

interface Status {
  conditions: { type: string; status: string }[];
  components: Record<string, { latestReadyRevision?: string; latestCreatedRevision?: string; url?: string }>;
  url?: string;
}

const FEATURES = '{"instances": [{"sepal_length": 6.8, "sepal_width": 2.8, "petal_length": 4.8, "petal_width": 1.4}, {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}';

test('a transformer in front of the predictor under up: features in, class names out; own revisions', { skip: kubectlSkip() }, async () => {
  const up = await startUp();
  try {
    const manifest = readFileSync(join(ROOT, 'examples/manifests/iris-transformer.yaml'), 'utf8');
    assert.match(await up.apply(manifest), /iris-features created/);
    await up.kubectl('wait', '--for=condition=Ready', 'isvc/iris-features', '--timeout=90s');
    const st = (await up.getJson<{ status: Status }>('isvc', 'iris-features')).status;
    const cond = (t: string) => st.conditions.find((c) => c.type === t)?.status;
    assert.deepEqual(['PredictorReady', 'TransformerReady', 'IngressReady', 'Ready'].map(cond), ['True', 'True', 'True', 'True']);
    assert.equal(st.components.transformer?.latestReadyRevision, 'iris-features-transformer-00001');
    assert.equal(st.components.predictor?.latestReadyRevision, 'iris-features-predictor-00001');

    const viaIsvc = await fetch(`${up.gateway}/serving/default/iris-features/v1/models/iris-features:predict`, { method: 'POST', body: FEATURES });
    assert.equal(viaIsvc.status, 200, await viaIsvc.clone().text());
    assert.deepEqual(((await viaIsvc.json()) as { predictions: unknown[] }).predictions, ['versicolor', 'setosa']);

    // The predictor itself, on its component route, wants rows.
    const direct = await fetch(`${up.gateway}/serving/default/iris-features-predictor/v1/models/iris-features:predict`, { method: 'POST', body: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}' });
    assert.equal(direct.status, 200, await direct.clone().text());
    assert.deepEqual(((await direct.json()) as { predictions: { label: number }[] }).predictions.map((p) => p.label), [1]);

    // Bad input is the transformer's 400, naming what it expected.
    const bad = await fetch(`${up.gateway}/serving/default/iris-features/v1/models/iris-features:predict`, { method: 'POST', body: '{"instances": [{"sepal_length": 6.8}]}' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /sepal_width/);

    // A change to the transformer only: a new transformer revision, the predictor keeps its revision.
    await up.apply(manifest.replace('command: [kserve-ts, model-server, --model-class, examples/transformer/iris-features.ts]', 'command: [kserve-ts, model-server, --model-class, examples/transformer/iris-features.ts]\n        env: [{name: EDITED, value: "1"}]'));
    const next = await until('transformer revision 2 ready', async () => {
      const s = (await up.getJson<{ status: Status }>('isvc', 'iris-features')).status;
      return s.components.transformer?.latestReadyRevision === 'iris-features-transformer-00002' ? s : undefined;
    }, 60_000);
    assert.equal(next.components.predictor?.latestReadyRevision, 'iris-features-predictor-00001');
    const again = await fetch(`${up.gateway}/serving/default/iris-features/v1/models/iris-features:predict`, { method: 'POST', body: FEATURES });
    assert.deepEqual(((await again.json()) as { predictions: unknown[] }).predictions, ['versicolor', 'setosa']);
  } finally {
    await up.stop();
  }
});
