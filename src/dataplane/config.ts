/**
 * Model-server configuration: defaults → parse argv → validate → freeze. Accepts kserve-ts's
 * kebab-case flags and KServe's snake_case ones (`--model_name`, `--http_port`, ...) so that a
 * KServe ServingRuntime's args work unchanged. Errors name the flag, the value and the range.
 */
import { invalidInput, invalidRequest } from '../core/errors.ts';
import type { PredictorProtocol } from '../runtimes/transformer/predictor.ts';

export interface ModelServerConfig {
  readonly modelDir?: string;
  readonly modelName: string;
  readonly modelFormat?: string;
  readonly modelClass?: string;
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly enableGrpc: boolean;
  /** Inference worker threads per model. */
  readonly workers: number;
  /** ONNX Runtime intra-op threads per worker. */
  readonly intraOpThreads: number;
  /** Nice value of inference threads (Linux), so the event loop keeps the CPU first; 0 = unchanged. */
  readonly inferenceNice: number;
  /** Runs measured to take at most this many µs run on the event-loop thread (ONNX); 0 = never. */
  readonly inlineBudgetUs: number;
  /** Merge inline runs queued together into one ONNX Runtime call (runtimes/onnx/merge-runs.ts). */
  readonly mergeRuns: boolean;
  readonly executionProvider: 'cpu' | 'cuda';
  readonly maxBodyBytes: number;
  readonly maxInflight: number;
  readonly gracePeriodMs: number;
  readonly grpcMaxMessageBytes: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * Transformer mode: the predictor a model's default `predict` forwards to, as KServe's
   * `--predictor_host` (`host`, `host:port`, or `host:port/path/prefix`; no scheme).
   */
  readonly predictorHost?: string;
  /** Protocol of the call to the predictor (KServe `--predictor_protocol`, alias `--protocol`). */
  readonly predictorProtocol: PredictorProtocol;
  /** https to the predictor. */
  readonly predictorUseSsl: boolean;
  /** Per-try timeout of a call to the predictor (flag in seconds). */
  readonly predictorRequestTimeoutMs: number;
  /** Extra tries after a predictor call fails to connect or times out. */
  readonly predictorRequestRetries: number;
  /** The server (and model) is ready only while the predictor is. */
  readonly enablePredictorHealthCheck: boolean;
}

export const DEFAULTS: ModelServerConfig = Object.freeze({
  modelName: 'model',
  host: '0.0.0.0',
  httpPort: 8080,
  grpcPort: 8081,
  enableGrpc: true,
  workers: 1,
  intraOpThreads: 1,
  inferenceNice: 0,
  inlineBudgetUs: 100,
  mergeRuns: true,
  executionProvider: 'cpu',
  maxBodyBytes: 64 * 1024 * 1024,
  maxInflight: 1024,
  gracePeriodMs: 30_000,
  grpcMaxMessageBytes: 64 * 1024 * 1024,
  logLevel: 'info',
  predictorProtocol: 'v1',
  predictorUseSsl: false,
  predictorRequestTimeoutMs: 600_000,
  predictorRequestRetries: 0,
  enablePredictorHealthCheck: false,
});

/** KServe flags that mean nothing here; accepted with a note so ServingRuntime args still work. */
const IGNORED = new Set([
  'max-threads', 'max-asyncio-workers', 'enable-docs-url', 'enable-latency-logging', 'configure-logging',
  'log-config-file', 'access-log-format', 'event-loop', 'timeout-keep-alive',
]);

type Kind = 'string' | 'int' | 'bool';
const FLAGS: Readonly<Record<string, [keyof ModelServerConfig, Kind]>> = {
  'model-dir': ['modelDir', 'string'],
  'model-name': ['modelName', 'string'],
  'model-format': ['modelFormat', 'string'],
  'model-class': ['modelClass', 'string'],
  host: ['host', 'string'],
  'http-port': ['httpPort', 'int'],
  'grpc-port': ['grpcPort', 'int'],
  'enable-grpc': ['enableGrpc', 'bool'],
  workers: ['workers', 'int'],
  'intra-op-threads': ['intraOpThreads', 'int'],
  'inference-nice': ['inferenceNice', 'int'],
  'inline-budget-us': ['inlineBudgetUs', 'int'],
  'merge-runs': ['mergeRuns', 'bool'],
  'execution-provider': ['executionProvider', 'string'],
  'max-body-bytes': ['maxBodyBytes', 'int'],
  'max-inflight': ['maxInflight', 'int'],
  'grace-period-seconds': ['gracePeriodMs', 'int'],
  'grpc-max-message-bytes': ['grpcMaxMessageBytes', 'int'],
  'log-level': ['logLevel', 'string'],
  'predictor-host': ['predictorHost', 'string'],
  'predictor-protocol': ['predictorProtocol', 'string'],
  protocol: ['predictorProtocol', 'string'],
  'predictor-use-ssl': ['predictorUseSsl', 'bool'],
  'predictor-request-timeout-seconds': ['predictorRequestTimeoutMs', 'int'],
  'predictor-request-retries': ['predictorRequestRetries', 'int'],
  'enable-predictor-health-check': ['enablePredictorHealthCheck', 'bool'],
};

const RANGES: Partial<Record<keyof ModelServerConfig, [number, number]>> = {
  httpPort: [0, 65535], grpcPort: [0, 65535], workers: [1, 64], intraOpThreads: [1, 256], inferenceNice: [0, 19], inlineBudgetUs: [0, 1_000_000],
  maxBodyBytes: [1024, 2 ** 31], maxInflight: [1, 1_000_000], gracePeriodMs: [0, 3600 * 1000],
  grpcMaxMessageBytes: [1024, 2 ** 31], predictorRequestTimeoutMs: [1, 86_400], predictorRequestRetries: [0, 100],
};

