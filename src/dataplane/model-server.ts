/**
 * The model server: a DataPlane over a model repository, served over REST and gRPC. This is what
 * every replica of every InferenceService runs (`kserve-ts model-server`).
 */
import type { Logger } from '../core/logger.ts';
import type { Model } from '../runtimes/model.ts';
import type { Predictor } from '../runtimes/transformer/predictor.ts';
import type { ModelServerConfig } from './config.ts';
import { loadModelClass } from './custom-class.ts';
import { DataPlane } from './dataplane.ts';
import { BUILTIN_FORMAT_LOADERS, type FormatLoaders } from './format-loaders.ts';
import { GrpcServer } from './grpc/server.ts';
import { HttpServer } from './http/server.ts';
import { ServerMetrics } from './metrics.ts';
import { ModelDirSource, StaticSource } from './model-dir.ts';
import { ModelRepository, type ModelSource } from './repository.ts';

export interface RunningModelServer {
  readonly dataPlane: DataPlane;
  readonly httpPort: number;
  readonly grpcPort?: number;
  /** Graceful: stop accepting, finish in-flight requests, unload models. Idempotent. */
  close(): Promise<void>;
}

async function sourceFor(cfg: ModelServerConfig, formats: FormatLoaders, log: Logger, predictor: Predictor | undefined): Promise<ModelSource> {
  const extra = { intraOpThreads: cfg.intraOpThreads, inferenceNice: cfg.inferenceNice, inlineBudgetUs: cfg.inlineBudgetUs, mergeRuns: cfg.mergeRuns, workers: cfg.workers, executionProviders: cfg.executionProvider, logger: log };
  if (cfg.modelClass) {
    const factory = await loadModelClass(cfg.modelClass);
    // A transformer usually has no model dir (KServe's transformers have no storageUri).
    const modelDir = cfg.modelDir ?? '.';
    const create = (): Model => {
      const model = factory({ ...extra, name: cfg.modelName, modelDir, predictor });
      // A subclass constructor may not pass the options on to Model's.
      if (predictor && !model.predictor) model.predictor = predictor;
      return model;
    };
    return new StaticSource([{ name: cfg.modelName, create }]);
  }
  return new ModelDirSource({ modelDir: cfg.modelDir!, modelName: cfg.modelName, modelFormat: cfg.modelFormat, formats, extra });
}

/** Loads the models and starts both servers. Resolves once listening (models may have failed). */
export async function startModelServer(cfg: ModelServerConfig, log: Logger, formats: FormatLoaders = BUILTIN_FORMAT_LOADERS): Promise<RunningModelServer> {
  // Read at scrape time, after dataPlane exists.
  const metrics: ServerMetrics = new ServerMetrics({ inflight: (): number => dataPlane.inflightCount });
  // Only transformers forward to a predictor: others never load its REST/gRPC clients.
  const predictor = cfg.predictorHost === undefined ? undefined : (await import('../runtimes/transformer/create.ts')).createPredictor({
    host: cfg.predictorHost,
    protocol: cfg.predictorProtocol,
    useSsl: cfg.predictorUseSsl,
    timeoutMs: cfg.predictorRequestTimeoutMs,
    retries: cfg.predictorRequestRetries,
  });
  if (predictor) log.info('transformer mode: predict forwards to the predictor', { predictor: cfg.predictorHost, protocol: cfg.predictorProtocol });
  const repository = new ModelRepository(await sourceFor(cfg, formats, log, predictor), log);
  const predictorHealth = cfg.enablePredictorHealthCheck ? predictor : undefined;
  const dataPlane: DataPlane = new DataPlane({ repository, metrics, log, maxInflight: cfg.maxInflight, predictorHealth });
  const http = new HttpServer(dataPlane, log, { host: cfg.host, port: cfg.httpPort, maxBodyBytes: cfg.maxBodyBytes, maxConcurrentBodies: cfg.maxInflight }, metrics);
  const httpPort = await http.listen();
  let grpc: GrpcServer | undefined;
  let grpcPort: number | undefined;
  if (cfg.enableGrpc) {
    grpc = new GrpcServer(dataPlane, log, {
      host: cfg.host,
      port: cfg.grpcPort,
      maxReceiveMessageBytes: cfg.grpcMaxMessageBytes,
      maxSendMessageBytes: cfg.grpcMaxMessageBytes,
    });
    try {
      grpcPort = await grpc.listen();
    } catch (err) {
      // A port taken between the supervisor's pick and this bind (drivers/process/ports.ts): end
      // with the error so the supervisor restarts on new ports. Left open, the HTTP server would
      // keep the process alive, never ready (seen with 100 replicas started at once).
      await Promise.all([http.close(0), grpc.close(0)]);
      throw err;
    }
  }
  await repository.loadAll();
  dataPlane.markStarted();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const drained = dataPlane.drain();
      await Promise.all([http.close(cfg.gracePeriodMs), grpc?.close(), drained]);
      await repository.close();
      predictor?.close();
    })());
  return { dataPlane, httpPort, grpcPort, close };
}
