/** Reading bounded request bodies and writing responses for the HTTP adapter. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ServingError, httpStatusOf, overloaded, payloadTooLarge } from '../../core/errors.ts';

/**
 * Bounds how many request bodies are buffered at once, so memory stays under
 * `max × maxBodyBytes` however many connections send at once.
 */
export class BodyGate {
  active = 0;
  constructor(readonly max: number) {}
}

/** Runs a body read under the gate: OVERLOADED when `gate.max` reads are already going on. */
export function gated<T>(req: IncomingMessage, gate: BodyGate | undefined, read: () => Promise<T>): Promise<T> {
  if (!gate) return read();
  if (gate.active >= gate.max) {
    req.resume();
    return Promise.reject(overloaded(gate.max));
  }
  gate.active++;
  let p: Promise<T>;
  try {
    p = read();
  } catch (err) {
    gate.active--;
    throw err;
  }
  return p.then(
    (v) => {
      gate.active--;
      return v;
    },
    (err: unknown) => {
      gate.active--;
      throw err;
    },
  );
}

/** Reads the whole body, failing with PAYLOAD_TOO_LARGE past `limit` bytes (OVERLOADED when the gate is full). */
export function readBody(req: IncomingMessage, limit: number, gate?: BodyGate): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(payloadTooLarge(limit, Number(declared)));
  }
  if (gate && gate.active >= gate.max) {
    req.resume();
    return Promise.reject(overloaded(gate.max));
  }
  // The gate is taken and released here rather than through `gated` (one promise less per request).
  if (gate) gate.active++;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      if (gate) gate.active--;
      return true;
    };
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.byteLength;
      if (size > limit) {
        if (finish()) reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (finish()) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (finish()) reject(err);
    });
    // A request that ends without 'end' or 'error' (the socket closed) must release the gate.
    req.on('close', () => {
      if (finish()) reject(new Error('request closed before its body was read'));
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: string, extra?: Record<string, string | number>): void {
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extra };
  res.writeHead(status, headers);
  res.end(body);
}

export function sendChunks(res: ServerResponse, status: number, chunks: Uint8Array[], length: number, headers: Record<string, string | number>): void {
  res.writeHead(status, { ...headers, 'content-length': length });
  for (let i = 0; i < chunks.length - 1; i++) res.write(chunks[i]);
  res.end(chunks[chunks.length - 1]);
}

/** Writes `{"error": message}` with the code's one HTTP status. */
export function sendError(res: ServerResponse, err: ServingError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = httpStatusOf(err);
  const extra: Record<string, string> = {};
  // After a body we did not read, close the connection rather than read the rest of it.
  if (status === 413) extra.connection = 'close';
  sendJson(res, status, JSON.stringify({ error: err.message }), extra);
}
