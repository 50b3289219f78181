/**
 * `kserve-ts up` with KServe's custom-container predictor (a command on this machine instead of
 * an image): the user's Model class served as `predictor.containers`, called over REST through
 * the gateway (isvc and component routes) and over gRPC through the h2c gRPC gateway by
 * :authority, as a Triton/KServe gRPC client would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { parse } from 'yaml';
import { ROOT } from './cli-helpers.ts';
import { kubectlSkip } from './support/kubectl.ts';
import { startUp, until } from './support/up.ts';

const PROTO = join(ROOT, 'proto/grpc_predict_v2.proto');

const DOUBLER = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: doubler
spec:
  predictor:
    containers:
      - name: kserve-container
        image: example.com/doubler:latest
        command: [kserve-ts, model-server]
        args: ["--model-class", "examples/custom-model/doubler.ts", "--model_name", "{{.Name}}", "--http_port", "8080"]
        resources:
          limits:
            memory: 1Gi
`;

function grpcClient(target: string, authority: string): any {
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })) as any;
  return new pkg.inference.GRPCInferenceService(target, grpc.credentials.createInsecure(), { 'grpc.default_authority': authority });
}

test('a custom-container predictor runs as a process and answers REST and gRPC through the gateways', { skip: kubectlSkip() }, async () => {
  const up = await startUp();
  try {
    assert.match(await up.apply(DOUBLER), /doubler created/);
    await up.kubectl('wait', '--for=condition=Ready', 'isvc/doubler', '--timeout=60s');
    const isvc = await up.getJson<{ status: { components: { predictor: { latestReadyRevision: string; url: string } }; clusterServingRuntimeName?: string } }>('isvc', 'doubler');
    assert.equal(isvc.status.components.predictor.latestReadyRevision, 'doubler-predictor-00001');
    assert.equal(isvc.status.clusterServingRuntimeName, undefined, 'a custom container needs no runtime');

    const body = JSON.stringify({ inputs: [{ name: 'x', shape: [3], datatype: 'FP32', data: [1, 2.5, -4] }] });
    for (const path of ['/serving/default/doubler/v2/models/doubler/infer', '/serving/default/doubler-predictor/v2/models/doubler/infer']) {
      const res = await fetch(`${up.gateway}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
      assert.deepEqual(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]!.data, [2, 5, -8]);
    }

    // gRPC through the gRPC gateway, routed by :authority (the gateway's address is in the kubeconfig).
    const cfg = parse(readFileSync(up.kubeconfig, 'utf8')) as { clusters: { cluster: { extensions?: { name: string; extension: { grpcGateway: string } }[] } }[] };
    const target = cfg.clusters[0]!.cluster.extensions!.find((e) => e.name === 'kserve-ts')!.extension.grpcGateway;
    const c = grpcClient(target, 'doubler-default.example.com');
    try {
      const res = await until('gRPC ModelInfer', () => new Promise<any>((resolve, reject) => c.ModelInfer({ model_name: 'doubler', inputs: [{ name: 'x', datatype: 'FP32', shape: [2], contents: { fp32_contents: [3, 4] } }] }, (err: Error | null, r: unknown) => (err ? reject(err) : resolve(r)))), 15_000);
      assert.deepEqual(res.outputs[0].contents.fp32_contents, [6, 8]);
    } finally {
      c.close();
    }

    // Deleting it stops the process.
    await up.kubectl('delete', 'isvc', 'doubler', '--timeout=30s');
    const res = await fetch(`${up.gateway}/serving/default/doubler/v2/models/doubler/infer`, { method: 'POST', body });
    assert.equal(res.status, 404);
  } finally {
    await up.stop();
  }
});

test('an explainer under up: :explain goes to it, predictions to the predictor; ExplainerReady', { skip: kubectlSkip() }, async () => {
  const up = await startUp();
  try {
    assert.match(await up.apply(readFileSync(join(ROOT, 'examples/manifests/iris-explainer.yaml'), 'utf8')), /iris-explained created/);
    await up.kubectl('wait', '--for=condition=Ready', 'isvc/iris-explained', '--timeout=90s');
    const st = (await up.getJson<{ status: { conditions: { type: string; status: string }[]; components: Record<string, { latestReadyRevision?: string }> } }>('isvc', 'iris-explained')).status;
    assert.equal(st.conditions.find((c) => c.type === 'ExplainerReady')?.status, 'True');
    assert.equal(st.components.explainer?.latestReadyRevision, 'iris-explained-explainer-00001');

    const base = `${up.gateway}/serving/default/iris-explained/v1/models/iris-explained`;
    const explained = await fetch(`${base}:explain`, { method: 'POST', body: '{"instances": [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2]]}' });
    assert.equal(explained.status, 200, await explained.clone().text());
    const preds = ((await explained.json()) as { predictions: { label: number; attributions: number[] }[] }).predictions;
    assert.deepEqual(preds.map((p) => p.label), [1, 0]);
    assert.equal(preds[0]!.attributions.length, 4);
    assert.ok(preds[1]!.attributions[2]! > 0.5, `petal length decides setosa: ${JSON.stringify(preds[1])}`);

    const predicted = await fetch(`${base}:predict`, { method: 'POST', body: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}' });
    assert.deepEqual(((await predicted.json()) as { predictions: { label: number; probabilities: number[] }[] }).predictions.map((p) => Object.keys(p).sort()), [['label', 'probabilities']]);
  } finally {
    await up.stop();
  }
});
