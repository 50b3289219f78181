/**
 * Extra read-only subresources that the embedding program adds (e.g. `kserve-ts up` serves
 * `inferenceservices/{name}/log` from its process driver), keyed `group/resource/subresource`.
 * The API server finds the object first (404 Status naming it when absent) and hands it over; the
 * handler writes the response itself (it may stream) and throws ApiError for a bad request.
 */
import type { StoredObject } from '../store/store.ts';
import { qualified, storeType, type Ctx, type SubresourceHandler } from './context.ts';
import { fromStoreError, methodNotAllowed, notFound } from './errors.ts';

/** `group/resource/subresource`, e.g. `serving.kserve.io/inferenceservices/log` (core group: `/pods/log`). */
export function subresourceKey(group: string, resource: string, subresource: string): string {
  return `${group}/${resource}/${subresource}`;
}

/** Serves a GET of a registered subresource of an existing object. */
export async function serveSubresource(ctx: Ctx, handler: SubresourceHandler): Promise<void> {
  if ((ctx.req.method ?? 'GET') !== 'GET') throw methodNotAllowed();
  const name = ctx.route.name!;
  let object: StoredObject | undefined;
  try {
    object = await ctx.deps.store.get({ ...storeType(ctx), namespace: ctx.route.namespace, name });
  } catch (err) {
    throw fromStoreError(err, qualified(ctx));
  }
  if (!object) throw notFound(qualified(ctx));
  // A streaming answer (a followed log) is long-lived like a watch: close() must end it too.
  const stream = { end: () => void ctx.res.destroy() };
  ctx.deps.watches.add(stream);
  ctx.res.on('close', () => ctx.deps.watches.delete(stream));
  await handler({ object, namespace: ctx.route.namespace, name, query: ctx.url.searchParams, req: ctx.req, res: ctx.res });
}
