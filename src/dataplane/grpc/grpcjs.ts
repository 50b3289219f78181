/**
 * What the gRPC server relies on in @grpc/grpc-js beyond its public API, in one place, each with
 * a fallback that keeps the server correct (only slower) if a later grpc-js changes it. The tests
 * in server.test.ts check both still take effect with the pinned version.
 */
import { EventEmitter } from 'node:events';
import type { ServerHttp2Session } from 'node:http2';
import type { Server } from '@grpc/grpc-js';

/**
 * Whether the request bytes grpc-js hands a deserializer are alone in their ArrayBuffer, apart
 * from the 5-byte gRPC frame header in front: grpc-js concatenates each received frame into a new
 * Buffer (`Buffer.concat`, stream-decoder.js), passes `frame.subarray(5)`, and reads nothing of it
 * after deserializing. Buffers larger than Node's pool are never pool slices, so the size test
 * rules out a shared slab whatever grpc-js does. When false, nothing is moved or detached.
 */
export function ownsWholeBuffer(buf: Buffer): boolean {
  const ab = buf.buffer;
  return (
    !(typeof SharedArrayBuffer !== 'undefined' && ab instanceof SharedArrayBuffer) &&
    ab.byteLength > Buffer.poolSize &&
    buf.byteOffset <= 5 &&
    buf.byteOffset + buf.byteLength === ab.byteLength
  );
}

/**
 * Opens the HTTP/2 receive windows (per connection and per stream) of every session the server
 * accepts to `windowBytes`. Call after `bindAsync` has bound.
 *
 * Why: grpc-js's server leaves both at the protocol's initial 64 KiB (its client has the
 * `grpc-node.flow_control_window` option, its server none), so a client may send only 64 KiB
 * before waiting for a WINDOW_UPDATE: a 600 KB image takes about ten round trips, each a few
 * syscalls and a wake-up of both processes. Measured on a 1×3×224×224 FP32 ModelInfer at c=2:
 * server CPU 880 → 480 µs per request, p50 3.2 → 1.6 ms. A window does not add memory beyond what
 * grpc-js already accepts: it buffers each message whole, up to the receive limit.
 *
 * grpc-js keeps its http2 servers in a private map (`http2Servers`); if that ever changes this
 * does nothing and returns false.
 */
export function widenFlowControl(server: Server, windowBytes: number): boolean {
  const servers: unknown = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) return false;
  let found = false;
  for (const h2 of servers.keys()) {
    if (!(h2 instanceof EventEmitter)) continue;
    found = true;
    h2.on('session', (session: ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(windowBytes);
        session.settings({ initialWindowSize: windowBytes });
      } catch {
        // a session already destroyed: nothing to widen, and a throw here would be uncaught
      }
    });
  }
  return found;
}
