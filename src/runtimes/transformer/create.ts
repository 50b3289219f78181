/** The Predictor for a protocol: REST for v1 and v2, gRPC for grpc-v2. */
import { GrpcPredictor } from './grpc-predictor.ts';
import type { Predictor, PredictorOptions } from './predictor.ts';
import { RestPredictor } from './rest-predictor.ts';

export function createPredictor(opts: PredictorOptions): Predictor {
  return opts.protocol === 'grpc-v2' ? new GrpcPredictor(opts) : new RestPredictor(opts);
}
