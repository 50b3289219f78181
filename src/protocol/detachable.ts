/**
 * ArrayBuffers that hold one request's data and nothing anyone else reads: a consumer may move
 * (transfer, which detaches) such a buffer whole rather than copy the views into it.
 *
 * Why: a gRPC ModelInfer message arrives as one buffer (the frame grpc-js concatenated), and a
 * raw tensor is a view into it. Copying a 600 KB image out of that view before posting it to an
 * inference worker costs the copy, and keeps the 600 KB frame alive as external memory on the main
 * thread until V8 collects it; external memory is what drives V8's full collections under this
 * load. Transferring the frame's buffer instead costs neither (the worker reads its view in place).
 *
 * The transport marks buffers it knows to be exclusive (see dataplane/grpc); consumers such as the
 * ONNX worker wire (runtimes/onnx/wire.ts) may then detach them. A WeakSet, so marking keeps
 * nothing alive.
 */
const detachable = new WeakSet<ArrayBufferLike>();

/** Marks `buf` as holding only one request's data, so consumers may detach it. */
export function markDetachable(buf: ArrayBufferLike): void {
  detachable.add(buf);
}

/** Whether `buf` was marked by `markDetachable` (and may be transferred whole). */
export function isDetachable(buf: ArrayBufferLike): boolean {
  return detachable.has(buf);
}
