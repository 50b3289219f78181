/**
 * The ClusterServingRuntimes kserve-ts ships, under KServe's names (config/runtimes/*.yaml), so a
 * manifest that names `runtime: kserve-xgbserver` works unchanged. Formats, versions, autoSelect,
 * priorities and protocols are KServe's; the container runs `kserve-ts model-server` with the
 * Python servers' arguments. `kserve-tritonserver` lists only ONNX: it is the runtime KServe
 * auto-selects for ONNX, and the other Triton formats (TensorRT, TensorFlow, PyTorch) are not
 * served by kserve-ts, so they must not select it.
 */

/** A ClusterServingRuntime object, as stored. */
export type RuntimeObject = Record<string, unknown>;

interface Format {
  name: string;
  version: string;
  priority: number;
}

function runtime(name: string, serverType: string, formats: Format[], protocolVersions: string[]): RuntimeObject {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ClusterServingRuntime',
    metadata: { name, annotations: { 'serving.kserve.io/server-type': serverType }, labels: { 'app.kubernetes.io/managed-by': 'kserve-ts' } },
    spec: {
      annotations: { 'prometheus.kserve.io/port': '8080', 'prometheus.kserve.io/path': '/metrics' },
      supportedModelFormats: formats.map((f) => ({ name: f.name, version: f.version, autoSelect: true, priority: f.priority })),
      protocolVersions,
      containers: [
        {
          name: 'kserve-container',
          image: 'kserve-ts',
          command: ['kserve-ts', 'model-server'],
          args: ['--model_name={{.Name}}', '--model_dir=/mnt/models', '--http_port=8080'],
        },
      ],
    },
  };
}

/** Builds fresh copies of the built-in ClusterServingRuntimes (callers may change them). */
export function builtinClusterServingRuntimes(): RuntimeObject[] {
  return [
    runtime('kserve-sklearnserver', 'sklearnserver', [{ name: 'sklearn', version: '1', priority: 1 }], ['v1', 'v2']),
    runtime('kserve-xgbserver', 'xgbserver', [{ name: 'xgboost', version: '2', priority: 1 }], ['v1', 'v2']),
    runtime('kserve-lgbserver', 'lgbserver', [{ name: 'lightgbm', version: '4', priority: 1 }], ['v1', 'v2']),
    runtime('kserve-pmmlserver', 'pmmlserver', [{ name: 'pmml', version: '3', priority: 1 }, { name: 'pmml', version: '4', priority: 1 }], ['v1', 'v2']),
    runtime('kserve-tritonserver', 'tritonserver', [{ name: 'onnx', version: '1', priority: 1 }], ['v2', 'grpc-v2']),
  ];
}

/** The built-in ClusterServingRuntimes (frozen deeply: copy with structuredClone before changing). */
export const BUILTIN_CLUSTER_SERVING_RUNTIMES: readonly RuntimeObject[] = Object.freeze(builtinClusterServingRuntimes().map(deepFreeze));

/**
 * The stored ClusterServingRuntimes plus the built-ins the store does not hold (by name): what
 * KServe's cluster would have, whether or not the control plane has written the built-ins yet.
 */
export function withBuiltinClusterRuntimes(stored: readonly RuntimeObject[]): RuntimeObject[] {
  const nameOf = (r: RuntimeObject): unknown => (r.metadata as { name?: unknown } | undefined)?.name;
  const names = new Set(stored.map(nameOf));
  return [...stored, ...BUILTIN_CLUSTER_SERVING_RUNTIMES.filter((r) => !names.has(nameOf(r)))];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
