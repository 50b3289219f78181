/**
 * The binary tensor extension's framing (Triton / KServe): a request or response body is a JSON
 * header of `Inference-Header-Content-Length` bytes followed by raw tensor bytes. This module only
 * splits and joins bodies; tensor decoding is in v2-json.ts.
 */
import { invalidInput } from '../core/errors.ts';
import type { EncodedV2 } from './v2-json.ts';

export const HEADER_LENGTH = 'inference-header-content-length';

/** Splits a request body into its JSON header text and binary section. */
export function splitBody(body: Uint8Array, headerLength: string | undefined): { json: string; binary?: Uint8Array } {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (headerLength === undefined) return { json: buf.toString('utf8') };
  if (!/^\d+$/.test(headerLength.trim())) {
    throw invalidInput('Inference-Header-Content-Length header', headerLength, 'a non-negative integer byte count');
  }
  const n = Number(headerLength.trim());
  if (n > buf.byteLength || n === 0) {
    throw invalidInput('Inference-Header-Content-Length header', n, `between 1 and the body length ${buf.byteLength}`);
  }
  return { json: buf.toString('utf8', 0, n), binary: body.subarray(n) };
}

/** Joins an encoded response into body chunks; `headerLength` is set when binary data follows. */
export function joinBody(enc: EncodedV2): { chunks: Uint8Array[]; headerLength?: number; length: number } {
  const head = Buffer.from(enc.json, 'utf8');
  if (enc.binary.length === 0) return { chunks: [head], length: head.byteLength };
  let length = head.byteLength;
  for (const c of enc.binary) length += c.byteLength;
  return { chunks: [head, ...enc.binary], headerLength: head.byteLength, length };
}
