/**
 * Reads a binary-extension request body straight into one buffer per binary input.
 *
 * The JSON header's length is known before the body arrives (`Inference-Header-Content-Length`),
 * so once those bytes are in, the header is parsed, each input's `binary_data_size` is known, and
 * the rest of the body is copied from the socket's chunks directly into a fresh ArrayBuffer per
 * input. Each tensor then owns an aligned buffer: no concatenation of the whole body, no realigning
 * copy, and large tensors can be moved (transferred) to a runtime's worker thread with no further
 * copy. One copy in all, where the contiguous path makes three.
 *
 * When the header cannot be read this way (bad JSON, odd sizes, sizes that do not add up to the
 * body), the reader keeps the body whole and the caller decodes it the ordinary way, which reports
 * the precise error.
 */
import type { IncomingMessage } from 'node:http';
import { invalidInput, payloadTooLarge } from '../../core/errors.ts';
import { parseJson } from '../../protocol/json-lossless.ts';

export type BinaryBody =
  /** Header parsed; one buffer per binary input, in input order. */
  | { kind: 'segments'; header: unknown; segments: Uint8Array[] }
  /** The whole body, to be split and decoded the ordinary way. */
  | { kind: 'whole'; body: Buffer };

/** The sizes of the binary inputs in order, or undefined when the header does not allow streaming. */
function segmentSizes(header: unknown, available: number | undefined): number[] | undefined {
  if (typeof header !== 'object' || header === null) return undefined;
  const inputs = (header as { inputs?: unknown }).inputs;
  if (!Array.isArray(inputs)) return undefined;
  const sizes: number[] = [];
  for (const input of inputs) {
    const size = (input as { parameters?: { binary_data_size?: unknown } } | null)?.parameters?.binary_data_size;
    if (size === undefined) continue;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
    sizes.push(size);
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (available !== undefined && total !== available) return undefined;
  return sizes;
}

/** Reads the body of a request with `headerLength` bytes of JSON header; see the file comment. */
export function readBinaryBody(req: IncomingMessage, headerLength: number, limit: number): Promise<BinaryBody> {
  const declared = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
  if (declared !== undefined && declared > limit) {
    req.resume();
    return Promise.reject(payloadTooLarge(limit, declared));
  }
  return new Promise((resolve, reject) => {
    const headChunks: Buffer[] = [];
    let headBytes = 0;
    let received = 0;
    let failed = false;
    let mode: 'head' | 'segments' | 'whole' = 'head';
    let header: unknown;
    let segments: Uint8Array[] = [];
    let seg = 0;
    let segOffset = 0;
    let overflow = 0;

    const startSegments = (rest: Buffer): void => {
      const head = Buffer.concat(headChunks, headBytes);
      let sizes: number[] | undefined;
      try {
        header = parseJson(head.toString('utf8', 0, headerLength));
        sizes = segmentSizes(header, declared !== undefined ? declared - headerLength : undefined);
      } catch {
        sizes = undefined;
      }
      if (!sizes) {
        mode = 'whole';
        return;
      }
      mode = 'segments';
      headChunks.length = 0;
      segments = sizes.map((n) => new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n));
      copyIn(rest);
    };

    const copyIn = (chunk: Buffer): void => {
      let pos = 0;
      while (pos < chunk.length) {
        const target = segments[seg];
        if (!target) {
          overflow += chunk.length - pos;
          return;
        }
        const n = Math.min(target.byteLength - segOffset, chunk.length - pos);
        target.set(chunk.subarray(pos, pos + n), segOffset);
        pos += n;
        segOffset += n;
        if (segOffset === target.byteLength) {
          seg++;
          segOffset = 0;
          while (segments[seg]?.byteLength === 0) seg++;
        }
      }
    };

    req.on('data', (c: Buffer) => {
      if (failed) return;
      received += c.length;
      if (received > limit) {
        failed = true;
        reject(payloadTooLarge(limit));
        return;
      }
      if (mode === 'segments') {
        copyIn(c);
        return;
      }
      headChunks.push(c);
      headBytes += c.length;
      if (mode === 'head' && headBytes >= headerLength) {
        const last = headChunks[headChunks.length - 1]!;
        const restStart = last.length - (headBytes - headerLength);
        const rest = last.subarray(restStart);
        startSegments(rest);
      }
    });
    req.on('end', () => {
      if (failed) return;
      if (mode === 'segments') {
        while (segments[seg]?.byteLength === 0) seg++;
        const complete = seg === segments.length && overflow === 0;
        if (complete) {
          resolve({ kind: 'segments', header, segments });
          return;
        }
        // Sizes did not add up (no Content-Length to check them up front).
        const want = segments.reduce((n, b) => n + b.byteLength, 0);
        reject(invalidInput('binary data', `${received - headerLength} bytes after the JSON header`, `${want} bytes (the sum of the inputs' binary_data_size)`));
        return;
      }
      resolve({ kind: 'whole', body: Buffer.concat(headChunks, headBytes) });
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    });
  });
}
