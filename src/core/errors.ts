/**
 * The one error type of kserve-ts. Every failure that reaches a client is a `ServingError` with a
 * code from a closed catalogue; each code has exactly one HTTP status and one gRPC status, and each
 * transport maps codes in exactly one place (`httpStatusOf`, `grpcStatusOf`).
 *
 * Errors are made through the catalogue functions below, never with `new ServingError` at call
 * sites, so the wording of each message lives in one file.
 */

/** The closed set of error codes. */
export const ErrorCode = {
  InvalidInput: 'INVALID_INPUT',
  ModelNotFound: 'MODEL_NOT_FOUND',
  ModelNotReady: 'MODEL_NOT_READY',
  ServerNotReady: 'SERVER_NOT_READY',
  NotImplemented: 'NOT_IMPLEMENTED',
  RouteNotFound: 'ROUTE_NOT_FOUND',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Overloaded: 'OVERLOADED',
  ModelLoadFailed: 'MODEL_LOAD_FAILED',
  InferenceFailed: 'INFERENCE_FAILED',
  PredictorUnavailable: 'PREDICTOR_UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** gRPC status codes used here (numeric values from the gRPC spec). */
export const GrpcStatus = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

interface CodeInfo {
  readonly http: number;
  readonly grpc: number;
  readonly description: string;
}

/** The catalogue: one HTTP status and one gRPC status per code. */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, CodeInfo>> = Object.freeze({
  INVALID_INPUT: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT, description: 'the request is malformed or does not match the model' },
  MODEL_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND, description: 'no model with that name is known' },
  MODEL_NOT_READY: { http: 503, grpc: GrpcStatus.UNAVAILABLE, description: 'the model is known but not loaded' },
  SERVER_NOT_READY: { http: 503, grpc: GrpcStatus.UNAVAILABLE, description: 'the server is starting or shutting down' },
  NOT_IMPLEMENTED: { http: 501, grpc: GrpcStatus.UNIMPLEMENTED, description: 'the operation is not implemented' },
  ROUTE_NOT_FOUND: { http: 404, grpc: GrpcStatus.UNIMPLEMENTED, description: 'no such endpoint' },
  METHOD_NOT_ALLOWED: { http: 405, grpc: GrpcStatus.UNIMPLEMENTED, description: 'the endpoint does not accept that method' },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED, description: 'the request body is over the size limit' },
  OVERLOADED: { http: 503, grpc: GrpcStatus.UNAVAILABLE, description: 'too many requests in flight' },
  MODEL_LOAD_FAILED: { http: 503, grpc: GrpcStatus.UNAVAILABLE, description: 'the model could not be loaded' },
  INFERENCE_FAILED: { http: 500, grpc: GrpcStatus.INTERNAL, description: 'the runtime failed while running the model' },
  PREDICTOR_UNAVAILABLE: { http: 503, grpc: GrpcStatus.UNAVAILABLE, description: "a transformer's predictor could not be reached or did not answer in time" },
  INTERNAL: { http: 500, grpc: GrpcStatus.INTERNAL, description: 'an unexpected server error' },
});

/**
 * Marks ServingErrors across copies of this module: a `--model-class` file is imported through
 * tsx's loader, which gives it its own copy of kserve-ts, so its `invalidInput(...)` is not an
 * instance of the server's class by prototype.
 */
const SERVING_ERROR = Symbol.for('kserve-ts.ServingError');

/** A failure with a catalogue code and a message safe to send to the client. */
export class ServingError extends Error {
  readonly code: ErrorCode;
  override readonly cause: unknown;
  readonly [SERVING_ERROR] = true;

  /** `instanceof` by the mark, so an error from a user model's copy of this module counts. */
  static override [Symbol.hasInstance](v: unknown): v is ServingError {
    return typeof v === 'object' && v !== null && (v as { [SERVING_ERROR]?: unknown })[SERVING_ERROR] === true;
  }

  /** @internal use the catalogue functions instead. */
  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = 'ServingError';
    this.code = code;
    this.cause = cause;
  }
}

/** The one HTTP mapping. */
export function httpStatusOf(err: ServingError): number {
  return ERROR_CATALOGUE[err.code].http;
}

/** The one gRPC mapping. */
export function grpcStatusOf(err: ServingError): number {
  return ERROR_CATALOGUE[err.code].grpc;
}

/**
 * Turns anything thrown into a ServingError. Unknown errors become INTERNAL with a generic message:
 * the cause is kept for the log, never sent.
 */
export function toServingError(err: unknown): ServingError {
  if (err instanceof ServingError) return err;
  return new ServingError(ErrorCode.Internal, 'Internal server error', err);
}