/** `--help` text: every flag with its default (KServe's snake_case spellings work too). */
export function modelServerUsage(): string {
  const shown = (key: keyof ModelServerConfig): string => {
    const v = DEFAULTS[key];
    if (v === undefined) return key === 'modelDir' ? 'DIR' : key === 'modelClass' ? 'FILE.ts' : key === 'predictorHost' ? 'HOST[:PORT][/PREFIX] (transformer mode)' : 'FORMAT (default: from the files; onnx)';
    return key === 'gracePeriodMs' || key === 'predictorRequestTimeoutMs' ? String((v as number) / 1000) : String(v);
  };
  const flags = Object.entries(FLAGS).map(([flag, [key]]) => `  --${flag} ${shown(key)}`);
  return [
    'usage: kserve-ts model-server --model-dir DIR [flags]   (or --model-class FILE.ts)',
    '',
    'flags (default shown; KServe\'s snake_case spellings such as --model_name are accepted):',
    ...flags,
    '',
    `KServe flags accepted and ignored: ${[...IGNORED].map((f) => `--${f}`).join(', ')}`,
    '',
  ].join('\n');
}

export interface ParsedConfig {
  config: ModelServerConfig;
  notes: string[];
}

/** Parses model-server argv (without the subcommand). Throws INVALID_INPUT naming the flag. */
export function parseModelServerArgs(argv: readonly string[]): ParsedConfig {
  const out: Record<string, unknown> = { ...DEFAULTS };
  const notes: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw invalidRequest(`argument ${JSON.stringify(arg)}: expected a --flag`);
    const eq = arg.indexOf('=');
    const raw = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const flag = raw.replace(/_/g, '-');
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const spec = FLAGS[flag];
    if (!spec) {
      if (IGNORED.has(flag)) {
        if (value === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) i++;
        notes.push(`--${raw} is a KServe flag with no effect in kserve-ts; ignored`);
        continue;
      }
      throw invalidRequest(`unknown flag --${raw}; known flags: ${Object.keys(FLAGS).map((f) => `--${f}`).join(', ')}`);
    }
    const [key, kind] = spec;
    if (value === undefined) {
      const next = argv[i + 1];
      if (kind === 'bool' && (next === undefined || next.startsWith('--'))) value = 'true';
      else {
        if (next === undefined) throw invalidRequest(`--${raw}: expected a value`);
        value = next;
        i++;
      }
    }
    out[key] = convert(flag, key, kind, value);
  }
  if (out.executionProvider !== 'cpu' && out.executionProvider !== 'cuda') {
    throw invalidRequest(`--execution-provider: got ${JSON.stringify(out.executionProvider)}, expected cpu or cuda`);
  }
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(out.logLevel as string)) {
    throw invalidRequest(`--log-level: got ${JSON.stringify(out.logLevel)}, expected debug, info, warn, error or silent`);
  }
  if (!['v1', 'v2', 'grpc-v2'].includes(out.predictorProtocol as string)) {
    throw invalidRequest(`--predictor-protocol: got ${JSON.stringify(out.predictorProtocol)}, expected v1, v2 or grpc-v2`);
  }
  if (out.predictorHost !== undefined) checkPredictorHost(out.predictorHost as string, out.predictorProtocol === 'grpc-v2');
  else if (out.enablePredictorHealthCheck === true) notes.push('--enable-predictor-health-check has no effect without --predictor-host');
  if (out.modelDir === undefined && out.modelClass === undefined) {
    throw invalidRequest('--model-dir: missing; expected the directory (or file) holding the model(s)');
  }
  return { config: Object.freeze(out as unknown as ModelServerConfig), notes };
}

function convert(flag: string, key: keyof ModelServerConfig, kind: Kind, value: string): unknown {
  if (kind === 'string') return value;
  if (kind === 'bool') {
    const v = value.toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    throw invalidRequest(`--${flag}: got ${JSON.stringify(value)}, expected true or false`);
  }
  const n = Number(value);
  const [lo, hi] = RANGES[key] ?? [0, Number.MAX_SAFE_INTEGER];
  if (!/^\d+$/.test(value) || n < lo || n > hi) throw invalidRequest(`--${flag}: got ${JSON.stringify(value)}, expected an integer in [${lo}, ${hi}]`);
  return key === 'gracePeriodMs' || key === 'predictorRequestTimeoutMs' ? n * 1000 : n;
}

/**
 * `--predictor-host`: `host`, `host:port` or `host:port/path/prefix`, as KServe's controller
 * injects it (`iris-predictor.default`, `iris-predictor.default:80`) or the kserve-ts gateway does
 * (`127.0.0.1:28090/serving/default/iris-predictor`). The forward URL is
 * `http[s]://{predictor_host}/v1/models/...`, so the prefix is kept.
 */
function checkPredictorHost(value: string, grpc: boolean): void {
  const expected = 'host, host:port or host:port/path/prefix without a scheme, e.g. iris-predictor.default:80';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw invalidInput('--predictor-host', value, `${expected} (the scheme comes from --predictor-use-ssl)`);
  let url: URL;
  try {
    url = new URL(`http://${value}`);
  } catch {
    throw invalidInput('--predictor-host', value, expected);
  }
  if (url.hostname === '' || url.search !== '' || url.hash !== '' || url.username !== '' || /\s/.test(value)) throw invalidInput('--predictor-host', value, expected);
  if (grpc && url.pathname !== '/') throw invalidInput('--predictor-host', value, 'host or host:port for --predictor-protocol grpc-v2 (gRPC has no path prefix)');
}