/** Shows a value in a message: strings quoted, long values cut. */
export function show(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value);
  else if (typeof value === 'bigint') s = value.toString();
  else if (value === undefined) s = 'undefined';
  else {
    try {
      s = JSON.stringify(value) ?? typeof value;
    } catch {
      s = typeof value;
    }
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

// ---- catalogue functions -------------------------------------------------------------------

/** Bad input: the message names the field, the value and what was expected. */
export function invalidInput(field: string, value: unknown, expected: string): ServingError {
  return new ServingError(ErrorCode.InvalidInput, `${field}: got ${show(value)}, expected ${expected}`);
}

/** Bad input described by a full sentence (when there is no single field/value pair). */
export function invalidRequest(message: string): ServingError {
  return new ServingError(ErrorCode.InvalidInput, message);
}

export function modelNotFound(name: string): ServingError {
  return new ServingError(ErrorCode.ModelNotFound, `Model with name ${name} does not exist.`);
}

export function modelNotReady(name: string, reason?: string): ServingError {
  const tail = reason ? ` ${reason}` : '';
  return new ServingError(ErrorCode.ModelNotReady, `Model with name ${name} is not ready.${tail}`);
}

export function serverNotReady(reason: string): ServingError {
  return new ServingError(ErrorCode.ServerNotReady, `Server is not ready: ${reason}`);
}

export function notImplemented(what: string): ServingError {
  return new ServingError(ErrorCode.NotImplemented, `${what} is not implemented`);
}

export function routeNotFound(method: string, path: string): ServingError {
  return new ServingError(ErrorCode.RouteNotFound, `No route for ${method} ${path}`);
}

export function methodNotAllowed(method: string, path: string, allowed: readonly string[]): ServingError {
  return new ServingError(ErrorCode.MethodNotAllowed, `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
}

export function payloadTooLarge(limitBytes: number, gotBytes?: number): ServingError {
  const got = gotBytes === undefined ? 'more' : `${gotBytes} bytes`;
  return new ServingError(ErrorCode.PayloadTooLarge, `request body: got ${got}, expected at most ${limitBytes} bytes (--max-body-bytes)`);
}

export function overloaded(limit: number): ServingError {
  return new ServingError(ErrorCode.Overloaded, `Server is overloaded: ${limit} requests already in flight (--max-inflight); retry later`);
}

export function runtimeQueueFull(model: string, limit: number): ServingError {
  return new ServingError(ErrorCode.Overloaded, `Model ${model} is overloaded: its runtime queue holds ${limit} requests already; retry later`);
}

export function modelLoadFailed(name: string, reason: string, cause?: unknown): ServingError {
  return new ServingError(ErrorCode.ModelLoadFailed, `Model ${name} failed to load: ${reason}`, cause);
}

export function inferenceFailed(name: string, reason: string, cause?: unknown): ServingError {
  return new ServingError(ErrorCode.InferenceFailed, `Model ${name} failed during inference: ${reason}`, cause);
}

export function internal(message: string, cause?: unknown): ServingError {
  return new ServingError(ErrorCode.Internal, message, cause);
}

/** A transformer's predictor could not be reached, or did not answer within the timeout. */
export function predictorUnavailable(host: string, reason: string, cause?: unknown): ServingError {
  return new ServingError(ErrorCode.PredictorUnavailable, `predictor ${host} is unavailable: ${reason}`, cause);
}

/** The catalogue code whose HTTP status is the predictor's: its status comes back to the client. */
const PREDICTOR_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: ErrorCode.InvalidInput, 404: ErrorCode.ModelNotFound, 405: ErrorCode.MethodNotAllowed, 413: ErrorCode.PayloadTooLarge,
  500: ErrorCode.InferenceFailed, 501: ErrorCode.NotImplemented, 502: ErrorCode.PredictorUnavailable, 503: ErrorCode.ServerNotReady,
  504: ErrorCode.PredictorUnavailable,
};

/**
 * A transformer's predictor answered with an error status. The message is KServe's
 * (`<predictor's error>, '400 Bad Request' for url '<url>'`); the code is the one whose HTTP
 * status is the predictor's (400, 404, 405, 413, 500, 501, 503 pass through; another 4xx becomes
 * 400, another 5xx 500), so the client sees the predictor's status as far as the catalogue has it.
 */
export function predictorFailed(url: string, status: number, statusText: string, message: string): ServingError {
  const code = PREDICTOR_STATUS_CODES[status] ?? (status >= 400 && status < 500 ? ErrorCode.InvalidInput : ErrorCode.InferenceFailed);
  return new ServingError(code, `${message}, '${status} ${statusText}' for url '${url}'`);
}

/** The catalogue code for a predictor's gRPC status (the inverse of `grpcStatusOf` where it is one-to-one). */
const PREDICTOR_GRPC_CODES: Readonly<Record<number, ErrorCode>> = {
  [GrpcStatus.INVALID_ARGUMENT]: ErrorCode.InvalidInput, [GrpcStatus.NOT_FOUND]: ErrorCode.ModelNotFound,
  [GrpcStatus.RESOURCE_EXHAUSTED]: ErrorCode.PayloadTooLarge, [GrpcStatus.UNIMPLEMENTED]: ErrorCode.NotImplemented,
  [GrpcStatus.UNAVAILABLE]: ErrorCode.PredictorUnavailable, 4 /* DEADLINE_EXCEEDED */: ErrorCode.PredictorUnavailable,
};

/** A transformer's gRPC predictor answered with an error status: its message, and its status where the catalogue has it. */
export function predictorGrpcFailed(host: string, rpc: string, status: number, details: string): ServingError {
  const code = PREDICTOR_GRPC_CODES[status] ?? ErrorCode.InferenceFailed;
  return new ServingError(code, `${details}, gRPC status ${status} from predictor ${host} (${rpc})`);
}
